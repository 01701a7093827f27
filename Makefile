# relcore -- standalone build of the C core, the CLI binary, C unit tests
# and the sanitizer build.  `pip install .` builds the same sources through
# setup.py; this Makefile needs no Python.
#
#   make              the ./relcore binary (release; with GCC profile-guided,
#                     see PGO below; PGO=0 builds it without a profile)
#   make asan         ./relcore-asan and the C tests with ASan + UBSan
#   make test-c-tsan  the C tests that run threads, with ThreadSanitizer
#   make test-c       build and run tests/c/test_*.c
#   make check-deps   say which system package is missing, if any

CC      ?= cc
CFLAGS  ?= -O2 -g
STD      = -std=c11 -D_GNU_SOURCE -Wall -Wextra -Werror -fPIC -pthread
LIBS     = -lcsv -lsqlite3 -lutf8proc -lxxhash -luring -lpthread -lm
# The ./relcore binary links these from their archives where the system
# has them (Debian's -dev packages do): a run then maps and relocates no
# library of theirs, 0.5-0.8 ms less for every command.  libcsv (LGPL)
# stays shared, and so does every library where its archive is missing.
CLI_STATIC = sqlite3 utf8proc xxhash uring
archive    = $(filter /%,$(shell $(CC) -print-file-name=lib$(1).a))
CLI_LIBS   = -lcsv $(foreach l,$(CLI_STATIC),$(or $(call archive,$(l)),-l$(l))) -lpthread -lm
SAN      = -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined
TSAN     = -fsanitize=thread

# With GCC the release objects are compiled twice.  First instrumented
# (build/pgo/, -fprofile-generate) and linked into build/pgo/relcore,
# which runs the commands of PGO_RUNS over examples/corpus (our own
# articles); then with the counts that run left (-fprofile-use), so that
# GCC lays out each branch and inlines as the commands went.  Code the
# run never reached is optimised as without a profile
# (-fprofile-partial-training).  The output is the same either way; the
# rule pipeline runs 2-5% faster (bench/NOTES.md).  PGO=0, or another
# compiler, builds them once without a profile: run `make clean` after
# switching.
PGO ?= $(shell $(CC) -v 2>&1 | grep -q '^gcc version' && echo 1 || echo 0)
PGO_GEN = -fprofile-generate -fprofile-update=atomic
PGO_OBJ = $(CORE_SRC:csrc/%.c=build/pgo/%.o) build/pgo/cli_main.o
PGO_PROFILE = $(if $(filter 1,$(PGO)),build/pgo/profile.done)
# both compiles of csrc/X.c name their profile build/pgo/X.gcda, as GCC
# names a static function's counts after that path
PGO_AUX = -dumpdir build/pgo/ -dumpbase $*
PGO_USE = $(if $(PGO_PROFILE),-fprofile-use -fprofile-partial-training $(PGO_AUX))
PGO_RUNS = "cooccur --ner rules" "cooccur --ner rules --threads 1" \
	"cooccur --ner rules --context document --directed --threads 1" \
	"cooccur --ner rules --context paragraph --level country --threads 1" \
	"cooccur --threads 1" "count --ner rules --threads 1" "count --threads 1" \
	"entities --ner rules --threads 1" "kwic --entity Iran --threads 1" \
	"timeline --threads 1" "matrix --ner rules --threads 1" \
	"cooccur --terms --context window:10 --threads 1" "count --terms --threads 1" \
	"tokens" "sentences"
# the corpus named 20 times over, so that the counts of the analysis
# outweigh those of the start (reading the built-in data)
PGO_INPUT = $(foreach i,1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20,examples/corpus)

CORE_SRC = $(sort $(wildcard csrc/rc_*.c)) csrc/cli.c
DATA     = gazetteer rules stopwords ner_model gazetteer_snapshot
GEN_SRC  = $(DATA:%=build/gen/%_data.c)
TESTS_C  = $(sort $(wildcard tests/c/test_*.c))
TESTS_REL  = $(TESTS_C:tests/c/%.c=build/rel/tests/%)
TESTS_ASAN = $(TESTS_C:tests/c/%.c=build/asan/tests/%)
# the tests whose code runs on threads: the analysis pool, a query's team
TESTS_TSAN = build/tsan/tests/test_thread build/tsan/tests/test_corpus

