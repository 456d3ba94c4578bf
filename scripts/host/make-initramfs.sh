#!/bin/bash
# Builds the host's initramfs: busybox-static, mvm.ko, the selftests, the
# mips64el `mvm`, a guest to run under it, and an /init that reports through
# "@@"-prefixed console lines (scripts/host/check.sh reads them).
#   make-initramfs.sh OUT.cpio.gz
# What /init does depends on the host's kernel command line:
#   (nothing)   make host-check: selftests, flat guests, Linux under mvm.ko
#               and under the emulator, dmesg check, power-off
#   mvm.shell   make host-shell: mvm.ko loaded, a shell on the console
#   mvm.run     make host-run: `mvm run ARGS` with the console on the host's
#               serial line (ARGS from $MVM_HOST_RUN_ARGS, one per line), then
#               power-off
#   mvm.bench   make bench-host: bench/host/* natively and in the guest, boot
#               times, exits by reason (@@bench lines), power-off
# Environment:
#   GUEST_KERNEL, GUEST_INITRD  the guest (default: ~/.cache/mvm/guest, when built)
#   MVM_HOST_RUN_ARGS           file: the arguments of `mvm run` for mvm.run
#   MVM_HOST_BENCH=1            add build/bench/host/* and /guest/bench.cpio.gz
#                               (the guest initramfs with a second archive
#                               holding /bench appended)
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
HOST=$("$ROOT/scripts/host/fetch.sh")
. "$ROOT/scripts/lib.sh"
OUT=$1
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

r=$work/root
mkdir -p "$r"/{bin,sbin,dev,proc,sys,tmp,etc,selftests,guest,bench}
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
# tests/baremetal's programs, for split mode's comparison with the emulator.
cp "$ROOT/scripts/host/baremetal-split.sh" "$r/bin/"
if ls "$ROOT"/build/baremetal/*.elf > /dev/null 2>&1; then
	mkdir -p "$r/baremetal"
	cp "$ROOT"/build/baremetal/*.elf "$r/baremetal/"
	cp "$ROOT/tests/baremetal/patch-deviations" "$r/baremetal/"
	printf '\x77\x00\x02\x24\x08\x00\xe0\x03\x00\x00\x00\x00' > "$r/baremetal/dma.img"
	truncate -s 4096 "$r/baremetal/dma.img"
fi

# The guest: a kernel and an initramfs, the default one unless given.
kernel=${GUEST_KERNEL:-$CACHE/guest/vmlinuz}
initrd=${GUEST_INITRD:-$CACHE/guest/initramfs.cpio.gz}
if [ -f "$kernel" ] && [ -f "$initrd" ]; then
	cp "$kernel" "$r/guest/vmlinuz"
	cp "$initrd" "$r/guest/initramfs.cpio.gz"
fi
if [ -n "${MVM_HOST_RUN_ARGS:-}" ]; then
	cp "$MVM_HOST_RUN_ARGS" "$r/etc/mvm-run.args"
fi
# A small ext4 disk for the guest's module test (virtio_blk and ext4 are
# unloaded and loaded again, then used): one file the guest must read back.
disk=$work/disk
mkdir -p "$disk"
echo "hello from the host's disk image" > "$disk/hello.txt"
PATH=$PATH:/usr/sbin:/sbin mkfs.ext4 -q -F -d "$disk" "$r/guest/disk.img" 8M > /dev/null
# Benchmarks: static mips64el programs, run on the host and in the guest;
# the guest gets them through a second cpio archive appended to its
# initramfs (Linux unpacks concatenated archives one after the other).
if [ "${MVM_HOST_BENCH:-}" = 1 ] && [ -f "$r/guest/initramfs.cpio.gz" ]; then
	mkdir -p "$work/benchroot/bench"
	cp "$ROOT"/build/bench/host/* "$r/bench/"
	cp "$ROOT"/build/bench/host/* "$work/benchroot/bench/"
	{ cat "$r/guest/initramfs.cpio.gz"
	  (cd "$work/benchroot" && find . | sort | cpio -o -H newc --quiet) | gzip -9
	} > "$r/guest/bench.cpio.gz"
fi

cat > "$r/init" <<'INIT'
#!/bin/sh
# mvm host: load mvm.ko, then selftests (default), a shell (mvm.shell), one
# guest (mvm.run) or the benchmarks (mvm.bench); power off at the end.
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
mount -t tracefs nodev /sys/kernel/tracing 2>/dev/null
echo "@@# host $(uname -r), $(sed -n 's/^cpu model[^:]*: //p' /proc/cpuinfo | head -1), $(sed -n 's/^MemTotal: *//p' /proc/meminfo) RAM"
cmdline=" $(cat /proc/cmdline) "
cpu=$(sed -n 's/^cpu model[^:]*: //p' /proc/cpuinfo | head -1)

# Options the VMM in this initramfs has: the bare-metal guests need
# --kmod-mode flat once split mode (guest Linux under mvm.ko) is the default.
FLAT=
SPLIT=
if [ -x /bin/mvm ] && mvm --help 2>&1 | grep -q -- --kmod-mode; then
	FLAT="--kmod-mode flat"
	SPLIT=1
