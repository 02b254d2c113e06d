# sohoa - build, tests, demo and benchmarks. Every target first makes
# sure the Debian packages it needs are installed (`make deps`).

CC      ?= cc
VERSION := $(shell head -n 1 debian/changelog 2>/dev/null | tr -d '()' | awk '{print $$2}')
PREFIX  ?= /usr/local
SYSCONFDIR ?= /etc
UNITDIR ?= $(PREFIX)/lib/systemd/system
DESTDIR ?=
BUILD   ?= build
# the same tree under one name: a test's `make install BUILD=/abs/path/build`
# otherwise rewrites the .d files for targets named another way, and a
# plain `make` after it no longer sees which headers an object includes
override BUILD := $(patsubst $(CURDIR)/%,%,$(abspath $(BUILD)))
BIN     ?= sohoa
SAN     ?=
OPT     ?= -O2 -g
CFLAGS  := $(OPT) -std=c17 -D_GNU_SOURCE -Wall -Wextra -Werror=implicit-function-declaration \
	-DSOHOA_VERSION='"$(VERSION)"' -DSOHOA_DATADIR='"$(PREFIX)/share/sohoa"' \
	-DSOHOA_SYSCONFDIR='"$(SYSCONFDIR)"' $(EXTRA_CFLAGS)
ifneq ($(SAN),)
CFLAGS  += -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined
LDFLAGS += -fsanitize=address,undefined
endif

PKGS    := libtiff-4 lmdb libzstd jansson libcrypto inih lept tesseract libutf8proc libmicrohttpd libsodium libxml-2.0 xlsxwriter
# libharu ships no pkg-config file
SYSLIBS := -lhpdf -lpthread -lm
GENPKGS := pangocairo cairo libtiff-4 jansson

# The Debian packages: libraries and their headers, the OCR model, fonts
# for the page generator, poppler-utils for tests on exported PDFs,
# chromium (driven by playwright-core from npm) for the browser test.
DEB_PACKAGES := build-essential pkg-config libtiff-dev liblmdb-dev \
	libzstd-dev libjansson-dev libssl-dev libinih-dev libutf8proc-dev \
	libleptonica-dev libtesseract-dev tesseract-ocr tesseract-ocr-vie \
	tesseract-ocr-osd libmicrohttpd-dev libsodium-dev libcairo2-dev libpango1.0-dev \
	fonts-liberation2 fonts-dejavu-core fonts-noto-core poppler-utils \
	libhpdf-dev libxml2-dev libxlsxwriter-dev icc-profiles-free libxml2-utils qpdf \
	python3-openpyxl hunspell-vi slurm-wlm munge \
	time jq curl file chromium nodejs debhelper dpkg-dev lintian
BENCH_PACKAGES := ocrmypdf sqlite3 hyperfine bc zstd python3 wrk python3-pil python3-numpy
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

SRC     := $(sort $(shell find src -name '*.c'))
OBJ     := $(SRC:%.c=$(BUILD)/%.o)
# Everything but the command line: what unit tests link against.
LIBOBJ  := $(filter-out $(BUILD)/src/main.o $(BUILD)/src/cli/%.o,$(OBJ))
UNIT    := $(patsubst tests/unit/%.c,$(BUILD)/tests/%,$(wildcard tests/unit/test_*.c))
GEN     := $(BUILD)/sohoa-gen
MKTIFF  := $(BUILD)/mktiff
POKE    := $(BUILD)/store_poke
IXBENCH := $(BUILD)/ixbench

# pkg-config runs only once the packages are there.
cflags   = $(shell pkg-config --cflags $(1) 2>/dev/null)
libs     = $(shell pkg-config --libs $(1) 2>/dev/null)

.PHONY: all deps deps-bench browser-deps check check-asan unit demo bench seeds corpus clean install deb

# NODEPS=1 (the Debian build): the packages are the build's Build-Depends.
DEPS := $(if $(NODEPS),,deps)

all: $(BIN) $(GEN) $(MKTIFF) $(POKE) $(IXBENCH)

deps:
	@missing=$$(dpkg-query -W -f='$${Package} $${Status}\n' $(DEB_PACKAGES) 2>/dev/null \
		| awk '$$NF == "installed" {print $$1}' | sort > .deps.have; \
		for p in $(DEB_PACKAGES); do grep -qx "$$p" .deps.have || echo $$p; done); \
	rm -f .deps.have; \
	if [ -n "$$missing" ]; then \
		echo "make deps: installing" $$missing; \
		$(SUDO) apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq --no-install-recommends $$missing >/dev/null; \
	fi

deps-bench: deps
	@for p in $(BENCH_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then echo "make deps-bench: installing$$missing"; \
		DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq --no-install-recommends $$missing >/dev/null; fi

$(BUILD)/%.o: %.c | $(DEPS)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) $(call cflags,$(PKGS)) -MMD -MP -c $< -o $@

$(BIN): $(OBJ)
	$(CC) $(LDFLAGS) -o $@ $^ $(call libs,$(PKGS)) $(SYSLIBS)

$(BUILD)/tests/%: tests/unit/%.c $(LIBOBJ) | deps
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) $(call cflags,$(PKGS)) $(LDFLAGS) -o $@ $< $(LIBOBJ) $(call libs,$(PKGS)) $(SYSLIBS)

