#!/bin/bash
# Fetches what the QEMU MIPS64 host needs and prints the directory holding it:
#   boot/vmlinuz              Debian's 5kc-malta kernel (an ELF QEMU's -kernel takes)
#   headers/                  the flavour headers, ready for `make -C headers M=...`
#   busybox                   busybox-static for mips64el
#   kselftest/                kselftest.h + kselftest_harness.h from linux-source
#   abi, version              e.g. 6.1.0-50 and 6.1.176-1
# ~/.cache/mvm/host/current links to it.
# Packages come from Debian's archive (apt-get download + dpkg -x, never
# installed), are cached under ~/.cache/mvm and reused: a second run asks
# nothing of apt. The ABI is the newest 6.1.0-N for which every package exists.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/../lib.sh"
FLAVOUR=5kc-malta
STAMP_VERSION=2

# download NAME VERSION [ARCH]: cached .deb path for exactly that version.
download() {
	local name=$1 ver=$2 arch=${3:-} spec f
	f=$(ls "$DEBS/${name}_${ver//:/%3a}_"*.deb 2>/dev/null | head -1 || true)
	if [ -z "$f" ]; then
		spec=$name${arch:+:$arch}=$ver
		(cd "$DEBS" && apt-get download "$spec" >/dev/null 2>&1) ||
			{ apt-get update -qq && (cd "$DEBS" && apt-get download "$spec" >/dev/null 2>&1); } ||
			{ echo "host-fetch: cannot download $spec" >&2; exit 1; }
		f=$(ls "$DEBS/${name}_${ver//:/%3a}_"*.deb | head -1)
	fi
	echo "$f"
}

# pkg_version NAME [ARCH]: candidate version in the archive, empty if none.
pkg_version() {
	apt-cache show "$1${2:+:$2}" 2>/dev/null | sed -n 's/^Version: //p' | sort -V | tail -1
}

# Newest ABI whose image, flavour headers, common headers and matching
# amd64 linux-kbuild all exist.
pick_abi() {
	local abi ver
	for abi in $(apt-cache search --names-only "^linux-image-6\.1\.0-[0-9]+-$FLAVOUR\$" |
			sed -n "s/^linux-image-\(6\.1\.0-[0-9]*\)-$FLAVOUR .*/\1/p" |
			sort -t- -k2,2nr); do
		ver=$(pkg_version "linux-image-$abi-$FLAVOUR" mips64el)
		[ -n "$ver" ] || continue
		[ "$(pkg_version "linux-headers-$abi-$FLAVOUR" mips64el)" = "$ver" ] || continue
		[ "$(pkg_version "linux-headers-$abi-common")" = "$ver" ] || continue
		apt-cache show "linux-kbuild-6.1=$ver" >/dev/null 2>&1 || continue
		echo "$abi $ver"
		return 0
	done
	return 1
}

# A prepared host in the cache wins (the archive moves; the cache does not).
for d in $(ls -d "$CACHE"/host/6.1.0-* 2>/dev/null | sort -t- -k2,2nr); do
	if [ "$(cat "$d/stamp" 2>/dev/null)" = "$STAMP_VERSION" ]; then
		ln -sfn "$d" "$CACHE/host/current"
		echo "$d"
		exit 0
	fi
done

read -r abi ver < <(pick_abi || { apt-get update -qq && pick_abi; }) ||
	{ echo "host-fetch: no linux 6.1 $FLAVOUR ABI with headers and kbuild in the archive" >&2; exit 1; }
out=$CACHE/host/$abi
echo "host-fetch: preparing $abi ($ver) in $out" >&2
rm -rf "$out"
mkdir -p "$out/x"
x=$out/x
dpkg -x "$(download "linux-image-$abi-$FLAVOUR" "$ver" mips64el)" "$x"
dpkg -x "$(download "linux-headers-$abi-$FLAVOUR" "$ver" mips64el)" "$x"
dpkg -x "$(download "linux-headers-$abi-common" "$ver")" "$x"
dpkg -x "$(download linux-kbuild-6.1 "$ver" amd64)" "$x"
# The host boots from its initramfs alone: its modules are not needed.
rm -rf "$x/lib/modules"
bb=$(fetch_deb busybox-static:mips64el)
dpkg -x "$bb" "$out/bb"

# The flavour headers link scripts/ and tools/ to ../../lib/linux-kbuild-6.1
# (relative to /usr/src): the amd64 kbuild extracted beside them satisfies that.
hdr=$x/usr/src/linux-headers-$abi-$FLAVOUR
[ -e "$hdr/scripts/basic/fixdep" ] ||
	{ echo "host-fetch: $hdr/scripts does not resolve to linux-kbuild" >&2; exit 1; }
# Its Makefile includes the common headers by absolute path.
sed -i "s|/usr/src/linux-headers-$abi-common|$x/usr/src/linux-headers-$abi-common|g" \
	"$hdr/Makefile"
ln -sfn "$hdr" "$out/headers"
mkdir -p "$out/boot"
ln -sfn "$x/boot/vmlinuz-$abi-$FLAVOUR" "$out/boot/vmlinuz"
mv "$out/bb/bin/busybox" "$out/busybox"
rm -rf "$out/bb"

# The kselftest harness lives only in the kernel source tarball: extract the
# two headers once (the 139 MB .deb is dropped afterwards).
mkdir -p "$out/kselftest" "$out/src"
src=$(download linux-source-6.1 "$ver")
dpkg-deb --fsys-tarfile "$src" | tar -xO --wildcards './usr/src/linux-source-*.tar.xz' |
	tar -xJ -C "$out/src" --strip-components=1 --wildcards \
		'linux-source-*/tools/testing/selftests/kselftest.h' \
		'linux-source-*/tools/testing/selftests/kselftest_harness.h' \
		'linux-source-*/scripts/checkpatch.pl' \
		'linux-source-*/scripts/spelling.txt' \
		'linux-source-*/scripts/const_structs.checkpatch'
mv "$out"/src/tools/testing/selftests/kselftest*.h "$out/kselftest/"
[ -f "$out/kselftest/kselftest_harness.h" ] ||
	{ echo "host-fetch: kselftest headers not found in $src" >&2; exit 1; }
rm -f "$src"

echo "$abi" > "$out/abi"
echo "$ver" > "$out/version"
echo "$STAMP_VERSION" > "$out/stamp"
ln -sfn "$out" "$CACHE/host/current"
echo "$out"
