#!/bin/bash
# Installs the Debian packages mvm needs to build and test, if missing.
# Idempotent and quick when everything is present.
set -euo pipefail

PKGS=(
	build-essential pkg-config python3
	libfdt-dev liblzma-dev zlib1g-dev device-tree-compiler
	gcc-mips64el-linux-gnuabi64 binutils-mips64el-linux-gnuabi64
	qemu-user-static qemu-system-mips
	cpio xz-utils e2fsprogs iproute2
	clang libclang-rt-14-dev
	gdb-multiarch
)

missing=()
for p in "${PKGS[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed' ||
		missing+=("$p")
done
need_arch=0
dpkg --print-foreign-architectures | grep -qx mips64el || need_arch=1

if [ ${#missing[@]} -eq 0 ] && [ $need_arch -eq 0 ]; then
	exit 0
fi

SUDO=
[ "$(id -u)" -eq 0 ] || SUDO=sudo
echo "setup: installing ${missing[*]:-(mips64el architecture)}" >&2
[ $need_arch -eq 0 ] || $SUDO dpkg --add-architecture mips64el
$SUDO apt-get update -qq
if [ ${#missing[@]} -gt 0 ]; then
	DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq \
		--no-install-recommends "${missing[@]}" >/dev/null
fi
