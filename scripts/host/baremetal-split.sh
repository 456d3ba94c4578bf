#!/bin/sh
# Runs on the QEMU MIPS64 host (busybox sh): every bare-metal program of
# tests/baremetal under `mvm run --backend emu` and under `--backend kmod` in
# each kmod mode that runs guest kernel code, and compares each with the
# emulator:
#   split   the programs' user mode natively under mvm.ko, their kernel
#           mode in the VMM's core
#   patch   their kernel mode too, as code patched by the VMM
#           (Documentation/patching.md): every patch rule meets the
#           program that uses its instruction here
# One "@@ok"/"@@not ok" line per program and mode for scripts/host/check.sh.
#
# Same result means: the same exit status, the same checks, and no check
# failing under kmod that passes under the emulator. Values inside a check's
# text may differ (Count readings, interrupts counted in a timed loop).
#   baremetal-split.sh DIR [MODE...]   (DIR holds NAME.elf and dma.img;
#                                       modes default to "split patch")
dir=$1
shift
modes=${*:-split patch}
checks() { grep -aE '^(not )?ok [0-9]+' "$1" | sed 's/^not //; s/ - .*//'; }
failing() { grep -aE '^not ok [0-9]+' "$1" | sed 's/^not ok \([0-9]*\).*/\1/'; }
# deviation PROG OUT N: check N of PROG is a documented patch-mode deviation
# ($dir/patch-deviations, from tests/baremetal).
deviation() {
	name=$(grep -aE "^not ok $3 - " "$2" | sed 's/^not ok [0-9]* - //')
	[ -f "$dir/patch-deviations" ] || return 1
	while IFS='|' read -r prog prefix why; do
		case $prog in ''|\#*) continue ;; esac
		[ "$prog" = "$1" ] || continue
		case $name in "$prefix"*)
			echo "@@# $1 check $3 ($name): patch-mode deviation: $why"
			return 0 ;;
		esac
	done < "$dir/patch-deviations"
	return 1
}
for elf in "$dir"/*.elf; do
	p=$(basename "$elf" .elf)
	extra=
	case $p in
	dma) extra="--disk $dir/dma.img,ro" ;;
	smp) extra="--cpus 2" ;;
	esac
	timeout 300 mvm run --backend emu --mem 64M $extra --kernel "$elf" \
		< /dev/null > /tmp/bm-$p.emu 2> /tmp/bm-$p.emu.err
	e=$?
	for m in $modes; do
		out=/tmp/bm-$p.$m
		timeout 300 mvm run --backend kmod --kmod-mode $m --mem 64M $extra \
			--kernel "$elf" < /dev/null > $out 2> $out.err
		k=$?
		n=$(checks $out | wc -l)
		worse=
		for f in $(failing $out); do
			failing /tmp/bm-$p.emu | grep -qx "$f" && continue
			[ $m = patch ] && deviation $p $out $f && continue
			worse="$worse $f"
		done
		what="baremetal $p under mvm.ko ($m mode) = under the emulator"
		if [ "$e" = "$k" ] && [ "$(checks /tmp/bm-$p.emu)" = "$(checks $out)" ] &&
		   grep -aq "^# end $p" $out && [ -z "$worse" ]; then
			echo "@@ok $what: status $k, $n checks"
		else
			echo "@@not ok $what: status emu $e kmod $k, failing only under kmod:${worse:- none}"
			diff /tmp/bm-$p.emu $out | head -12 | sed 's/^/@@#   /'
			tail -3 $out.err | sed 's/^/@@#   /'
		fi
	done
done
