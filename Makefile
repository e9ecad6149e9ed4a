# SPDX-License-Identifier: GPL-2.0-or-later
# The one build of mntx: the program, its tool links, man pages, completions,
# the test suite and the fuzz targets.
#
#   make demo            install missing build deps, build, run ./mntx lsmnt
#   make check           install missing deps, build, run the bats suite
#   make check SANITIZE=1  the same with ASan and UBSan
#   make fuzz            build the libFuzzer targets (clang)
#   make install [PREFIX=/usr/local] [DESTDIR=]

VERSION   := 0.1.0
PREFIX    ?= /usr/local
BINDIR    ?= $(PREFIX)/bin
MANDIR    ?= $(PREFIX)/share/man
BASHCOMPDIR ?= $(PREFIX)/share/bash-completion/completions
ZSHCOMPDIR  ?= $(PREFIX)/share/zsh/vendor-completions
FISHCOMPDIR ?= $(PREFIX)/share/fish/vendor_completions.d

# Debian packages the build needs, and what else `make check` uses.
BUILD_PKGS := pkg-config libbsd-dev libsmartcols-dev
CHECK_PKGS := libcjson-dev bats jq util-linux e2fsprogs man-db zsh fish python3
FUZZ_PKGS  := libcjson-dev clang libclang-rt-14-dev
# The kernel matrix (make check-kernel): what the host needs to boot a
# Debian kernel under qemu, and what the guest's Debian 12 holds besides
# the build and check packages.
VM_PKGS    := qemu-system-x86 debootstrap busybox-static kmod e2fsprogs xz-utils zstd
GUEST_PKGS := make gcc libc6-dev kmod procps

# mntx links libsmartcols (tables) and libbsd; its JSON writer is its own
# (src/out.c).  The unit tests and fuzz targets check that JSON with a
# second, independent parser: cJSON.
PKGS      := libbsd-overlay smartcols
TEST_PKGS := libcjson
CC        ?= gcc
CFLAGS    ?= -O2 -g
WERROR    ?= -Werror
Q         := $(if $(V),,@)
MNTX_CFLAGS = -std=gnu11 -Wall -Wextra $(WERROR) -Wno-missing-field-initializers \
	      -D_GNU_SOURCE -Isrc -DMNTX_VERSION='"$(VERSION)"' \
	      $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
# libbsd and its libmd are linked statically: every tool starts a process
# per call, and each shared object costs its mapping and relocation at
# every start (lsmnt PATH should take under a millisecond).
LDLIBS    = -Wl,-Bstatic $(shell pkg-config --static --libs libbsd 2>/dev/null) -Wl,-Bdynamic \
	    $(shell pkg-config --libs smartcols 2>/dev/null)
TEST_LDLIBS = $(LDLIBS) $(shell pkg-config --libs $(TEST_PKGS) 2>/dev/null)

ifeq ($(SANITIZE),1)
BUILDDIR  := build/san
CFLAGS    := -O1 -g -fno-omit-frame-pointer -fsanitize=address,undefined -fno-sanitize-recover=undefined
LDFLAGS   += -fsanitize=address,undefined
else
BUILDDIR  := build/opt
endif

