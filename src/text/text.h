/* text.h - Vietnamese text as the language writes it, shared by the
 * modules that read it (ocr scores its readings by it, fields mends
 * words by it; every text output makes outside text printable by it).
 * Depends on utf8proc only. */
#ifndef TEXT_H
#define TEXT_H

/* text_syllable - whether word (UTF-8, NFC or NFD, any case) is a
 * well-formed Vietnamese syllable: an onset and a rhyme the language
 * has, at most one tone and one the rhyme allows, c/k, g/gh, ng/ngh and
 * qu spelled right. Returns 1 or 0 (also for NULL, "" or a word with
 * anything but letters). */
int text_syllable(const char *word);

#include <stddef.h>
#include <stdint.h>

/* text_utf8_ok - whether the n bytes at s are well-formed UTF-8. */
int text_utf8_ok(const char *s, size_t n);

/* text_printable - s as it may be printed on a terminal or in a line of
 * a log: every control character (C0, C1, DEL, line and paragraph
 * separators, bidi and other format marks but the joiners) and every
 * byte that is not UTF-8 written as \xNN, a backslash as \\. Valid
 * Vietnamese passes unchanged. Yours to free(); NULL when out of memory. */
char *text_printable(const char *s);

/* text_printable_ok - whether text_printable(s) would leave s as it is. */
int text_printable_ok(const char *s);

/* text_distance - the edit distance of a[0..n) and b[0..m) (bytes: on
 * folded text, letters), a swap of two neighbours one edit when swaps
 * is set (optimal string alignment), else Levenshtein's; max + 1 once it
 * must exceed max, and when either is over 250 bytes. TEXT_DISTANCE_ANY
 * as max: the distance itself. */
#define TEXT_DISTANCE_ANY 999
int text_distance(const char *a, size_t n, const char *b, size_t m, int max,
		  int swaps);

/* Folded for matching (fold.c): decomposed, marks stripped, case
 * folded, đ and Đ as d. text_fold_char - code point cp into out (room
 * for 32 bytes): the bytes written. text_fold - in into out (cap bytes,
 * of which it fills at most cap - 32, then stops), at[i] (room for cap,
 * may be NULL) the byte of in that out[i] came from and at[len] where
 * it stopped; bytes that are not UTF-8 kept as they are. Returns the
 * folded length. TEXT_FOLD_MAX: a line's folding, as the rules fold
 * them. */
#define TEXT_FOLD_MAX 1024
int text_fold_char(int32_t cp, char *out);
size_t text_fold(const char *in, char *out, size_t cap, int *at);

/* Vietnamese number words (numbers.c). text_number_words - the value
 * of text's number words ("một nghìn chín trăm tám mươi lăm" -> 1985;
 * linh/lẻ, mốt, lăm, tư, bẩy, ngàn/nghìn, with or without marks), -1
 * when it is not one. On words folded by text_fold_words (text's
 * letters-and-digits runs, folded, into buf of len bytes, max of
 * them): text_number_unit - a unit word's value (-1: none);
 * text_number_value - the value of w[0..n), -1 when one is no number
 * word; text_number_run - how many of w[0..n) in a row are number
 * words. */
long text_number_words(const char *text);
int text_fold_words(const char *text, char *buf, size_t len, char **words,
		    int max);
int text_number_unit(const char *w);
long text_number_value(char **w, int n);
int text_number_run(char **w, int n);

/* The syllable model (lm.c): text_lm_key - word's key (its letters,
 * lower case, without the tone, then the tone's digit 0-5) into key (cap
 * bytes); 0 when word is not letters alone or does not fit.
 * text_lm_parse - the model from its text (tools/lm/build.py's, not
 * compressed); NULL when out of memory or malformed. text_lm_id - a
 * key's index, TEXT_LM_BREAK for "." (a break: punctuation, a line's
 * end), -1 when the model has not seen it. text_lm_logp - the natural
 * log of the chance that id follows prev. text_lm_bytes - the memory
 * the model holds. */
typedef struct text_lm text_lm;
#define TEXT_LM_BREAK (-2)
int text_lm_key(const char *word, char *key, size_t cap);
text_lm *text_lm_parse(const char *buf, size_t len);
void text_lm_free(text_lm *m);
int text_lm_id(const text_lm *m, const char *key);
double text_lm_logp(const text_lm *m, int prev, int id);
size_t text_lm_bytes(const text_lm *m);

#endif