$(GEN): $(wildcard tools/gen/*.c tools/gen/*.h) | deps
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) $(call cflags,$(GENPKGS)) $(LDFLAGS) -o $@ $(filter %.c,$^) $(call libs,$(GENPKGS)) -lm

$(IXBENCH): tools/ixbench/ixbench.c $(LIBOBJ) | deps
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) $(call cflags,$(PKGS)) $(LDFLAGS) -o $@ $< $(LIBOBJ) $(call libs,$(PKGS)) $(SYSLIBS)

$(MKTIFF): tests/tools/mktiff.c | deps
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) $(call cflags,libtiff-4) $(LDFLAGS) -o $@ $< $(call libs,libtiff-4) -lm

$(POKE): tests/tools/store_poke.c | deps
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) $(call cflags,jansson) $(LDFLAGS) -o $@ $< -llmdb $(call libs,jansson libcrypto)

# playwright-core, pinned by tests/browser/package-lock.json
browser-deps: deps
	@command -v npm >/dev/null || DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq npm >/dev/null
	@[ -d tests/browser/node_modules/playwright-core ] || \
		(cd tests/browser && npm ci --no-audit --no-fund --silent)

check: all $(UNIT) browser-deps
	@SOHOA=$(abspath $(BIN)) BUILD=$(abspath $(BUILD)) sh tests/run.sh

# the unit test programs alone: no browser, no network, a minute
unit: all $(UNIT)
	@SOHOA=$(abspath $(BIN)) BUILD=$(abspath $(BUILD)) ONLY=unit sh tests/run.sh

# the kill trials' statistics are make check's; under the sanitizers
# (OCR ten times slower) three of each look for memory errors
check-asan:
	@FAULT_TRIALS=$${FAULT_TRIALS:-3} $(MAKE) --no-print-directory BUILD=build/asan BIN=build/asan/sohoa SAN=1 OPT="-O1 -g" check

demo: all
	@sh tests/demo.sh $(abspath $(BIN))

seeds: all
	@sh tools/make-seeds.sh $(abspath $(GEN))

N ?= 100
SEED ?= 7
OUT ?= corpus
corpus: all
	$(GEN) --count $(N) --seed $(SEED) --out $(OUT)

bench: all deps-bench
	@sh tests/bench/run.sh $(abspath $(BIN)) $(abspath $(GEN))

# The program, its rules and word lists, a commented configuration, the
# manual, bash completion and the systemd units; PREFIX=/usr and
# DESTDIR for a package. The installed configuration names the installed
# store, inbox and reports; the rules and word lists it names are found
# beside it when a district copies them there, else under
# $(PREFIX)/share/sohoa.
install: $(BIN)
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/share/sohoa/fields \
		$(DESTDIR)$(PREFIX)/share/sohoa/export $(DESTDIR)$(PREFIX)/share/sohoa/schemas \
		$(DESTDIR)$(SYSCONFDIR)/sohoa $(DESTDIR)$(PREFIX)/share/man/man1 \
		$(DESTDIR)$(PREFIX)/share/bash-completion/completions $(DESTDIR)$(UNITDIR)
	install -m 755 $(BIN) $(DESTDIR)$(PREFIX)/bin/sohoa
	install -m 644 config/fields/* $(DESTDIR)$(PREFIX)/share/sohoa/fields/
	install -m 644 config/vie-words.txt $(DESTDIR)$(PREFIX)/share/sohoa/
	install -m 644 config/vie-syllables.lm.zst $(DESTDIR)$(PREFIX)/share/sohoa/
	install -m 644 config/export/* $(DESTDIR)$(PREFIX)/share/sohoa/export/
	install -m 644 config/schemas/* $(DESTDIR)$(PREFIX)/share/sohoa/schemas/
	sed -e 's|^path = .*|path = /var/lib/sohoa/store|' \
		-e 's|^inbox = .*|inbox = /var/lib/sohoa/inbox|' \
		-e 's|^reports = .*|reports = /var/lib/sohoa/reports|' \
		config/sohoa.conf >$(DESTDIR)$(SYSCONFDIR)/sohoa/sohoa.conf
	chmod 644 $(DESTDIR)$(SYSCONFDIR)/sohoa/sohoa.conf
	gzip -9n <config/sohoa.1 >$(DESTDIR)$(PREFIX)/share/man/man1/sohoa.1.gz
	install -m 644 config/sohoa.bash-completion \
		$(DESTDIR)$(PREFIX)/share/bash-completion/completions/sohoa
	for u in config/systemd/*; do \
		sed -e 's|/usr/bin/sohoa|$(PREFIX)/bin/sohoa|' \
			-e 's|/etc/sohoa/|$(SYSCONFDIR)/sohoa/|' $$u \
			>$(DESTDIR)$(UNITDIR)/$$(basename $$u); \
		chmod 644 $(DESTDIR)$(UNITDIR)/$$(basename $$u); \
	done

# The Debian package, built from a copy of the sources (dpkg-buildpackage
# cleans the tree it builds in): sohoa_VERSION_ARCH.deb here, or in DEBOUT.
DEBOUT ?= .
deb: deps
	rm -rf $(BUILD)/debsrc && mkdir -p $(BUILD)/debsrc/sohoa
	tar --exclude=./build --exclude=./var --exclude=./.git --exclude=./seeds \
		--exclude=./tests --exclude='./sohoa' --exclude='./*.deb' -cf - . \
		| tar -C $(BUILD)/debsrc/sohoa -xf -
	cd $(BUILD)/debsrc/sohoa && dpkg-buildpackage -us -uc -b >../build.log 2>&1 \
		|| { tail -30 ../build.log; exit 1; }
	cp $(BUILD)/debsrc/sohoa_*.deb $(DEBOUT)/
	@ls $(DEBOUT)/sohoa_*.deb

clean:
	rm -rf build sohoa

-include $(OBJ:.o=.d)
