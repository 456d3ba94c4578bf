#!/bin/bash
# Boots the default guest (the stock Debian mips64r2el kernel and the busybox
# initramfs) on QEMU's malta board as a reference for mvm. QEMU 7.2 has no
# machine that hands a kernel UHI arguments, so a boot stub of our own
# (qemu-stub.S) runs from the flash and enters the kernel with a0 = -2 and
# a1 = the DTB (qemu-malta.dts); kernel, DTB and initrd are placed in RAM with
# QEMU's generic loader.
#
# usage: bench/qemu-boot.sh [--vmlinuz] [--kernel FILE] [--initrd FILE]
#                           [--append CMDLINE] [--] [QEMU ARGS...]
#   --kernel    a vmlinuz (default: the default guest's) or an ELF vmlinux
#   --vmlinuz   enter vmlinuz's own decompressor (the ELF entry) instead of the
#               raw kernel decompressed on the host
#   QEMU ARGS   passed through, e.g. -d int,guest_errors -D /tmp/q.log
# The console is stdio (Ctrl-a x quits). `--prepare` builds the boot files
# only; `--print` builds them and prints the QEMU command, one word a line.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
CACHE=${MVM_CACHE:-$HOME/.cache/mvm}
OUT=${MVM_BENCH_OUT:-$ROOT/build/bench/qemu}
CROSS=${CROSS:-mips64el-linux-gnuabi64-}
QEMU=${QEMU:-qemu-system-mips64el}

KERNEL=$CACHE/guest/vmlinuz
INITRD=$CACHE/guest/initramfs.cpio.gz
# The same command line mvm gives its guest by default.
APPEND="console=ttyS0 earlycon coherentio"
MODE=raw
PREPARE=0

# Physical layout in malta's 256 MiB of low RAM.
RAM_MB=256
KERNEL_RAW_PHYS=0x00100000	# the raw image is linked at 0xffffffff80100000
INITRD_PHYS=0x0c000000
DTB_PHYS=0x0ff00000
DTB_HI=0x8ff0			# ckseg0 address 0xffffffff8ff00000, upper half

die() { echo "qemu-boot: $*" >&2; exit 1; }

while [ $# -gt 0 ]; do
	case $1 in
	--vmlinuz) MODE=vmlinuz ;;
	--kernel) KERNEL=$2; shift ;;
	--initrd) INITRD=$2; shift ;;
	--append) APPEND=$2; shift ;;
	--prepare) PREPARE=1 ;;
	--print) PREPARE=2 ;;
	--) shift; break ;;
	*) break ;;
	esac
	shift
done
[ -f "$KERNEL" ] || die "no kernel $KERNEL (run make guest)"
[ -f "$INITRD" ] || die "no initrd $INITRD (run make guest)"
mkdir -p "$OUT"

# Boot files are cached per kernel file (path, size, mtime).
kid=$(stat -L -c '%n %s %Y' "$KERNEL" | md5sum | cut -c1-12)
elf_entry() { ${CROSS}readelf -hW "$1" | awk '/Entry point/ { print $4 }'; }

# A vmlinuz: the raw kernel is its XZ stream. The magic FD 37 7A 58 5A 00
# occurs twice; the first is a constant in the decompressor, the second
# starts the payload. The raw image is linked at 0xffffffff80100000 (phys
# 1 MiB) and entered at its start.
xzoff=$(LC_ALL=C grep -obUaP '\xFD\x37\x7A\x58\x5A\x00' "$KERNEL" |
	sed -n 2p | cut -d: -f1 || true)
if [ -n "$xzoff" ] && [ $MODE = raw ]; then
	kimg=$OUT/$kid-vmlinux.bin
	if [ ! -s "$kimg" ]; then
		tail -c +$((xzoff + 1)) "$KERNEL" | xz -dc --single-stream > "$kimg.tmp" ||
			die "$KERNEL: XZ payload does not decode"
		mv "$kimg.tmp" "$kimg"
	fi
	kphys=$KERNEL_RAW_PHYS entry=0xffffffff80100000
else
	# An ELF entered as it is: vmlinuz (its own decompressor runs) or a
	# vmlinux. Its load segments as one flat image at the lowest physical
	# address (ckseg0 minus 0xffffffff80000000).
	[ -n "$xzoff" ] || [ $MODE = raw ] ||
		die "$KERNEL: --vmlinuz needs a vmlinuz (an ELF with an XZ payload)"
	entry=$(elf_entry "$KERNEL") || die "$KERNEL: not an ELF"
	[ -n "$entry" ] || die "$KERNEL: neither a vmlinuz with an XZ payload nor an ELF"
	low=$(${CROSS}readelf -lW "$KERNEL" | awk '$1 == "LOAD" { print $3 }' | sort | head -1)
	[ -n "$low" ] || die "$KERNEL: no load segment"
	kphys=$(printf '0x%x' $((low & 0x1fffffff)))
	kimg=$OUT/$kid-elf.bin
	if [ ! -s "$kimg" ]; then
		${CROSS}objcopy -O binary "$KERNEL" "$kimg.tmp" || die "$KERNEL: objcopy failed"
		mv "$kimg.tmp" "$kimg"
	fi
fi
case $entry in
0xffffffff8*|0xffffffff9*) ;;
*) die "$KERNEL: entry $entry is not in ckseg0" ;;
esac

# The stub, assembled per entry point, then word-swapped because malta swaps
# the bytes of every 32-bit flash word in little-endian mode.
stub=$OUT/stub-${entry#0x}.bin
if [ ! -s "$stub" ] || [ "$ROOT/bench/qemu-stub.S" -nt "$stub" ] ||
   [ "$0" -nt "$stub" ]; then
	${CROSS}as -mips64r2 -EL --defsym DTB_HI=$DTB_HI \
		--defsym ENTRY_HI=$(((entry >> 16) & 0xffff)) \
		--defsym ENTRY_LO=$((entry & 0xffff)) \
		-o "$stub.o" "$ROOT/bench/qemu-stub.S"
	${CROSS}ld -EL -Ttext=0xffffffffbfc00000 -e _start -o "$stub.elf" "$stub.o"
	${CROSS}objcopy -O binary -j .text "$stub.elf" "$stub.le"
	objcopy -I binary -O binary --reverse-bytes=4 "$stub.le" "$stub"
fi

# The DTB, with /chosen filled in for this initrd and command line.
dtb=$OUT/malta.dtb
isize=$(stat -c %s "$INITRD")
dtc -q -I dts -O dtb -o "$dtb" "$ROOT/bench/qemu-malta.dts"
fdtput -t s "$dtb" /chosen bootargs "$APPEND"
fdtput -t x "$dtb" /chosen linux,initrd-start $(printf '%x' $((INITRD_PHYS)))
fdtput -t x "$dtb" /chosen linux,initrd-end $(printf '%x' $((INITRD_PHYS + isize)))
[ $((INITRD_PHYS + isize)) -le $((DTB_PHYS)) ] || die "initrd too large"

[ $PREPARE -ne 1 ] || exit 0
run=exec
[ $PREPARE -ne 2 ] || run="printf %s\n"

$run "$QEMU" -M malta -cpu MIPS64R2-generic -m $RAM_MB -smp 1 \
	-display none -vga none -net none -monitor none \
	-serial null -serial null -serial mon:stdio \
	-bios "$stub" \
	-device loader,file="$kimg",addr=$kphys,force-raw=on \
	-device loader,file="$INITRD",addr=$INITRD_PHYS,force-raw=on \
	-device loader,file="$dtb",addr=$DTB_PHYS,force-raw=on \
	"$@"
