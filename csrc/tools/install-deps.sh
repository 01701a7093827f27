#!/bin/sh
# install-deps.sh -- install the Debian packages relcore builds against
# (libcsv, sqlite3, utf8proc, xxhash) when a compile check says one is missing.
# Needs root (or sudo) and apt-get; elsewhere it names what to install.
set -e
here=$(dirname "$0")
if sh "$here/check-deps.sh" "${CC:-cc}" 2>/dev/null; then
    exit 0
fi
pkgs="libcsv-dev libsqlite3-dev libutf8proc-dev libxxhash-dev"
if [ "$(id -u)" = 0 ]; then sudo=""; elif command -v sudo >/dev/null; then sudo=sudo; else
    echo "relcore: run as root: apt-get install $pkgs" >&2; exit 1
fi
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq $pkgs >/dev/null
sh "$here/check-deps.sh" "${CC:-cc}"
