/* content.c - plausible Vietnamese content: names, places, dates and the
 * words for numbers and dates as birth certificates print them. */
#include "gen.h"

#include <glib.h>
#include <stdio.h>
#include <string.h>

void rng_seed(rng *r, uint64_t seed)
{
	r->s = seed * 0x9E3779B97F4A7C15ull + 0x2545F4914F6CDD1Dull;
	if (!r->s)
		r->s = 1;
	for (int i = 0; i < 4; i++)
		rng_next(r);
}

uint32_t rng_next(rng *r)
{
	r->s ^= r->s >> 12;
	r->s ^= r->s << 25;
	r->s ^= r->s >> 27;
	return (uint32_t)((r->s * 0x2545F4914F6CDD1Dull) >> 32);
}

int rng_int(rng *r, int lo, int hi)
{
	return lo + (int)(rng_next(r) % (uint32_t)(hi - lo + 1));
}

double rng_real(rng *r, double lo, double hi)
{
	return lo + (hi - lo) * (rng_next(r) / 4294967296.0);
}

const char *rng_pick(rng *r, const char *const *list, int n)
{
	return list[rng_int(r, 0, n - 1)];
}

static const char *const ho[] = { "Nguyễn", "Nguyễn", "Nguyễn", "Trần",
	"Trần", "Lê", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ",
	"Đặng", "Bùi", "Đỗ", "Hồ", "Ngô", "Dương", "Lý", "Đinh", "Trương" };
static const char *const dem_nam[] = { "Văn", "Văn", "Hữu", "Đức", "Minh",
	"Quốc", "Thanh", "Công", "Xuân", "Gia", "Trọng", "Quang", "Tiến" };
static const char *const dem_nu[] = { "Thị", "Thị", "Thị", "Ngọc", "Thu",
	"Thanh", "Kim", "Bảo", "Mỹ", "Diệu", "Phương", "Hồng" };
static const char *const ten_nam[] = { "An", "Bình", "Cường", "Dũng",
	"Hùng", "Hải", "Hiếu", "Khánh", "Long", "Nam", "Phúc", "Quân", "Sơn",
	"Thắng", "Toàn", "Tuấn", "Việt", "Đạt", "Đông", "Nghĩa", "Lộc",
	"Huy", "Khoa", "Trung", "Thịnh", "Vinh", "Tùng", "Hưng" };
static const char *const ten_nu[] = { "Anh", "Bích", "Chi", "Dung", "Hà",
	"Hằng", "Hương", "Lan", "Linh", "Mai", "Ngọc", "Nhung", "Oanh",
	"Phương", "Quỳnh", "Thảo", "Trang", "Tuyết", "Vân", "Yến", "Hoa",
	"Thủy", "Loan", "Duyên", "Hạnh", "Nguyệt", "Uyên" };

void person_name(rng *r, int female, char *out, size_t len)
{
	/* some names carry two middle names: Nguyễn Thị Ngọc Anh */
	if (rng_int(r, 0, 4) == 0)
		snprintf(out, len, "%s %s %s %s", PICK(r, ho),
			 female ? PICK(r, dem_nu) : PICK(r, dem_nam),
			 female ? "Ngọc" : "Minh",
			 female ? PICK(r, ten_nu) : PICK(r, ten_nam));
	else
		snprintf(out, len, "%s %s %s", PICK(r, ho),
			 female ? PICK(r, dem_nu) : PICK(r, dem_nam),
			 female ? PICK(r, ten_nu) : PICK(r, ten_nam));
}

static const struct {
	const char *province, *district, *wards[3];
} places[] = {
	{ "Thành phố Hồ Chí Minh", "Quận 1",
	  { "Phường Bến Nghé", "Phường Đa Kao", "Phường Tân Định" } },
	{ "Thành phố Hồ Chí Minh", "Quận Bình Thạnh",
	  { "Phường 25", "Phường 14", "Phường 3" } },
	{ "Thành phố Hồ Chí Minh", "Quận Gò Vấp",
	  { "Phường 5", "Phường 10", "Phường 17" } },
	{ "Thành phố Hồ Chí Minh", "Huyện Củ Chi",
	  { "Xã Tân Thông Hội", "Thị trấn Củ Chi", "Xã Phước Vĩnh An" } },
	{ "Thành phố Hà Nội", "Quận Ba Đình",
	  { "Phường Điện Biên", "Phường Kim Mã", "Phường Ngọc Hà" } },
	{ "Thành phố Hà Nội", "Quận Hoàn Kiếm",
	  { "Phường Hàng Bạc", "Phường Tràng Tiền", "Phường Hàng Trống" } },
	{ "Thành phố Hà Nội", "Quận Đống Đa",
	  { "Phường Láng Hạ", "Phường Ô Chợ Dừa", "Phường Văn Miếu" } },
	{ "Thành phố Đà Nẵng", "Quận Hải Châu",
	  { "Phường Thạch Thang", "Phường Hòa Cường Bắc", "Phường Phước Ninh" } },
	{ "Thành phố Cần Thơ", "Quận Ninh Kiều",
	  { "Phường An Hòa", "Phường Xuân Khánh", "Phường Tân An" } },
	{ "Tỉnh Nghệ An", "Huyện Nghi Lộc",
	  { "Xã Nghi Phong", "Xã Nghi Thái", "Thị trấn Quán Hành" } },
	{ "Tỉnh Thái Bình", "Huyện Vũ Thư",
	  { "Xã Song Lãng", "Xã Tự Tân", "Thị trấn Vũ Thư" } },
	{ "Tỉnh Quảng Nam", "Thành phố Hội An",
	  { "Phường Minh An", "Phường Cẩm Phô", "Xã Cẩm Thanh" } },
	{ "Tỉnh Bình Định", "Huyện Tuy Phước",
	  { "Xã Phước Thuận", "Xã Phước Lộc", "Thị trấn Diêu Trì" } },
	{ "Tỉnh Thừa Thiên Huế", "Thành phố Huế",
	  { "Phường Phú Hội", "Phường Vĩnh Ninh", "Phường Thuận Thành" } },
};

