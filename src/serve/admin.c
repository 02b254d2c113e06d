/* admin.c - what only an admin does from the site: accounts (add,
 * disable, a new API token), the access log read back, and the store's
 * fixity check run on request. Every action is in the access log. */
#include "internal.h"

#include "../base/base.h"

#include <stdlib.h>
#include <string.h>

#define LOG_PAGE 200

static void users_table(FILE *f, server *sv, const who *w)
{
	json_t *users = NULL, *u;
	size_t i;

	if (store_user_list(sv->s, &users))
		return;
	fputs("<table><tr><th>Tên</th><th>Quyền</th><th>Trạng thái</th>"
	      "<th>Tạo lúc</th><th></th></tr>", f);
	json_array_foreach(users, i, u) {
		const char *name = json_string_value(json_object_get(u, "name"));
		int off = json_is_true(json_object_get(u, "disabled"));
		fputs("<tr><td>", f);
		sv_esc(f, name);
		fputs("</td><td>", f);
		sv_esc(f, json_string_value(json_object_get(u, "role")));
		fprintf(f, "</td><td>%s%s</td><td>", off ? "đã khóa" : "đang dùng",
			json_is_true(json_object_get(u, "token")) ? ", có mã API" : "");
		sv_esc(f, json_string_value(json_object_get(u, "created")));
		fputs("</td><td>", f);
		if (!off) {
			for (int k = 0; k < 2; k++) {
				fputs("<form method=\"post\" action=\"/admin\" style=\"display:inline\">", f);
				sv_csrf_input(f, w);
				fprintf(f, "<input type=\"hidden\" name=\"op\" value=\"%s\">"
					"<input type=\"hidden\" name=\"name\" value=\"",
					k ? "token" : "disable");
				sv_esc(f, name);
				fprintf(f, "\"><button type=\"submit\">%s</button></form> ",
					k ? "Mã API mới" : "Khóa");
			}
		}
		fputs("</td></tr>", f);
	}
	fputs("</table>", f);
	json_decref(users);
}

enum MHD_Result sv_page_admin(server *sv, struct MHD_Connection *c,
			      const who *w, const char *note)
{
	page p;

	if (sv_page_open(&p))
		return MHD_NO;
	sv_head(p.f, "Quản trị", w);
	fputs("<h1>Quản trị</h1>", p.f);
	sv_note(p.f, note, 0);
	fputs("<p><a href=\"/admin/log\">Nhật ký truy cập</a></p>"
	      "<h2>Tài khoản</h2>", p.f);
	users_table(p.f, sv, w);
	fputs("<h3>Thêm tài khoản</h3><form method=\"post\" action=\"/admin\">", p.f);
	sv_csrf_input(p.f, w);
	fputs("<input type=\"hidden\" name=\"op\" value=\"add\">"
	      "<p><label>Tên <input name=\"name\" pattern=\"[a-z0-9._-]{1,32}\"></label> "
	      "<label>Quyền <select name=\"role\"><option value=\"viewer\">viewer "
	      "(xem)</option><option value=\"reviewer\">reviewer (kiểm tra, sửa)"
	      "</option><option value=\"admin\">admin (quản trị)</option></select>"
	      "</label> <label>Mật khẩu <input type=\"password\" name=\"password\" "
	      "minlength=\"8\"></label> <button type=\"submit\">Thêm</button></p>"
	      "</form><h2>Kiểm tra kho</h2><form method=\"post\" action=\"/admin\">", p.f);
	sv_csrf_input(p.f, w);
	fputs("<input type=\"hidden\" name=\"op\" value=\"check\"><p>Đọc lại mọi "
	      "bản gốc và so mã SHA-256 đã lưu. <button type=\"submit\">Kiểm tra "
	      "ngay</button></p></form>", p.f);
	sv_tail(p.f);
	return sv_send_page(c, 200, &p, NULL, NULL);
}

/* Every original read back and its SHA-256 compared: what `sohoa
 * check` does, as one line for the page. */
static void fixity(server *sv, char *out, size_t len)
{
	char **ids = NULL;
	size_t n = 0, bad = 0;

	if (store_list_ids(sv->s, &ids, &n)) {
		snprintf(out, len, "Không đọc được danh sách hồ sơ: %s", base_errmsg());
		return;
	}
	char first[STORE_ID_MAX + 300] = "";
	for (size_t i = 0; i < n; i++) {
		char why[300];
		if (store_record_check(sv->s, ids[i], why, sizeof(why)) == 0)
			continue;
		if (!bad++)
			snprintf(first, sizeof(first), "%s: %s", ids[i], why);
	}
	if (bad)
		snprintf(out, len, "Kiểm tra %zu hồ sơ: %zu hồ sơ HỎNG, đầu tiên %s "
			 "('sohoa check' liệt kê tất cả).", n, bad, first);
	else
		snprintf(out, len, "Kiểm tra %zu hồ sơ: tất cả nguyên vẹn.", n);
	store_ids_free(ids, n);
}

