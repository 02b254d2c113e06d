/* text.h - Vietnamese text as the language writes it, shared by the
 * modules that read it (ocr scores its readings by it, fields mends
 * words by it). Depends on utf8proc only. */
#ifndef TEXT_H
#define TEXT_H

/* text_syllable - whether word (UTF-8, NFC or NFD, any case) is a
 * well-formed Vietnamese syllable: an onset and a rhyme the language
 * has, at most one tone and one the rhyme allows, c/k, g/gh, ng/ngh and
 * qu spelled right. Returns 1 or 0 (also for NULL, "" or a word with
 * anything but letters). */
int text_syllable(const char *word);

#endif