fi

now() { cut -d' ' -f1 /proc/uptime; }
secs() { awk -v a="$1" -v b="$2" 'BEGIN{printf "%.1f", b - a}'; }

# guest_boot NAME TIMEOUT SCRIPT MVM-RUN-ARGS...: boots the guest with
# `--append mvm.script` (its shell reads the console), and once its /init
# says it is up turns off the tty's echo and types SCRIPT in. The guest's
# console is copied to the host's (for the log); it is left in /tmp/NAME.out
# (no CRs), mvm's status in /tmp/NAME.rc and the
# seconds from `mvm run` to the guest's shell in /tmp/NAME.boot.
guest_boot() {
	name=$1 t=$2 script=$3
	shift 3
	rm -f /tmp/$name.boot /tmp/$name.ended
	: > /tmp/$name.raw
	t0=$(now)
	{
		until grep -aq 'mvm guest: .* up' /tmp/$name.raw; do
			[ -e /tmp/$name.ended ] && exit 0
			sleep 0.5
		done
		secs "$t0" "$(now)" > /tmp/$name.boot
		[ -e /sys/kernel/tracing/trace_marker ] &&
			echo "mvm-guest-up" > /sys/kernel/tracing/trace_marker 2>/dev/null
		echo 'stty -echo; echo T:noecho'
		until grep -aq '^T:noecho' /tmp/$name.raw; do
			[ -e /tmp/$name.ended ] && exit 0
			sleep 0.5
		done
		# "@wait PATTERN MARK": wait for a console line starting with
		# PATTERN, then write MARK into the trace buffer (bench phases).
		while IFS= read -r line; do
			case $line in
			"@wait "*)
				set -- $line
				until grep -aq "^$2" /tmp/$name.raw; do
					[ -e /tmp/$name.ended ] && exit 0
					sleep 0.5
				done
				[ -e /sys/kernel/tracing/trace_marker ] &&
					echo "$3" > /sys/kernel/tracing/trace_marker 2>/dev/null ;;
			*) printf '%s\n' "$line" ;;
			esac
		done < "$script"
	} | { { timeout "$t" mvm run "$@" --append mvm.script 2>&1
		echo $? > /tmp/$name.rc; } | tee /tmp/$name.raw
	      touch /tmp/$name.ended; }
	tr -d '\r' < /tmp/$name.raw > /tmp/$name.out
}

# expect NAME DESCRIPTION REGEX: one @@ok/@@not ok line on the guest's output.
expect() {
	if grep -aqE "$3" /tmp/$1.out; then
		echo "@@ok $2"
	else
		echo "@@not ok $2"
		echo "@@#   expected /$3/ in its console; got: $(grep -a "${3%% *}" /tmp/$1.out | head -2)"
	fi
}

# ended NAME DESCRIPTION: mvm exited 0 after the guest's poweroff.
ended() {
	rc=$(cat /tmp/$1.rc 2>/dev/null)
	if [ "$rc" = 0 ] && grep -aq 'reboot: System halted\|reboot: Power down' /tmp/$1.out; then
		echo "@@ok $2"
	else
		echo "@@not ok $2 (mvm status ${rc:-none})"
		tail -8 /tmp/$1.out | sed 's/^/@@#   /'
	fi
}

# The command set of tests/boot/run's main boot, as a script for the guest's
# shell; each answer is one "T:" line. Then a guest kernel module cycle:
# virtio_blk and ext4 unloaded, loaded again, and used on the host's disk.
cat > /tmp/linux.sh <<'EOF'
echo "T:uname $(uname -a)"
echo "T:cpus $(grep -c ^processor /proc/cpuinfo) $(grep -m1 'cpu model' /proc/cpuinfo)"
echo "T:md5 $(echo data | md5sum)"
echo "T:sha256 $(printf 'The quick brown fox jumps over the lazy dog' | sha256sum)"
echo "T:zero $(dd if=/dev/zero bs=4096 count=256 2>/dev/null | md5sum)"
echo "T:series $(awk 'BEGIN{for(i=1;i<=2000;i++)s+=1/(i*i); printf "%.9f\n", s}')"
echo "T:frac $(awk 'BEGIN{printf "%.4f %g\n", 355/113, 1/1024}')"
echo "T:sum $(seq 1 1000 | awk '{s+=$1} END{print s}')"
echo "T:year $(date -u +%Y)"
read -r a _ < /proc/uptime; sleep 1; read -r b _ < /proc/uptime
echo "T:sleep $(awk -v a=$a -v b=$b 'BEGIN{print (b-a >= 0.9 && b-a < 10) ? "yes" : b-a}')"
echo "T:cmdline $(cat /proc/cmdline)"
rmmod virtio_blk && rmmod ext4 && echo "T:rmmod $(lsmod | grep -cE '^(ext4|virtio_blk) ')"
insmod /lib/modules/ext4.ko && insmod /lib/modules/virtio_blk.ko && echo "T:insmod $(lsmod | grep -cE '^(ext4|virtio_blk) ')"
mount -t ext4 /dev/vda /mnt && echo "T:disk $(cat /mnt/hello.txt)"
echo guest-wrote-this > /mnt/g && umount /mnt && mount -t ext4 /dev/vda /mnt && echo "T:reread $(cat /mnt/g)" && umount /mnt
echo "T:end"
poweroff -f
EOF
# Boot timing only: the guest is up, then powers off.
cat > /tmp/up.sh <<'EOF'
echo "T:uptime $(cut -d' ' -f1 /proc/uptime)"
poweroff -f
EOF

