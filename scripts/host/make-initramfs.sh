#!/bin/bash
# Builds the host's initramfs: busybox-static, mvm.ko, the selftests and an
# /init that runs them and reports through "@@"-prefixed console lines
# (scripts/host/check.sh reads them). Usage: make-initramfs.sh OUT.cpio.gz
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
HOST=$("$ROOT/scripts/host/fetch.sh")
OUT=$1
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

r=$work/root
mkdir -p "$r"/{bin,sbin,dev,proc,sys,tmp,etc,selftests}
cp "$HOST/busybox" "$r/bin/busybox"
for app in $(qemu-mips64el-static "$r/bin/busybox" --list); do
	[ "$app" = busybox ] || ln -sf busybox "$r/bin/$app"
done
cp "$ROOT/build/kmod/mvm.ko" "$r/mvm.ko"
for t in "$ROOT"/build/selftests/*_test "$ROOT"/build/selftests/*.elf \
	"$ROOT"/build/bench/kmod-*; do
	[ -f "$t" ] && cp "$t" "$r/selftests/"
done
[ -x "$ROOT/build/mips64el/mvm" ] && cp "$ROOT/build/mips64el/mvm" "$r/bin/mvm"

cat > "$r/init" <<'INIT'
#!/bin/sh
# mvm host: load mvm.ko, run every selftest, check dmesg, power off.
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
mount -t tracefs nodev /sys/kernel/tracing 2>/dev/null
echo "@@# host $(uname -r), $(sed -n 's/^cpu model[^:]*: //p' /proc/cpuinfo | head -1)"
case " $(cat /proc/cmdline) " in *" mvm.shell "*)
	insmod /mvm.ko
	exec setsid cttyhack /bin/sh -l ;;
esac
if insmod /mvm.ko; then echo "@@ok insmod mvm.ko"; else echo "@@not ok insmod mvm.ko"; fi
for t in /selftests/*_test; do
	[ -x "$t" ] || continue
	echo "@@suite $(basename "$t")"
	# Streamed, so a hang still shows how far it got.
	( "$t" 2>&1; echo $? > /tmp/rc ) | sed 's/^/@@ /'
	rc=$(cat /tmp/rc)
	if [ "$rc" = 0 ]; then
		echo "@@ok $(basename "$t") exited 0"
	else
		echo "@@not ok $(basename "$t") exited with status $rc"
	fi
done
# The VMM's kmod backend runs a bare-metal program in flat mode.
if [ -x /bin/mvm ]; then
	for b in kmod auto; do
		out=$(timeout 60 mvm run --backend $b --verbose --mem 64M \
			--kernel /selftests/flat-hello.elf < /dev/null 2>&1)
		rc=$?
		if [ $rc -eq 0 ] && echo "$out" | grep -q "hello from a flat guest, sum=55" &&
		   echo "$out" | grep -q "kmod: flat mode"; then
			echo "@@ok mvm run --backend $b runs a flat guest through /dev/mvm"
		else
			echo "@@not ok mvm run --backend $b runs a flat guest through /dev/mvm"
			echo "$out" | tail -5 | sed 's/^/@@# /'
		fi
	done
	# Two vCPUs: a thread and a vCPU fd each; core 1 starts when CPU 0
	# releases it through the board's CM, as under the emulator.
	out=$(timeout 60 mvm run --backend kmod --cpus 2 --mem 64M \
		--kernel /selftests/flat-smp.elf < /dev/null 2>&1)
	rc=$?
	if [ $rc -eq 0 ] && echo "$out" | grep -q "core 1 started and counted to 3"; then
		echo "@@ok mvm run --backend kmod --cpus 2 runs both vCPUs through /dev/mvm"
	else
		echo "@@not ok mvm run --backend kmod --cpus 2 runs both vCPUs through /dev/mvm (status $rc)"
		echo "$out" | tail -5 | sed 's/^/@@# /'
	fi
else
	echo "@@ok mvm run --backend kmod # SKIP no mips64el mvm was built"
fi
for b in /selftests/kmod-*; do
	[ -x "$b" ] && "$b" 2>&1 | sed 's/^/@@bench /'
done
if rmmod mvm; then echo "@@ok rmmod mvm"; else echo "@@not ok rmmod mvm"; fi
bad=$(dmesg | grep -E 'Oops|BUG|WARNING|Call Trace' | head -5)
if [ -z "$bad" ]; then
	echo "@@ok dmesg has no Oops, BUG, WARNING or Call Trace"
else
	echo "@@not ok dmesg has no Oops, BUG, WARNING or Call Trace"
	echo "$bad" | sed 's/^/@@# /'
fi
echo "@@done"
poweroff -f
INIT
chmod +x "$r/init"
(cd "$r" && find . | sort | cpio -o -H newc --quiet) | gzip -1 > "$OUT"
