/* test_text.c - the syllable model: keys that ignore where a tone is
 * written, a model read from its text, probabilities that follow its
 * counts, and malformed models refused. */
#include "unit.h"

#include "../../src/text/text.h"

#include <math.h>
#include <string.h>

static int key_is(const char *word, const char *want)
{
	char k[64];

	return text_lm_key(word, k, sizeof(k)) && !strcmp(k, want);
}

int main(void)
{
	char k[64];

	CHECK(key_is("thẩm", "thâm3"), "thẩm is keyed thâm3");
	CHECK(key_is("Hòa", "hoa1") && key_is("HOÀ", "hoa1"),
	      "hòa and hoà (either place of the tone, any case) are one key");
	CHECK(key_is("đến", "đên2") && key_is("Đường", "đương1"),
	      "đ, the circumflex and the horn stay; the tone goes to its digit");
	CHECK(key_is("ba", "ba0"), "no tone is 0");
	CHECK(!text_lm_key("15/03", k, sizeof(k)) && !text_lm_key("m²", k, sizeof(k)) &&
	      !text_lm_key("", k, sizeof(k)) && !text_lm_key(NULL, k, sizeof(k)),
	      "numbers, signs and nothing have no key");
	CHECK(!text_lm_key("nghiêng", k, 8), "a key that does not fit is none");

	static const char model[] =
		"# a model\n"
		"u thâm3 6\nu quyên1 10\nu tham0 30\nu đên2 4\n"
		"b thâm3 quyên1 5\nb tham0 quyên1 1\nb . thâm3 2\nb quyên1 . 8\nb . đên2 60\n";
	text_lm *m = text_lm_parse(model, sizeof(model) - 1);
	CHECK(m != NULL, "a model is read from its text");
	int tham3 = text_lm_id(m, "thâm3"), tham0 = text_lm_id(m, "tham0"),
	    quyen = text_lm_id(m, "quyên1");
	CHECK(tham3 >= 0 && tham0 >= 0 && quyen >= 0 && text_lm_id(m, "xyz0") == -1 &&
	      text_lm_id(m, ".") == TEXT_LM_BREAK, "its keys are found, others are not");
	/* thẩm quyền against tham quyền: the pair decides over the more
	 * frequent single word */
	double a = text_lm_logp(m, tham3, quyen), b = text_lm_logp(m, tham0, quyen);
	CHECK(a > b, "'thẩm quyền' is likelier than 'tham quyền' (%.2f > %.2f)", a, b);
	double u1 = text_lm_logp(m, quyen, tham0), u2 = text_lm_logp(m, quyen, tham3);
	CHECK(u1 > u2, "after a word never followed by either, the more frequent one wins");
	CHECK(text_lm_logp(m, TEXT_LM_BREAK, text_lm_id(m, "đên2")) > text_lm_logp(m, TEXT_LM_BREAK, tham0),
	      "a break is a context of its own");
	CHECK(isfinite(text_lm_logp(m, -1, -1)) && text_lm_logp(m, -1, -1) < text_lm_logp(m, -1, tham0),
	      "an unseen word is possible, and less likely than a seen one");
	CHECK(text_lm_bytes(m) > 0, "the model says what it holds");
	text_lm_free(m);

	static const char *const bad[] = {
		"u thâm3 6\nb thâm3 nowhere0 2\n", /* a pair of an unknown key */
		"x what\n", "", "# only a header\n",
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(*bad); i++) {
		m = text_lm_parse(bad[i], strlen(bad[i]));
		CHECK(m == NULL, "a malformed model is refused (%zu)", i);
		text_lm_free(m);
	}
	return unit_status();
}
