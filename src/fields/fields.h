/* fields.h - from OCR text to the fields a registry holds. So far: the
 * Vietnamese text helpers and the date parser the extractor stands on. */
#ifndef FIELDS_H
#define FIELDS_H

#include <stddef.h>

/* fields_fold - lowercase, tones and marks removed, đ -> d (it does not
 * decompose, so it needs its own rule), NFC in, ASCII-ish out: "Nguyễn
 * Văn Đạt" -> "nguyen van dat". Returns SH_ENOMEM or 0; out is always
 * NUL-terminated (truncated to len). */
int fields_fold(const char *in, char *out, size_t len);

/* fields_number_words - the value of Vietnamese number words ("một
 * nghìn chín trăm tám mươi lăm" -> 1985), accepting linh/lẻ, mốt, lăm,
 * tư, bẩy, ngàn/nghìn, with or without diacritics. -1 if not a number. */
long fields_number_words(const char *text);

/* fields_date_parse - finds a date in text and writes it as YYYY-MM-DD.
 * Accepts 15/03/1985, 15.03.1985, 15-3-1985, "ngày 15 tháng 3 năm 1985"
 * and the words form of birth certificates ("Ngày mùng tám, tháng mười
 * một, năm một nghìn chín trăm chín mươi chín"; giêng, chạp).
 * Returns 0, SH_ENOTFOUND when there is no date, SH_EINVAL when the date
 * is impossible (31/02/1990 is never turned into a valid one). */
int fields_date_parse(const char *text, char iso[11]);

#endif