enum MHD_Result sv_post_admin(server *sv, struct MHD_Connection *c,
			      const request *r)
{
	const who *w = &r->w;
	const char *op = sv_form(r, "op"), *name = sv_form(r, "name");
	char note[800], token[65];
	int rc = 0;

	if (!strcmp(op, "add")) {
		rc = store_user_add(sv->s, name, sv_form(r, "role"), sv_form(r, "password"));
		snprintf(note, sizeof(note), "Đã thêm tài khoản %s (%s).", name,
			 sv_form(r, "role"));
	} else if (!strcmp(op, "disable")) {
		rc = store_user_disable(sv->s, name);
		if (rc == 0)
			serve_session_end_user(sv->sessions, name);
		snprintf(note, sizeof(note), "Đã khóa tài khoản %s.", name);
	} else if (!strcmp(op, "token")) {
		char until[32];
		int full = !strcmp(sv_form(r, "scope"), "full");
		rc = store_user_token(sv->s, name, 90, full, token, until);
		snprintf(note, sizeof(note), "Mã API mới của %s (chỉ hiện một lần, "
			 "%s, hết hạn %s): %s", name, full ? "đầy đủ quyền"
			 : "chỉ đọc", until, token);
	} else if (!strcmp(op, "check")) {
		fixity(sv, note, sizeof(note));
	} else {
		return sv_message(c, 400, "Yêu cầu không hợp lệ", "Không rõ thao tác.", w);
	}
	if (rc)
		return sv_message(c, rc == BASE_EINVAL || rc == BASE_EEXIST ? 400 :
				  rc == BASE_ENOTFOUND ? 404 : 500, "Không làm được",
				  base_errmsg(), w);
	sv_access(sv, w, !strcmp(op, "add") ? "user-add" : !strcmp(op, "disable")
		  ? "user-disable" : !strcmp(op, "token") ? "user-token" : "check",
		  NULL, NULL, !strcmp(op, "check") ? note : name);
	return sv_page_admin(sv, c, w, note);
}

enum MHD_Result sv_page_log(server *sv, struct MHD_Connection *c, const who *w)
{
	store_access_filter f = { 0 };
	json_t *entries = NULL, *e;
	const char *user = sv_arg(c, "user"), *record = sv_arg(c, "record");
	page p;

	f.user = *user ? user : NULL;
	f.record = *record ? record : NULL;
	f.limit = LOG_PAGE;
	if (store_access_list(sv->s, &f, &entries))
		return sv_message(c, 500, "Không đọc được nhật ký", base_errmsg(), w);
	if (sv_access(sv, w, "view-log", NULL, NULL, NULL)) {
		json_decref(entries);
		return sv_unlogged(c, "/admin/log", w);
	}
	if (sv_page_open(&p)) {
		json_decref(entries);
		return MHD_NO;
	}
	sv_head(p.f, "Nhật ký truy cập", w);
	fputs("<h1>Nhật ký truy cập</h1><form method=\"get\" action=\"/admin/log\">"
	      "<label>Người <input name=\"user\" value=\"", p.f);
	sv_esc(p.f, user);
	fputs("\"></label> <label>Hồ sơ <input name=\"record\" value=\"", p.f);
	sv_esc(p.f, record);
	fprintf(p.f, "\"></label> <button type=\"submit\">Lọc</button></form>"
		"<p class=\"meta\">%d mục mới nhất, mới nhất ở dưới.</p><table><tr>"
		"<th>Thời gian</th><th>Người</th><th>Việc</th><th>Hồ sơ / từ khóa</th>"
		"<th>Địa chỉ</th><th>Chi tiết</th></tr>", LOG_PAGE);
	for (size_t i = 0; i < json_array_size(entries); i++) {
		e = json_array_get(entries, i);
		const char *keys[] = { "time", "user", "action", NULL, "address", "detail" };
		fputs("<tr>", p.f);
		for (int k = 0; k < 6; k++) {
			fputs("<td>", p.f);
			if (keys[k])
				sv_esc(p.f, json_string_value(json_object_get(e, keys[k])));
			else if (json_object_get(e, "record"))
				sv_esc(p.f, json_string_value(json_object_get(e, "record")));
			else
				sv_esc(p.f, json_string_value(json_object_get(e, "query")));
			fputs("</td>", p.f);
		}
		fputs("</tr>", p.f);
	}
	fputs("</table>", p.f);
	json_decref(entries);
	sv_tail(p.f);
	return sv_send_page(c, 200, &p, NULL, NULL);
}