# linux_checks NAME: the answers to /tmp/linux.sh.
linux_checks() {
	n=$1 p="$2"
	expect $n "$p: uname -a shows the mips64 Debian kernel" '^T:uname Linux mvm 6\.1\.0.* mips64'
	expect $n "$p: /proc/cpuinfo describes one MIPS CPU" '^T:cpus 1 cpu model.*MIPS'
	expect $n "$p: echo data | md5sum" '^T:md5 6137cde4893c59f76f005a8123d8e8e6 '
	expect $n "$p: sha256sum of known text" '^T:sha256 d7a8fbb307d7809469ca9abcb0082e4f8d5651e46d3cdb762d02d0bf37c9e592 '
	expect $n "$p: md5sum of 1 MiB from /dev/zero" '^T:zero b6d81b360a5672d80c27430f39153e2c '
	expect $n "$p: awk floating point: sum of 1/i^2 for i = 1..2000" '^T:series 1\.644434192$'
	expect $n "$p: awk floating point: 355/113 and 1/1024" '^T:frac 3\.1416 0\.000976562$'
	expect $n "$p: shell arithmetic and a pipeline" '^T:sum 500500$'
	expect $n "$p: the RTC gives the host's date" "^T:year $(date -u +%Y)\$"
	expect $n "$p: the timer ticks (sleep 1, its process start included, takes 0.9 to 10 s of guest uptime)" '^T:sleep yes$'
	expect $n "$p: the kernel command line has the defaults and --append" '^T:cmdline .*console=ttyS0.*mvm\.script'
	expect $n "$p: rmmod virtio_blk and ext4 (a guest kernel module unloads)" '^T:rmmod 0$'
	expect $n "$p: insmod ext4.ko and virtio_blk.ko after boot" '^T:insmod 2$'
	expect $n "$p: the reloaded modules read the host's ext4 disk" "^T:disk hello from the host's disk image\$"
	expect $n "$p: and write to it (unmount, mount, read back)" '^T:reread guest-wrote-this$'
}

guest_mem=${MVM_GUEST_MEM:-256M}

# Linux turns transparent huge pages off on a 512 MiB machine like this
# host; mvm asks for them (madvise) for guest RAM and the translation
# cache, which mvm.ko then maps for patched code with 2 MiB TLB entries.
echo madvise > /sys/kernel/mm/transparent_hugepage/enabled 2>/dev/null

case $cmdline in *" mvm.shell "*)
	insmod /mvm.ko
	exec setsid cttyhack /bin/sh -l ;;
esac

case $cmdline in *" mvm.run "*)
	insmod /mvm.ko || echo "host-run: insmod mvm.ko failed"
	set --
	while IFS= read -r a; do set -- "$@" "$a"; done < /etc/mvm-run.args
	echo "host-run: mvm run $*"
	mvm run "$@"
	echo "host-run: mvm exited with status $?"
	poweroff -f ;;
esac

case $cmdline in *" mvm.bench "*)
	insmod /mvm.ko || echo "@@not ok insmod mvm.ko"
	. /etc/bench.sh
	echo "@@done"
	poweroff -f ;;
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
		out=$(timeout 60 mvm run --backend $b $FLAT --verbose --mem 64M \
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
	out=$(timeout 60 mvm run --backend kmod $FLAT --cpus 2 --mem 64M \
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

# Split and patch modes' exactness: every bare-metal program of
# tests/baremetal under mvm.ko and under the emulator, compared
# (scripts/host/baremetal-split.sh).
if [ -n "$SPLIT" ] && [ -x /bin/baremetal-split.sh ] && ls /baremetal/*.elf > /dev/null 2>&1; then
	baremetal-split.sh /baremetal
else
	echo "@@ok baremetal programs under mvm.ko (split, patch modes) = under the emulator # SKIP no split-mode mvm or no tests/baremetal programs (make baremetal)"
fi

# Stock Linux (the default guest) under mvm.ko, then under the emulator.
. /etc/linux.sh

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

# Sourced by /init: host-check's Linux boots and bench-host's benchmarks.
cp "$ROOT/scripts/host/host-linux.sh" "$r/etc/linux.sh"
cp "$ROOT/scripts/host/host-bench.sh" "$r/etc/bench.sh"

(cd "$r" && find . | sort | cpio -o -H newc --quiet) | gzip -1 > "$OUT"
