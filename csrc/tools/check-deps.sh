#!/bin/sh
# check-deps.sh CC -- compile-check each system library relcore links and
# name the Debian package to install when one is missing.
cc=${1:-cc}
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT
missing=""
check() { # header symbol lib package
    printf '#include <%s>\nint main(void){ (void)&%s; return 0; }\n' "$1" "$2" > "$tmp/t.c"
    if ! "$cc" "$tmp/t.c" -o "$tmp/t" "-l$3" >/dev/null 2>&1; then
        echo "relcore: missing $1 / lib$3: install the Debian package $4 (apt-get install $4)" >&2
        missing="$missing $4"
    fi
}
check csv.h csv_init csv libcsv-dev
check sqlite3.h sqlite3_open_v2 sqlite3 libsqlite3-dev
check utf8proc.h utf8proc_category utf8proc libutf8proc-dev
check xxhash.h XXH3_128bits xxhash libxxhash-dev
check liburing.h io_uring_queue_init uring liburing-dev
[ -z "$missing" ] || exit 1
