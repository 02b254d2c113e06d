/* test_shard.c - a batch's list and its shares (src/ingest/shard.c):
 * written and read back, shares of about as many pages each cut from
 * the TIFFs' directories, each shard's files, lists that are refused. */
#include "../../src/base/base.h"
#include "../../src/ingest/ingest.h"
#include "unit.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static void write_text(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	if (f) {
		fputs(text, f);
		fclose(f);
	}
}

int main(void)
{
	char dir[64], path[256], *files[6];
	/* the sample records: two land certificates of 2 pages, then
	 * four of one */
	static const char *const names[] = { "gcn-0008.tif", "gcn-0009.tif",
		"khai-sinh-0001.tif", "khai-sinh-0002.tif", "khai-tu-0007.tif",
		"ket-hon-0004.tif" };
	/* (tests/run.sh says where the tests are; the seeds are beside) */
	const char *tests = getenv("TESTS");
	char seeds[200];
	ingest_list l = { .count = 0 }, back;
	ingest_shard sh;
	size_t total = 0;

	snprintf(dir, sizeof(dir), "/tmp/sohoa-shard.%d", (int)getpid());
	if (mkdir(dir, 0700))
		return 1;
	snprintf(seeds, sizeof(seeds), "%s/../seeds", tests ? tests : "tests");
	for (int i = 0; i < 6; i++) {
		snprintf(path, sizeof(path), "%s/%s", seeds, names[i]);
		files[i] = strdup(path);
		total += ingest_tiff_pages(files[i]);
	}
	CHECK(ingest_tiff_pages(files[0]) == 2 && ingest_tiff_pages(files[2]) == 1,
	      "pages read from the TIFF's directories (%zu in all)", total);
	snprintf(path, sizeof(path), "%s/missing.tif", dir);
	CHECK(ingest_tiff_pages(path) == 1, "a file that cannot be read counts one");

	/* two shares: the two 2-page files are as many pages as the four
	 * others */
	size_t *b = ingest_list_shares(files, 6, 2);
	CHECK(b && b[0] == 0 && b[1] == 2 && b[2] == 6,
	      "shares cut by pages, not files: [0, %zu, %zu)", b ? b[1] : 0, b ? b[2] : 0);
	snprintf(l.batch, sizeof(l.batch), "C-test");
	l.files = files;
	l.count = 6;
	l.bounds = b;
	l.of = 2;
	snprintf(path, sizeof(path), "%s/files.txt", dir);
	CHECK(ingest_list_write(path, &l) == 0, "the list written");
	CHECK(ingest_list_read(path, &back) == 0 && !strcmp(back.batch, "C-test") &&
	      back.count == 6 && back.of == 2 && back.bounds && back.bounds[1] == 2 &&
	      !strcmp(back.files[5], files[5]),
	      "and read back: batch, files, shares");
	CHECK(ingest_shard_of(&back, 1, 2, &sh) == 0 && sh.first == 2 && sh.count == 4 &&
	      sh.total == 6 && !strcmp(sh.batch, "C-test"),
	      "shard 1 of 2 is the list's second share (%zu from %zu)", sh.count, sh.first);
	CHECK(ingest_shard_of(&back, 2, 3, &sh) == 0 && sh.first == 4 && sh.count == 2,
	      "for another count of shards, shares by files (%zu from %zu)", sh.count, sh.first);
	CHECK(ingest_shard_of(&back, 2, 2, &sh) == BASE_EINVAL, "no shard 2 of 2");
	ingest_list_free(&back);
	free(b);

	/* a file whose name holds a line break is refused, naming it */
	char *nl[] = { "/a/b\nc.tif" };
	ingest_list bad = { .batch = "C-x", .files = nl, .count = 1 };
	CHECK(ingest_list_write(path, &bad) == BASE_EINVAL &&
	      strstr(base_errmsg(), "line break"), "a name with a line break: %s", base_errmsg());
	write_text(path, "/a.tif\n/b.tif\n");
	CHECK(ingest_list_read(path, &back) == BASE_EINVAL &&
	      strstr(base_errmsg(), "not a batch's file list"), "a list without its batch: %s",
	      base_errmsg());
	write_text(path, "# sohoa batch C-y\n# sohoa shares 2 9\n/a.tif\n");
	CHECK(ingest_list_read(path, &back) == BASE_EINVAL, "shares past its files: %s",
	      base_errmsg());
	for (int i = 0; i < 6; i++)
		free(files[i]);
	snprintf(path, sizeof(path), "rm -rf %s", dir);
	if (system(path))
		return 1;
	return unit_status();
}
