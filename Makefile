# Thin wrapper over ninja in build/ (set up by ./configure).
# SPDX-License-Identifier: GPL-2.0-or-later

BUILD ?= build

.PHONY: all check install clean distclean demo fuzz

all: $(BUILD)/build.ninja
	ninja -C $(BUILD)

$(BUILD)/build.ninja:
	@echo "$(BUILD)/ is not configured: run ./configure first" \
	     "(--enable-sanitizers for build-san/)" >&2; exit 1

# Runs every test, then prints the one-line summary CI reads.
check: all
	@meson test -C $(BUILD) --print-errorlogs --num-processes 2; \
	status=$$?; \
	python3 tests/summary.py $(BUILD)/meson-logs/testlog.json; \
	exit $$status

install: all
	meson install -C $(BUILD)

clean:
	-ninja -C $(BUILD) clean

distclean:
	rm -rf $(BUILD)

# The first-run demo: a three-instruction program in the connex board's
# flash, and the monitor showing its registers and code (tools/connex-demo.sh).
demo: all
	@sh tools/connex-demo.sh

# libFuzzer on every fuzz target (tests/fuzz) for FUZZ_TIME seconds each,
# in build-fuzz/ (./configure --enable-fuzzing); FUZZ_TARGETS picks some.
FUZZ_BUILD ?= build-fuzz
FUZZ_TIME ?= 60
FUZZ_TARGETS ?=
fuzz:
	@test -f $(FUZZ_BUILD)/build.ninja || { echo "$(FUZZ_BUILD)/ is not" \
	     "configured: run ./configure --enable-fuzzing first" >&2; exit 1; }
	ninja -C $(FUZZ_BUILD)
	@sh tools/run-fuzz.sh $(FUZZ_BUILD) $(FUZZ_TIME) $(FUZZ_TARGETS)