void place(rng *r, char *ward, char *district, char *province, size_t len)
{
	int i = rng_int(r, 0, (int)(sizeof(places) / sizeof(places[0])) - 1);

	snprintf(ward, len, "%s", places[i].wards[rng_int(r, 0, 2)]);
	snprintf(district, len, "%s", places[i].district);
	snprintf(province, len, "%s", places[i].province);
}

const char *const ethnicities[] = { "Kinh", "Kinh", "Kinh", "Kinh", "Kinh",
	"Kinh", "Tày", "Thái", "Mường", "Hoa", "Khmer", "Nùng" };
const int n_ethnicities = sizeof(ethnicities) / sizeof(ethnicities[0]);

static int days_in(int m, int y)
{
	static const int dm[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };

	if (m == 2 && ((y % 4 == 0 && y % 100) || y % 400 == 0))
		return 29;
	return dm[m - 1];
}

void date_random(rng *r, int y0, int y1, date *d)
{
	d->y = rng_int(r, y0, y1);
	d->m = rng_int(r, 1, 12);
	d->d = rng_int(r, 1, days_in(d->m, d->y));
}

void date_iso(const date *d, char *out, size_t len)
{
	snprintf(out, len, "%04d-%02d-%02d", d->y, d->m, d->d);
}

const char *const digit_words[10] = { "không", "một", "hai", "ba", "bốn",
	"năm", "sáu", "bảy", "tám", "chín" };

static void cat(char *out, size_t len, const char *w)
{
	size_t n = strlen(out);

	snprintf(out + n, len - n, "%s%s", n ? " " : "", w);
}

/* 0..99, the way it is read: mười lăm, hai mươi mốt, ba mươi tư */
static void tens_words(rng *r, int n, char *out, size_t len, int alt)
{
	int t = n / 10, u = n % 10;

	if (t == 0) {
		cat(out, len, u == 7 && alt ? "bẩy" : digit_words[u]);
		return;
	}
	cat(out, len, t == 1 ? "mười" : digit_words[t]);
	if (t > 1)
		cat(out, len, "mươi");
	if (u == 1 && t > 1)
		cat(out, len, "mốt");
	else if (u == 4 && t > 1 && rng_int(r, 0, 1))
		cat(out, len, "tư");
	else if (u == 5)
		cat(out, len, "lăm");
	else if (u == 7 && alt)
		cat(out, len, "bẩy");
	else if (u)
		cat(out, len, digit_words[u]);
}

void number_words(rng *r, int n, char *out, size_t len)
{
	int th = n / 1000, h = (n / 100) % 10, rest = n % 100;
	const char *linh = rng_int(r, 0, 2) ? "linh" : "lẻ";
	int alt = rng_int(r, 0, 5) == 0;

	out[0] = '\0';
	if (th) {
		cat(out, len, digit_words[th]);
		cat(out, len, rng_int(r, 0, 3) ? "nghìn" : "ngàn");
		if (h == 0 && rest == 0)
			return;
		cat(out, len, digit_words[h]);
		cat(out, len, "trăm");
	} else if (h) {
		cat(out, len, digit_words[h]);
		cat(out, len, "trăm");
	}
	if ((th || h) && rest == 0)
		return;
	if ((th || h) && rest < 10)
		cat(out, len, linh);
	if ((th || h) && rest < 10)
		cat(out, len, rest == 7 && alt ? "bẩy" : digit_words[rest]);
	else
		tens_words(r, rest, out, len, alt);
}

static const char *const months[] = { "một", "hai", "ba", "tư", "năm",
	"sáu", "bảy", "tám", "chín", "mười", "mười một", "mười hai" };

void date_words(rng *r, const date *d, char *out, size_t len)
{
	char day[64] = "", year[128];
	const char *month = months[d->m - 1];

	if (d->m == 1 && rng_int(r, 0, 1))
		month = "giêng";
	else if (d->m == 7 && rng_int(r, 0, 3) == 0)
		month = "bẩy";
	else if (d->m == 4 && rng_int(r, 0, 3) == 0)
		month = "bốn";
	if (d->d <= 10)
		snprintf(day, sizeof(day), "mùng %s", d->d == 10 ? "mười"
			 : digit_words[d->d]);
	else
		tens_words(r, d->d, day, sizeof(day), 0);
	number_words(r, d->y, year, sizeof(year));
	snprintf(out, len, "Ngày %s, tháng %s, năm %s", day, month, year);
}

void upper(const char *in, char *out, size_t len)
{
	char *u = g_utf8_strup(in, -1);

	snprintf(out, len, "%s", u);
	g_free(u);
}
