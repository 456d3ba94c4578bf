#!/bin/bash
# The mips64el static libraries the VMM links (libfdt, liblzma, zlib), for
# cross-building a static `mvm` that runs on the QEMU MIPS64 host. Prints the
# directory (usr/include, usr/lib/mips64el-linux-gnuabi64). Cached.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/../lib.sh"
out=$CACHE/host/mips64el-libs
if [ ! -f "$out/stamp" ]; then
	rm -rf "$out"
	mkdir -p "$out"
	for p in libfdt-dev liblzma-dev zlib1g-dev; do
		dpkg -x "$(fetch_deb "$p:mips64el")" "$out"
	done
	echo 1 > "$out/stamp"
fi
echo "$out"
