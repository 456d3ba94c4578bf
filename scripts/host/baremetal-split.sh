#!/bin/sh
# Runs on the QEMU MIPS64 host (busybox sh): every bare-metal program of
# tests/baremetal under `mvm run --backend emu` and under `--backend kmod`
# (split mode: the programs' user mode natively under mvm.ko, their kernel
# mode in the VMM's core), and compares the two. One "@@ok"/"@@not ok" line
# per program for scripts/host/check.sh.
#
# Same result means: the same exit status, the same checks, and no check
# failing under kmod that passes under the emulator. Values inside a check's
# text may differ (Count readings, interrupts counted in a timed loop).
#   baremetal-split.sh DIR   (DIR holds NAME.elf and dma.img)
dir=$1
for elf in "$dir"/*.elf; do
	p=$(basename "$elf" .elf)
	extra=
	case $p in
	dma) extra="--disk $dir/dma.img,ro" ;;
	smp) extra="--cpus 2" ;;
	esac
	for b in emu kmod; do
		timeout 300 mvm run --backend $b --mem 64M $extra --kernel "$elf" \
			< /dev/null > /tmp/bm-$p.$b 2> /tmp/bm-$p.$b.err
		echo $? > /tmp/bm-$p.$b.rc
	done
	e=$(cat /tmp/bm-$p.emu.rc) k=$(cat /tmp/bm-$p.kmod.rc)
	checks() { grep -aE '^(not )?ok [0-9]+' "$1" | sed 's/^not //; s/ - .*//'; }
	failing() { grep -aE '^not ok [0-9]+' "$1" | sed 's/^not ok \([0-9]*\).*/\1/'; }
	n=$(checks /tmp/bm-$p.kmod | wc -l)
	worse=
	for f in $(failing /tmp/bm-$p.kmod); do
		failing /tmp/bm-$p.emu | grep -qx "$f" || worse="$worse $f"
	done
	if [ "$e" = "$k" ] && [ "$(checks /tmp/bm-$p.emu)" = "$(checks /tmp/bm-$p.kmod)" ] &&
	   grep -aq "^# end $p" /tmp/bm-$p.kmod && [ -z "$worse" ]; then
		echo "@@ok baremetal $p under mvm.ko (split mode) = under the emulator: status $k, $n checks"
	else
		echo "@@not ok baremetal $p under mvm.ko (split mode) = under the emulator: status emu $e kmod $k, failing only under kmod:${worse:- none}"
		diff /tmp/bm-$p.emu /tmp/bm-$p.kmod | head -12 | sed 's/^/@@#   /'
		tail -3 /tmp/bm-$p.kmod.err | sed 's/^/@@#   /'
	fi
done
