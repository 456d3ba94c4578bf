#!/bin/bash
# Boots the QEMU MIPS64 host (malta, Debian's 5kc-malta kernel) once per CPU
# model, lets its /init load mvm.ko and run the selftests and the guests
# (scripts/host/make-initramfs.sh), and turns the console's "@@" lines into
# one TAP stream closed by `N passed, N failed`.
# Non-zero exit on any failure, a missing report or a hang (timeout).
#   MVM_HOST_CPUS="MIPS64R2-generic 5KEc"  CPU models to boot
#   MVM_HOST_TIMEOUT=3600                  seconds per boot
#   MVM_HOST_MEM=512                       host RAM in MiB (malta: up to 2047;
#                                          1024: Linux under mvm.ko 557 s to its shell, not 250 s)
#   MVM_HOST_LINUX_CPUS=MIPS64R2-generic   CPU models that also boot Linux
#                                          under mvm.ko (split mode)
#   MVM_HOST_EMU_BOOT=1                    and under the emulator, timed
#   MVM_HOST_APPEND="..."                  more for the host's command line
#   --shell      make host-shell: a shell on the host (first CPU model)
#   --run        make host-run: the host runs one guest with `mvm run`,
#                console on this terminal, and powers off when it ends:
#                GUEST_KERNEL, GUEST_INITRD (default: ~/.cache/mvm/guest),
#                GUEST_BACKEND (kmod), GUEST_MEM (256M), GUEST_APPEND
#   --bench      make bench-host: bench/host/* natively and in the guest;
#                prints the "@@bench" lines, kept in build/host/bench-<cpu>.txt
set -uo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
HOST=$("$ROOT/scripts/host/fetch.sh") || exit 1
# A private directory per run: several checks may share one work tree.
mkdir -p "$ROOT/build/host"
OUT=$(mktemp -d "$ROOT/build/host/run.XXXXXX")
trap 'rm -rf "$OUT"' EXIT

qemu() {	# qemu [timeout SECONDS] CPU EXTRA_APPEND
	local t=()
	[ "$1" != timeout ] || { t=(timeout "$2"); shift 2; }
	"${t[@]}" qemu-system-mips64el -M malta -cpu "$1" -m "${MVM_HOST_MEM:-512}" -smp 1 \
		-kernel "$HOST/boot/vmlinuz" -initrd "$OUT/initramfs.cpio.gz" \
		-append "console=ttyS0 rdinit=/init loglevel=4 $2" \
		-nographic -no-reboot
}

mode=check append=
case ${1:-} in
--shell|--interactive)
	"$ROOT/scripts/host/make-initramfs.sh" "$OUT/initramfs.cpio.gz" || exit 1
	cpus=${MVM_HOST_CPUS:-MIPS64R2-generic}
	qemu "${cpus%% *}" mvm.shell
	exit ;;
--run)
	cache=${MVM_CACHE:-$HOME/.cache/mvm}
	export GUEST_KERNEL=${GUEST_KERNEL:-$cache/guest/vmlinuz}
	export GUEST_INITRD=${GUEST_INITRD:-$cache/guest/initramfs.cpio.gz}
	for f in "$GUEST_KERNEL" "$GUEST_INITRD"; do
		[ -f "$f" ] || { echo "host-run: $f: no such file" >&2; exit 1; }
	done
	# One argument of `mvm run` per line: GUEST_APPEND may hold spaces.
	{ printf '%s\n' --backend "${GUEST_BACKEND:-kmod}" --mem "${GUEST_MEM:-256M}" \
		--kernel /guest/vmlinuz --initrd /guest/initramfs.cpio.gz
	  [ -z "${GUEST_APPEND:-}" ] || printf '%s\n' --append "$GUEST_APPEND"
	  [ -z "${GUEST_KMOD_MODE:-}" ] || printf '%s\n' --kmod-mode "$GUEST_KMOD_MODE"
	} > "$OUT/args"
	MVM_HOST_RUN_ARGS=$OUT/args "$ROOT/scripts/host/make-initramfs.sh" \
		"$OUT/initramfs.cpio.gz" || exit 1
	cpus=${MVM_HOST_CPUS:-MIPS64R2-generic}
	cpu=${HOST_CPU:-${cpus%% *}}
	echo "host-run: booting the $cpu host; the guest's console follows (Ctrl-a x quits QEMU," \
		"Ctrl-a a x quits mvm; the host powers off when mvm ends)" >&2
	qemu "$cpu" mvm.run
	exit ;;