SRC_C   := $(sort $(wildcard src/*.c))
CMD_C   := $(sort $(wildcard cmd/*.c))
SRC_O   := $(SRC_C:%.c=$(BUILDDIR)/%.o)
CMD_O   := $(CMD_C:%.c=$(BUILDDIR)/%.o)
LIB     := $(BUILDDIR)/libmntx.a
UNIT_C  := $(sort $(wildcard tests/unit/*.c))
UNIT_BIN := $(UNIT_C:tests/unit/%.c=$(BUILDDIR)/unit/%)
FUZZ_C  := $(sort $(wildcard tests/fuzz/*.c))
FUZZ_BIN := $(FUZZ_C:tests/fuzz/%.c=build/fuzz/%)

.PHONY: all demo check check-kernel check-kernel-deps print-guest-pkgs deps check-deps fuzz-deps install uninstall clean fuzz completions units

all: mntx

# Sanitized builds live beside the normal one; ./mntx is whichever was
# asked for last, so `make check SANITIZE=1` tests the sanitized binary and
# a later plain `make` puts the normal one back.
.PHONY: mntx
mntx: $(BUILDDIR)/mntx
	@cmp -s $< $@ || cp -f $< $@

$(BUILDDIR)/mntx: $(CMD_O) $(LIB)
	$(CC) $(LDFLAGS) -o $@ $(CMD_O) $(LIB) $(LDLIBS)

$(LIB): $(SRC_O)
	rm -f $@ && ar rcs $@ $^

$(BUILDDIR)/%.o: %.c $(wildcard src/*.h cmd/*.h) | deps-ok
	@mkdir -p $(dir $@)
	@echo "  CC      $<"
	$(Q)$(CC) $(CFLAGS) $(MNTX_CFLAGS) -Icmd -c -o $@ $<

$(BUILDDIR)/unit/%: tests/unit/%.c $(wildcard tests/unit/*.h) $(LIB)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(MNTX_CFLAGS) $(shell pkg-config --cflags $(TEST_PKGS) 2>/dev/null) $(LDFLAGS) \
		-o $@ $< $(LIB) $(TEST_LDLIBS)

units: $(UNIT_BIN)

# Install what is missing from Debian when root; otherwise say the command.
define apt_install
	@missing=""; for p in $(1); do \
		dpkg-query -W -f='$${Status}\n' $$p 2>/dev/null | grep -q 'install ok installed' || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
		if [ "$$(id -u)" = 0 ]; then \
			echo "installing:$$missing"; \
			apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $(2) $$missing >/dev/null || exit 1; \
		else \
			echo "missing packages; run: sudo apt-get install$$missing" >&2; exit 1; \
		fi; \
	fi
endef

deps:
	$(call apt_install,$(BUILD_PKGS))
check-deps:
	$(call apt_install,$(BUILD_PKGS) $(CHECK_PKGS))
fuzz-deps:
	$(call apt_install,$(BUILD_PKGS) $(FUZZ_PKGS))

# Order-only prerequisite of every object: `make` alone does not touch apt,
# but fails early with the command to run when pkg-config does not know a lib.
.PHONY: deps-ok
deps-ok:
	@pkg-config --exists $(PKGS) 2>/dev/null || { \
		echo "build dependencies missing: run 'make deps' (or: apt-get install $(BUILD_PKGS))" >&2; exit 1; }

demo: deps
	$(MAKE) mntx
	./mntx lsmnt

# TESTS: bats files to run instead of all of tests/*.bats; JOBS: how many
# at a time (tests/run; one per CPU by default).
JOBS ?= $(shell nproc)
check: check-deps
	$(MAKE) mntx units
	JOBS=$(JOBS) tests/run $(TESTS)

# The suite under another Debian kernel in qemu: KERNEL=5.10, 6.1 or 6.12
# (Debian 11, 12, 13), TESTS as for check.  See tests/kernel/run.
check-kernel: check-kernel-deps
	@test -n "$(KERNEL)" || { echo "usage: make check-kernel KERNEL=5.10|6.1|6.12 [TESTS=...]" >&2; exit 2; }
	tests/kernel/run $(KERNEL) $(TESTS)
check-kernel-deps:
	$(call apt_install,$(VM_PKGS),--no-install-recommends)
print-guest-pkgs:
	@echo $(sort $(BUILD_PKGS) $(CHECK_PKGS) $(GUEST_PKGS))

# libFuzzer targets, one per parser of user input; see tests/fuzz/.
FUZZ_CFLAGS = -std=gnu11 -g -O1 -D_GNU_SOURCE -Isrc -DMNTX_VERSION='"$(VERSION)"' -fsanitize=fuzzer,address,undefined \
	      $(shell pkg-config --cflags $(PKGS) $(TEST_PKGS) 2>/dev/null)
fuzz: fuzz-deps
	$(MAKE) $(FUZZ_BIN)
build/fuzz/%: tests/fuzz/%.c $(SRC_C) $(wildcard src/*.h)
	@mkdir -p $(dir $@)
	clang $(FUZZ_CFLAGS) -o $@ $< $(SRC_C) $(TEST_LDLIBS)

# Completion scripts are generated from the command and option tables and
# committed; tests/mntx.bats checks that they are current.
completions: mntx
	./mntx --completion=bash >completions/mntx.bash
	./mntx --completion=zsh >completions/_mntx
	./mntx --completion=fish >completions/mntx.fish

install: mntx
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(MANDIR)/man1 \
		$(DESTDIR)$(BASHCOMPDIR) $(DESTDIR)$(ZSHCOMPDIR) $(DESTDIR)$(FISHCOMPDIR)
	install -m 755 mntx $(DESTDIR)$(BINDIR)/mntx
	for t in $$(./mntx --list); do ln -sf mntx $(DESTDIR)$(BINDIR)/$$t; done
	install -m 644 man/*.1 $(DESTDIR)$(MANDIR)/man1/
	install -m 644 completions/mntx.bash $(DESTDIR)$(BASHCOMPDIR)/mntx
	for t in $$(./mntx --list); do ln -sf mntx $(DESTDIR)$(BASHCOMPDIR)/$$t; done
	install -m 644 completions/_mntx $(DESTDIR)$(ZSHCOMPDIR)/_mntx
	install -m 644 completions/mntx.fish $(DESTDIR)$(FISHCOMPDIR)/mntx.fish
	for t in $$(./mntx --list); do ln -sf mntx.fish $(DESTDIR)$(FISHCOMPDIR)/$$t.fish; done

uninstall:
	for t in $$(./mntx --list); do rm -f $(DESTDIR)$(BINDIR)/$$t $(DESTDIR)$(BASHCOMPDIR)/$$t $(DESTDIR)$(FISHCOMPDIR)/$$t.fish; done
	rm -f $(DESTDIR)$(BINDIR)/mntx $(DESTDIR)$(BASHCOMPDIR)/mntx $(DESTDIR)$(ZSHCOMPDIR)/_mntx $(DESTDIR)$(FISHCOMPDIR)/mntx.fish
	cd man && for m in *.1; do rm -f $(DESTDIR)$(MANDIR)/man1/$$m; done

clean:
	rm -rf build mntx
