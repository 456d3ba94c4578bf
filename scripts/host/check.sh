#!/bin/bash
# Boots the QEMU MIPS64 host (malta, Debian's 5kc-malta kernel) once per CPU
# model, lets its /init load mvm.ko and run the selftests, and turns the
# console's "@@" lines into one TAP stream closed by `N passed, N failed`.
# Non-zero exit on any failure, a missing report or a hang (timeout).
#   MVM_HOST_CPUS="MIPS64R2-generic 5KEc"  CPU models to boot
#   MVM_HOST_TIMEOUT=600                   seconds per boot
#   --interactive                          a shell on the host instead
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
	"${t[@]}" qemu-system-mips64el -M malta -cpu "$1" -m 512 -smp 1 \
		-kernel "$HOST/boot/vmlinuz" -initrd "$OUT/initramfs.cpio.gz" \
		-append "console=ttyS0 rdinit=/init loglevel=4 $2" \
		-nographic -no-reboot
}

if [ "${1:-}" = --interactive ]; then
	"$ROOT/scripts/host/make-initramfs.sh" "$OUT/initramfs.cpio.gz" || exit 1
	cpus=${MVM_HOST_CPUS:-MIPS64R2-generic}
	qemu "${cpus%% *}" mvm.shell
	exit
fi

n=0 passed=0 failed=0
tap() {	# tap ok|"not ok" NAME
	n=$((n + 1))
	echo "$1 $n - $2"
	case $1 in ok) passed=$((passed + 1));; *) failed=$((failed + 1));; esac
}

if out=$(make -s -C "$ROOT" kmod-checkpatch 2>&1); then
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

"$ROOT/scripts/host/make-initramfs.sh" "$OUT/initramfs.cpio.gz" || exit 1

for cpu in ${MVM_HOST_CPUS:-MIPS64R2-generic 5KEc}; do
	log=$ROOT/build/host/console-$cpu.log
	start=$(date +%s)
	qemu timeout "${MVM_HOST_TIMEOUT:-600}" "$cpu" "" < /dev/null > "$OUT/log" 2>&1
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
	if [ $done -ne 1 ]; then
		tap "not ok" "$cpu: host finished its run (qemu status $rc; see $log)"
		tail -15 "$OUT/log" | sed 's/^/#   /'
	fi
done
echo "$passed passed, $failed failed"
[ $failed -eq 0 ]