REL_OBJ  = $(CORE_SRC:csrc/%.c=build/rel/%.o) $(DATA:%=build/rel/%_data.o)
ASAN_OBJ = $(CORE_SRC:csrc/%.c=build/asan/%.o) $(DATA:%=build/asan/%_data.o)
TSAN_OBJ = $(CORE_SRC:csrc/%.c=build/tsan/%.o) $(DATA:%=build/tsan/%_data.o)

.PHONY: all asan build-test-c build-test-c-asan build-test-c-tsan test-c test-c-asan \
	test-c-tsan check-deps clean model
all: check-deps relcore

relcore: $(REL_OBJ) build/rel/cli_main.o
	$(CC) $(CFLAGS) $(STD) -o $@ $^ $(CLI_LIBS)

relcore-asan: $(ASAN_OBJ) build/asan/cli_main.o
	$(CC) $(CFLAGS) $(STD) $(SAN) -o $@ $^ $(LIBS)

asan: check-deps relcore-asan $(TESTS_ASAN)

build/rel/%.o: csrc/%.c csrc/*.h $(PGO_PROFILE)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(STD) $(PGO_USE) -Icsrc -c -o $@ $<

build/asan/%.o: csrc/%.c csrc/*.h
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(STD) $(SAN) -Icsrc -c -o $@ $<

build/tsan/%.o: csrc/%.c csrc/*.h
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(STD) $(TSAN) -Icsrc -c -o $@ $<

build/tsan/%_data.o: build/gen/%_data.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(STD) -c -o $@ $<

build/rel/%_data.o: build/gen/%_data.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(STD) -c -o $@ $<

build/asan/%_data.o: build/gen/%_data.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(STD) -c -o $@ $<

build/gen/embed: csrc/tools/embed.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(STD) -o $@ $<

build/gen/%_data.c: csrc/data/%.tsv build/gen/embed
	build/gen/embed rc_builtin_$* $< $@

build/gen/ner_model_data.c: csrc/data/ner_model.bin build/gen/embed
	build/gen/embed rc_builtin_model $< $@

# The built-in gazetteer as parsed and frozen (rc_gazetteer_snapshot),
# made by the core itself: csrc/tools/snapshot.c linked with the core's
# objects (the instrumented ones under PGO, which need no profile), no
# snapshot and no model (no_snapshot.c), so it is made again whenever the
# core changes.
SNAP_DIR = $(if $(PGO_PROFILE),build/pgo,build/rel)
SNAP_OBJ = $(patsubst csrc/%.c,$(SNAP_DIR)/%.o,$(sort $(wildcard csrc/rc_*.c))) \
           $(patsubst %,build/rel/%_data.o,gazetteer rules stopwords)

build/gen/snapshot: csrc/tools/snapshot.c csrc/tools/no_snapshot.c $(SNAP_OBJ)
	$(CC) $(CFLAGS) $(STD) $(if $(PGO_PROFILE),$(PGO_GEN)) -Icsrc -o $@ csrc/tools/snapshot.c \
		csrc/tools/no_snapshot.c $(SNAP_OBJ) $(LIBS)

# (under PGO the tool is instrumented: the counts of an older build go
# first, and build/pgo/profile.done drops the tool's own)
build/gen/gazetteer.snapshot: build/gen/snapshot
	$(if $(PGO_PROFILE),rm -f build/pgo/*.gcda)
	build/gen/snapshot $@

build/gen/gazetteer_snapshot_data.c: build/gen/gazetteer.snapshot build/gen/embed
	build/gen/embed rc_builtin_snapshot $< $@

# --- Profile-guided optimisation: the instrumented build and its run --------
build/pgo/%.o: csrc/%.c csrc/*.h
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(STD) $(PGO_GEN) $(PGO_AUX) -Icsrc -c -o $@ $<

build/pgo/relcore: $(PGO_OBJ) $(DATA:%=build/rel/%_data.o)
	$(CC) $(CFLAGS) $(STD) $(PGO_GEN) -o $@ $^ $(LIBS)

build/pgo/profile.done: build/pgo/relcore $(wildcard examples/corpus/*)
	rm -f build/pgo/*.gcda
	@for args in $(PGO_RUNS); do \
		build/pgo/relcore $$args $(PGO_INPUT) > /dev/null || exit 1; \
	done
	touch $@

# Retrain the built-in tagger from CoNLL-2003 (not in the repository; see
# ../shared/ner/README.md): eng.train to learn, eng.testa to pick the epoch.
NER_DATA ?= ../shared/ner/conll2003
model: relcore
	./relcore train-ner $(NER_DATA)/eng.train --dev $(NER_DATA)/eng.testa -o csrc/data/ner_model.bin

build/rel/tests/%: tests/c/%.c tests/c/test.h tests/c/tables.h $(REL_OBJ)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(STD) -Icsrc -o $@ $< $(REL_OBJ) $(LIBS)

build/asan/tests/%: tests/c/%.c tests/c/test.h tests/c/tables.h $(ASAN_OBJ)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(STD) $(SAN) -Icsrc -o $@ $< $(ASAN_OBJ) $(LIBS)

build/tsan/tests/%: tests/c/%.c tests/c/test.h tests/c/tables.h $(TSAN_OBJ)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(STD) $(TSAN) -Icsrc -o $@ $< $(TSAN_OBJ) $(LIBS)

build-test-c: $(TESTS_REL)
build-test-c-asan: $(TESTS_ASAN)
build-test-c-tsan: $(TESTS_TSAN)

test-c: build-test-c
	@for t in $(TESTS_REL); do $$t || exit 1; done

test-c-asan: build-test-c-asan
	@for t in $(TESTS_ASAN); do $$t || exit 1; done

# A data race stops the test (ThreadSanitizer's report, a failing status).
test-c-tsan: build-test-c-tsan
	@for t in $(TESTS_TSAN); do TSAN_OPTIONS=halt_on_error=1 $$t || exit 1; done

# libcsv ships no pkg-config file: detect each library with a compile check.
check-deps:
	@sh csrc/tools/check-deps.sh "$(CC)"

clean:
	rm -rf build relcore relcore-asan

# --- The two commands of the README -------------------------------------
#   make demo    install everything, then the main job on examples/corpus
#   make check   install everything, then every test, the sanitizer run,
#                the fuzz targets (make fuzz) and valgrind (make valgrind)
PYTHON ?= python3
ASAN_LIB = $(shell $(CC) -print-file-name=libasan.so)

.PHONY: deps demo check test test-asan
deps:
	sh csrc/tools/install-deps.sh
	$(PYTHON) -m pip install -q '.[test]'

demo: deps
	relcore cooccur examples/corpus --top 10

# Every build the checks run (release, sanitizer, fuzz, the C tests of both,
# the sanitizer's Python extension) first, on every core at once; then the
# tests, one after another.
NPROC := $(shell nproc 2>/dev/null || echo 2)
check: deps
	$(MAKE) -j$(NPROC) $(CHECK_BUILDS)
	$(MAKE) test test-asan test-c-tsan fuzz valgrind

ASAN_PYEXT  = build/asan-py/relcore/_core.so
PY_INCLUDE  = $(shell $(PYTHON) -c 'import sysconfig; print(sysconfig.get_paths()["include"])')
CHECK_BUILDS = relcore relcore-asan fuzz-build $(ASAN_PYEXT) build-test-c build-test-c-asan \
	build-test-c-tsan

# pytest-xdist: the tests on every core (-n), each test in one worker.
test: relcore
	$(PYTHON) -m pytest -q -n $(NPROC)

# The whole suite against the sanitizer build: the C tests and the binary
# with ASan + UBSan, and the extension linked from the same objects (run
# with the ASan runtime preloaded; leak detection is off inside the Python
# process).  Python imports an extension named plain _core.so as well.
# Tests marked nosan (Dask workers, the notebook) stay out of this pass.
test-asan: relcore-asan $(ASAN_PYEXT)
	RELCORE_BIN=$(CURDIR)/relcore-asan RELCORE_SANITIZE=1 PYTHONPATH=$(CURDIR)/build/asan-py \
	ASAN_OPTIONS=detect_leaks=0 UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
	LD_PRELOAD=$(ASAN_LIB) $(PYTHON) -m pytest -q -n $(NPROC) -p no:cacheprovider -m 'not nosan'

build/asan/pyext.o: csrc/pyext/relcore_module.c csrc/*.h
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(STD) $(SAN) -Wno-missing-field-initializers -Wno-cast-function-type \
		-Icsrc -I$(PY_INCLUDE) -c -o $@ $<

$(ASAN_PYEXT): build/asan/pyext.o $(ASAN_OBJ) python/relcore/*.py python/relcore/*.pyi
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(SAN) -shared -o $@ build/asan/pyext.o $(ASAN_OBJ) $(LIBS)
	cp python/relcore/*.py python/relcore/*.pyi python/relcore/py.typed $(dir $@)

# --- Fuzzing (libFuzzer: clang and libclang-rt-14-dev) ------------------
# One target a parser (fuzz/fuzz_*.c), the core built with clang for
# coverage and with ASan + UBSan; each runs FUZZ_TIME seconds from the seeds
# we wrote (fuzz/seeds/TARGET/), on a copy of them.
FUZZ_CC   ?= clang
FUZZ_TIME ?= 20
FUZZ_SAN   = -fsanitize=address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer
FUZZ_TARGETS = $(basename $(notdir $(sort $(wildcard fuzz/fuzz_*.c))))
FUZZ_OBJ  = $(CORE_SRC:csrc/%.c=build/fuzz/%.o) $(DATA:%=build/fuzz/%_data.o)

build/fuzz/%.o: csrc/%.c csrc/*.h
	@mkdir -p $(dir $@)
	$(FUZZ_CC) -O1 -g $(STD) $(FUZZ_SAN) -fsanitize=fuzzer-no-link -Icsrc -c -o $@ $<

build/fuzz/%_data.o: build/gen/%_data.c
	@mkdir -p $(dir $@)
	$(FUZZ_CC) -O1 -g $(STD) -c -o $@ $<

build/fuzz/fuzz_%: fuzz/fuzz_%.c fuzz/fuzz.h tests/c/tables.h $(FUZZ_OBJ)
	$(FUZZ_CC) -O1 -g $(STD) $(FUZZ_SAN) -fsanitize=fuzzer -Icsrc -o $@ $< $(FUZZ_OBJ) $(LIBS)

.PHONY: fuzz-build fuzz valgrind
fuzz-build: $(FUZZ_TARGETS:%=build/fuzz/%)

fuzz: fuzz-build
	sh fuzz/run.sh $(FUZZ_TIME) $(FUZZ_TARGETS)

# --- valgrind memcheck on the release binary -----------------------------
# Every subcommand that reads the corpus, over examples/corpus: any memory
# error or a definite/indirect leak fails the run.
VALGRIND = valgrind -q --error-exitcode=1 --leak-check=full \
	--errors-for-leak-kinds=definite,indirect --show-leak-kinds=definite,indirect
VALGRIND_RUNS = count cooccur "cooccur --context window:5 --count weighted" \
	"kwic --entity Iran --entity Pakistan" timeline matrix entities sentences tokens \
	"cooccur --format graphml" "count --strict"

valgrind: relcore
	@for args in $(VALGRIND_RUNS); do \
		echo "valgrind: relcore $$args examples/corpus"; \
		$(VALGRIND) ./relcore $$args examples/corpus > /dev/null || exit 1; \
	done
	@echo "valgrind: no memory error, no leak"

bench/bench_core: bench/bench_core.c $(REL_OBJ)
	$(CC) $(CFLAGS) $(STD) -Icsrc -o $@ $< $(REL_OBJ) $(LIBS)

# keep generated sources between builds
.SECONDARY:
