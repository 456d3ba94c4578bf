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
# Same result means: the same exit status, the same checks, no check
# failing under kmod that passes under the emulator, and the same `# state`
# lines (rules.c: every register and the data after each patch rule). Values
# inside a check's text may differ (Count readings, interrupts counted in a
# timed loop).
#   baremetal-split.sh DIR [MODE...]   (DIR holds NAME.elf and dma.img;
#                                       modes default to "split patch")
dir=$1
shift
modes=${*:-split patch}
checks() { grep -aE '^(not )?ok [0-9]+' "$1" | sed 's/^not //; s/ - .*//'; }
states() { grep -a '^# state ' "$1" | tr -d '\r'; }
failing() { grep -aE '^not ok [0-9]+' "$1" | sed 's/^not ok \([0-9]*\).*/\1/'; }
# without_deviations PROG IN OUT: IN without the checks that are documented
# patch-mode deviations of PROG ($dir/patch-deviations, from
# tests/baremetal; a check and the ones that follow from it share the
# name's prefix), the rest renumbered in order; the dropped ones reported.
# A prefix "state X" drops the program's "# state <rule> X:" lines.
without_deviations() {
	: > "$3.dev"
	[ -f "$dir/patch-deviations" ] &&
		sed -n "s/^$1|\([^|]*\)|\(.*\)/\1|\2/p" "$dir/patch-deviations" > "$3.dev"
	awk -F'|' -v devs="$3.dev" -v prog="$1" '
		BEGIN { while ((getline l < devs) > 0) { split(l, f, "|"); pre[++n] = f[1]; why[n] = f[2] } }
		/^# state / {
			# "state X": the program'"'"'s "# state <rule> X:" lines
			split($0, w, " "); key = "state " w[4]; sub(/:$/, "", key)
			for (i = 1; i <= n; i++)
				if (pre[i] == key) {
					if (!told[i]++)
						print "@@# " prog ": " key ": not compared in patch mode: " why[i] > "/dev/stderr"
					next
				}
		}
		/^(not )?ok [0-9]+ - / {
			name = $0; sub(/^(not )?ok [0-9]+ - /, "", name)
			for (i = 1; i <= n; i++)
				if (index(name, pre[i]) == 1) {
					if ($0 ~ /^not ok/)
						print "@@# " prog ": " name ": patch-mode deviation: " why[i] > "/dev/stderr"
					next
				}
			k++; sub(/ok [0-9]+ - /, "ok " k " - ")
		}
		{ print }' "$2" > "$3"
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
		emu=/tmp/bm-$p.emu
		if [ $m = patch ]; then
			without_deviations $p $emu /tmp/bm-$p.emu-dev 2> /dev/null
			without_deviations $p $out $out.dev-out 2>&1
			emu=/tmp/bm-$p.emu-dev out=$out.dev-out
		fi
		n=$(checks $out | wc -l)
		worse=
		for f in $(failing $out); do
			failing $emu | grep -qx "$f" || worse="$worse $f"
		done
		what="baremetal $p under mvm.ko ($m mode) = under the emulator"
		states $emu > $out.st-emu
		states $out > $out.st
		nstate=$(wc -l < $out.st)
		sttext=
		[ "$nstate" -gt 0 ] && sttext=", $nstate state lines the same"
		if [ "$e" = "$k" ] && [ "$(checks $emu)" = "$(checks $out)" ] &&
		   grep -aq "^# end $p" $out && [ -z "$worse" ] &&
		   cmp -s $out.st-emu $out.st; then
			echo "@@ok $what: status $k, $n checks$sttext"
		else
			echo "@@not ok $what: status emu $e kmod $k, failing only under kmod:${worse:- none}"
			diff $out.st-emu $out.st | head -12 | sed 's/^/@@#   state: /'
			diff $emu $out | head -12 | sed 's/^/@@#   /'
			tail -3 /tmp/bm-$p.$m.err | sed 's/^/@@#   /'
		fi
	done
done