--bench)
	mode=bench append=mvm.bench ;;
esac

n=0 passed=0 failed=0
tap() {	# tap ok|"not ok" NAME
	n=$((n + 1))
	echo "$1 $n - $2"
	case $1 in ok) passed=$((passed + 1));; *) failed=$((failed + 1));; esac
}

if [ $mode = bench ]; then
	:
elif out=$(make -s -C "$ROOT" kmod-checkpatch 2>&1); then
	tap ok "checkpatch: kmod/ and uapi/linux/mvm.h are clean"
else
	tap "not ok" "checkpatch: kmod/ and uapi/linux/mvm.h are clean"
	echo "$out" | head -20 | sed 's/^/#   /'
fi

# The VMM for the host: its failure is one test, not the end of the run.
if out=$(make -s -C "$ROOT" mips-vmm 2>&1); then
	tap ok "mvm cross-builds for mips64el (static)"
else
	tap "not ok" "mvm cross-builds for mips64el (static)"
	echo "$out" | tail -20 | sed 's/^/#   /'
	rm -f "$ROOT/build/mips64el/mvm"
fi

# host-check and bench-host always run the default guest.
unset GUEST_KERNEL GUEST_INITRD
[ $mode = bench ] && export MVM_HOST_BENCH=1
"$ROOT/scripts/host/make-initramfs.sh" "$OUT/initramfs.cpio.gz" || exit 1

for cpu in ${MVM_HOST_CPUS:-MIPS64R2-generic 5KEc}; do
	log=$ROOT/build/host/console-$cpu.log
	[ $mode = bench ] && log=$ROOT/build/host/bench-console-$cpu.log
	start=$(date +%s)
	# The Linux boots take minutes: only on the CPUs in MVM_HOST_LINUX_CPUS.
	a=$append
	case " ${MVM_HOST_LINUX_CPUS-MIPS64R2-generic} " in
	*" $cpu "*) ;;
	*) a="$a mvm.nolinux" ;;
	esac
	[ "${MVM_HOST_EMU_BOOT:-}" != 1 ] || a="$a mvm.emu-boot"
	a="$a ${MVM_HOST_APPEND:-}"
	qemu timeout "${MVM_HOST_TIMEOUT:-3600}" "$cpu" "$a" < /dev/null > "$OUT/log" 2>&1
	rc=$?
	cp "$OUT/log" "$log"
	echo "# $cpu: host ran $(( $(date +%s) - start )) s, console in $log"
	suite=
	done=0
	while IFS= read -r line; do
		line=${line%$'\r'}
		case $line in
		@@suite\ *) suite=${line#@@suite }: ;;
		@@done) done=1 ;;
		@@\#*) echo "${line#@@}" ;;
		@@ok\ *) tap ok "$cpu: ${line#@@ok }" ;;
		@@not\ ok\ *) tap "not ok" "$cpu: ${line#@@not ok }" ;;
		@@bench\ *) echo "# bench: ${line#@@bench }" ;;
		@@\ *)
			l=${line#@@ }
			if [[ $l =~ ^(not\ ok|ok)\ [0-9]+\ (.*)$ ]]; then
				tap "${BASH_REMATCH[1]}" "$cpu: $suite${BASH_REMATCH[2]}"
			elif [[ $l =~ ^#\  ]] && [[ ! $l =~ ^#\ +(RUN|OK|PASSED|Starting|SKIP\ *$) ]]; then
				echo "#   $l"
			fi ;;
		esac
	done < <(grep -a '@@' "$OUT/log" | sed 's/^.*@@/@@/')
	if [ $mode = bench ]; then
		{ echo "# $(date -u '+%Y-%m-%d %H:%M UTC'), host CPU $cpu, commit $(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown)"
		  grep -a '@@bench ' "$OUT/log" | sed 's/^.*@@bench //; s/\r$//'
		} > "$ROOT/build/host/bench-$cpu.txt"
		echo "# bench: kept in build/host/bench-$cpu.txt"
	fi
	if [ $done -ne 1 ]; then
		tap "not ok" "$cpu: host finished its run (qemu status $rc; see $log)"
		tail -15 "$OUT/log" | sed 's/^/#   /'
	fi
done
echo "$passed passed, $failed failed"
[ $failed -eq 0 ]
