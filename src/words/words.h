/* words.h - a page's words as recognition gives them ({"t", "b": [x, y,
 * w, h], "c", "l"}): a new text laid over them, and joined into the
 * page's text. The words are where a page's text lives (the store keeps
 * their text apart only for search); a mend or a correction replaces
 * words in place, in boxes taken from the words it replaces. */
#ifndef WORDS_H
#define WORDS_H

#include <jansson.h>
#include <stddef.h>

/* words_box - word w's box and line: b[0] x, b[1] y, b[2] width,
 * b[3] height, b[4] its line ("l"); 0 for what it lacks. */
void words_box(json_t *w, int b[5]);

/* words_tokens - s split at white space: (*tok)[i] point into *buf, a
 * copy of s; you free both (also on failure). Returns the count, 0 for
 * none or when out of memory. */
size_t words_tokens(const char *s, char **buf, char ***tok);

/* words_lay - the tokens tok[0..nt) laid over the words from[0..nw)
 * (nw >= 1), appended to out: one for one when the counts agree, each
 * keeping its word's box; else the tokens share the run's extent (on
 * its first word's line), placed left to right by length. With
 * keep_read, a token that differs from what was read carries it as "r"
 * (one for one: its word's text; otherwise, on the run's first token,
 * the run's words joined by spaces). */
void words_lay(json_t *out, json_t *const *from, size_t nw, char *const *tok,
	       size_t nt, int keep_read);

/* words_lay_text - words with text laid over them: the longest common
 * sequence of words and text tokens kept as it is, between two kept ones
 * the tokens that differ laid (words_lay, keeping what was read) over
 * the words they replace; words the text lacks left out, tokens without
 * a word given the box of the word before. The tokens joined are then
 * the text's. NULL when out of memory, or when the page is too large to
 * align (over 16M cells: about 4,000 words against 4,000 tokens). You
 * own the result. */
json_t *words_lay_text(json_t *words, const char *text);

/* words_mend - lays each mend of mends ({"p": page index, "w": first
 * word, "n": words, "t": their new text}, as fields_extract gives them)
 * on the words of pages, keeping what was read, and sets each page's
 * "text" to its words joined (words_text). A mend outside its page's
 * words is skipped. BASE_ENOMEM or 0. */
int words_mend(json_t *pages, json_t *mends);

/* words_text - words as text: a line per "l", a space between words, a
 * newline after the last. *text (yours) is "" for no words. BASE_ENOMEM
 * or 0. */
int words_text(json_t *words, char **text);

#endif
