#!/bin/sh
# install-deps.sh -- install the Debian packages relcore builds against
# (libcsv, sqlite3, utf8proc, xxhash, liburing) and the tools of its checks (clang with the
# libFuzzer runtime for `make fuzz`, valgrind for `make valgrind`,
# ThreadSanitizer's runtime for `make test-c-tsan`) when one is missing.  Needs root (or sudo) and apt-get; elsewhere it names what to
# install.
set -e
here=$(dirname "$0")
pkgs=""
sh "$here/check-deps.sh" "${CC:-cc}" 2>/dev/null ||
    pkgs="libcsv-dev libsqlite3-dev libutf8proc-dev libxxhash-dev liburing-dev"
# libFuzzer's runtime ships in libclang-rt-14-dev on Debian bookworm
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
printf 'int LLVMFuzzerTestOneInput(const char *d, unsigned long n) { (void)d; (void)n; return 0; }\n' > "$tmp/f.c"
command -v clang >/dev/null 2>&1 &&
    clang -fsanitize=fuzzer,address,undefined "$tmp/f.c" -o "$tmp/f" >/dev/null 2>&1 ||
    pkgs="$pkgs clang libclang-rt-14-dev"
command -v valgrind >/dev/null 2>&1 || pkgs="$pkgs valgrind"
# ThreadSanitizer's runtime (`make test-c-tsan`) comes with GCC's
printf 'int main(void) { return 0; }\n' > "$tmp/t.c"
"${CC:-cc}" -fsanitize=thread "$tmp/t.c" -o "$tmp/t" >/dev/null 2>&1 || pkgs="$pkgs libtsan2"
[ -n "$pkgs" ] || exit 0
if [ "$(id -u)" = 0 ]; then sudo=""; elif command -v sudo >/dev/null; then sudo=sudo; else
    echo "relcore: run as root: apt-get install$pkgs" >&2; exit 1
fi
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq $pkgs >/dev/null
sh "$here/check-deps.sh" "${CC:-cc}"
