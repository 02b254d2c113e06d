/* gen.h - the sample-record generator: content, form layouts, scanning
 * conditions and TIFF output, shared between its files. */
#ifndef GEN_H
#define GEN_H

#include <cairo.h>
#include <jansson.h>
#include <stdint.h>

/* A deterministic random stream (xorshift64*): the same seed gives the
 * same records, byte for byte, on every machine. */
typedef struct rng {
	uint64_t s;
} rng;

void rng_seed(rng *r, uint64_t seed);
uint32_t rng_next(rng *r);
int rng_int(rng *r, int lo, int hi); /* lo..hi inclusive */
double rng_real(rng *r, double lo, double hi);
const char *rng_pick(rng *r, const char *const *list, int n);
#define PICK(r, arr) rng_pick((r), (arr), (int)(sizeof(arr) / sizeof((arr)[0])))

typedef struct date {
	int d, m, y;
} date;

/* Scanning conditions for one record (see gen.c for the names). */
typedef struct conditions {
	int dpi;           /* 200 or 300 */
	double skew;       /* degrees, up to +-3 */
	int rotation;      /* 0, 90, 180, 270 */
	int blur, noise, yellow, jpeg, wrap, mixed_font, typewriter;
	const char *encoding; /* g4, gray, rgb-jpeg */
	int thumb_width;      /* of the PNG previews */
	int photo;            /* a phone's photo on a table (photo.c) */
	double perspective;   /* the camera's tilt, degrees; 0: at random */
	int no_dpi_tag;       /* no resolution tag in the TIFF */
	int guilloche;        /* a security background: 1 green, 2 pink */
	int curl;             /* a bound page curling toward its spine */
	int screenshot;       /* an e-copy on a phone's screen (screen.c) */
	int seal_colour;      /* a dense red or blue seal over the signer's name */
	json_t *capture;      /* photo: each page's corners appended here */
} conditions;

/* 8-bit planes, one per channel (1 for gray), for the pixel work. */
typedef struct planes {
	int w, h, n;
	unsigned char *p[3];
} planes;

/* One page being drawn: cairo in millimetres, and the printed lines. */
typedef struct page {
	cairo_surface_t *surface;
	cairo_t *cr;
	json_t *lines;
	const char *label_font, *value_font;
	int seal_colour; /* 0 the usual light red seal; 1 red, 2 blue, dense,
			    over the signature and the signer's name */
	double y; /* the next row's top, mm */
} page;

#define PAGE_W 210.0
#define PAGE_H 297.0

/* content.c */
void person_name(rng *r, int female, char *out, size_t len);
void place(rng *r, char *ward, char *district, char *province, size_t len);
void date_random(rng *r, int y0, int y1, date *d);
void date_iso(const date *d, char *out, size_t len);
void date_words(rng *r, const date *d, char *out, size_t len);
void number_words(rng *r, int n, char *out, size_t len);
void upper(const char *in, char *out, size_t len);
extern const char *const digit_words[10]; /* không, một, ... chín */
extern const char *const ethnicities[];
extern const int n_ethnicities;

/* forms.c: each draws one record's pages and fills gt "fields" and
 * "printed" (field -> the text as printed). Returns the page count. */
int form_render(rng *r, const char *type, const char *edition,
		const conditions *c, page pages[2], json_t *gt);

/* page helpers (forms.c) */
void page_begin(page *p, const conditions *c);
void page_end(page *p);
/* text at x,y mm (align 0 left, 1 centre, 2 right), wrapped at width mm
 * when > 0; its visual lines appended to lines when not NULL; returns
 * the height in mm, the width drawn in *advance */
double draw(page *p, double x, double y, const char *family,
	    const char *style, double pt, const char *text, int align,
	    double width, json_t *lines, double *advance);
double centred(page *p, double x, double y, const char *style, double pt,
	       const char *text);
void signature(page *p, rng *r, const char *who, const char *note,
	       const char *name);
void fmt_date(rng *r, const date *d, char *out, size_t len, int old);
void set_field(json_t *gt, const char *name, const char *value,
	       const char *printed);
void official(rng *r, char *out, size_t len);

/* A person on a record: name, where they live, when born. */
struct who {
	char name[160], ward[128], district[128], province[128];
	char addr[600];
	date born;
	int female;
};

/* who_draw - a person's name (in capitals when caps), place and year of
 * birth in y0..y1; the address is the caller's to make. */
void who_draw(rng *r, int female, int y0, int y1, int caps, struct who *w);

/* real.c: the real editions drawn with a layout chosen at random per
 * record (margins, columns, fonts, spacing, where values wrap, which
 * optional lines are printed). Editions: khai-sinh tt04-2020,
 * tt15-2015, truoc-2016, trich-luc; ket-hon tt04-2020, truoc-2016;
 * khai-tu trich-luc, truoc-2016; gcn tt23-2014. edition NULL: one at
 * random. Fills gt like form_render and gt "edition"; the page count. */
int form_render_real(rng *r, const char *type, const char *edition,
		     const conditions *c, page pages[2], json_t *gt);

/* scan.c: degrades a clean page as a scanner would and appends it to the
 * open TIFF (tif is a TIFF *). thumb, when not NULL, gets a small PNG. */
/* photo.c: the page photographed, into out (RGB planes, yours); the
 * sheet's corners, the tilt and the frame's size appended to truth. */
int photo_page(cairo_surface_t *clean, const conditions *c, rng *r,
	       planes *out, json_t *truth);

/* scan.c: the pixels of the RGB24 surface s as planes (3 when color,
 * else 1 of gray; yours, a plane NULL when memory ran out). */
void planes_from(planes *pl, cairo_surface_t *s, int color);

/* screen.c: the page as a screenshot of a phone's app, into out (RGB
 * planes, yours); the screen's size and the page's box appended to truth. */
int screenshot_page(cairo_surface_t *clean, const conditions *c, rng *r,
		    planes *out, json_t *truth);

int scan_page(void *tif, cairo_surface_t *clean, const conditions *c,
	      rng *r, int pageno, int pages, const char *thumb);

#endif
