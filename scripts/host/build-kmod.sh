#!/bin/bash
# Cross-builds mvm.ko against the host's kernel headers (scripts/host/fetch.sh)
# and checks that its vermagic is the host kernel's. Output: build/kmod/mvm.ko
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
HOST=$("$ROOT/scripts/host/fetch.sh")
OUT=$ROOT/build/kmod
# Kbuild writes objects beside the sources: build from a mirror in build/.
SRC=$OUT/src
mkdir -p "$SRC"
# cp -u keeps the timestamps of unchanged files, so rebuilds stay incremental.
cp -au "$ROOT/Kbuild" "$ROOT/kmod" "$ROOT/uapi" "$SRC/"
make -s -C "$HOST/headers" M="$SRC" ARCH=mips \
	CROSS_COMPILE=mips64el-linux-gnuabi64- modules
cp "$SRC/mvm.ko" "$OUT/mvm.ko"
want="$(cat "$HOST/abi")-5kc-malta SMP mod_unload modversions MIPS64_R2 64BIT"
got=$(mips64el-linux-gnuabi64-objcopy -O binary --only-section=.modinfo \
	"$OUT/mvm.ko" /dev/stdout | tr '\0' '\n' | sed -n 's/^vermagic=//p' | sed 's/ *$//')
if [ "$got" != "$want" ]; then
	echo "build-kmod: vermagic '$got' is not the host's '$want'" >&2
	exit 1
fi
