#!/bin/bash
# Guest I/O throughput on mvm's virtio devices (issue #5): sequential disk
# write and read (O_DIRECT dd on /dev/vda, 128 MiB) and TCP each way
# (32 MiB: host to a guest `nc -l`, and the host fetching a file from the
# guest's busybox httpd, which uses sendfile; `dd | nc` in the guest is
# limited by busybox nc's 1 KiB copies, not by the device). The network is
# a namespace this script creates. Prints MB/s, the best of N runs.
#
# The same workload then runs under qemu-system-mips64el (-M malta -cpu
# MIPS64R2-generic, TCG) with virtio-blk-pci and virtio-net-pci on a tap in
# a second namespace, and the table gets a QEMU column and the mvm/QEMU
# ratio. QEMU 7.2 cannot boot mvm's mips64r2el kernel with virtio (malta
# has no virtio-mmio, that kernel no GT-64120 PCI driver), so the QEMU
# guest is Debian's 6.1.0-50-5kc-malta kernel (same version, malta
# flavour) with the default guest's busybox and /init
# (bench/virtio-qemu-guest.sh). No qemu-system-mips64el, or no cached
# 5kc-malta package: the QEMU column reads "-".
#
# usage: bench/virtio-bench.sh [-n RUNS]     (root: netns and tap)
set -u
cd "$(dirname "$0")/.."
RUNS=3
[ "${1:-}" = -n ] && RUNS=$2
. tests/virtio/guest-lib.sh
guest_prerequisites || { echo "virtio-bench: $GUEST_SKIP_REASON" >&2; exit 1; }
[ "$(id -u)" -eq 0 ] || { echo "virtio-bench: needs root (netns, tap)" >&2; exit 1; }

HOST=10.0.2.1 GUEST=10.0.2.15 MB=1048576
NS=
WORK=$(mktemp -d)
trap 'guest_kill; [ -z "$NS" ] || ip netns del "$NS"; rm -rf "$WORK"' EXIT
# Written out once, so neither VMM pays for the host allocating a sparse
# file; both use the host page cache (QEMU: cache=writeback, its default).
dd if=/dev/zero of="$WORK/disk.img" bs=1M count=256 status=none
head -c $((32 * MB)) /dev/zero > "$WORK/zero"

# netns_up NAME: a fresh namespace for one guest; the VMM creates the tap.
netns_up() {
	NS=$1
	ip netns add "$NS" || exit 1
	ip -n "$NS" link set lo up
	GUEST_WRAP="ip netns exec $NS"
}
netns_down() { guest_kill; ip netns del "$NS"; NS=; }
tap_up() {	# tap_up IFNAME: the host end, once the VMM has opened it
	ip -n "$NS" addr add $HOST/24 dev "$1"
	ip -n "$NS" link set "$1" up
}

# qemu_boot: guest_boot's counterpart for qemu-system-mips64el; same
# console FIFO and log, so guest_run and guest_kill work unchanged.
QEMU=${QEMU:-qemu-system-mips64el}
qemu_boot() {
	local dir=$1 q=$2
	GUEST_LOG=$dir/console.log
	GUEST_FIFO=$dir/console.in
	rm -f "$GUEST_FIFO"
	mkfifo "$GUEST_FIFO"
	: > "$GUEST_LOG"
	$GUEST_WRAP "$QEMU" -M malta -cpu MIPS64R2-generic -m 256 -nographic -nic none \
		-kernel "$q/vmlinuz" -initrd "$q/initramfs.cpio.gz" \
		-append "console=ttyS0 mvm.ip=$GUEST/24" \
		-drive file="$WORK/disk.img",format=raw,if=none,id=d0,cache=writeback,aio=threads \
		-device virtio-blk-pci,drive=d0 \
		-netdev tap,id=n0,ifname=qemutap0,script=no,downscript=no \
		-device virtio-net-pci,netdev=n0 < "$GUEST_FIFO" > "$GUEST_LOG" 2>&1 &
	GUEST_PID=$!
	exec {GUEST_IN}> "$GUEST_FIFO"
	guest_wait_for "mvm guest:" "$GUEST_BOOT_TIMEOUT" && guest_wait_for "# " 30
}

now() { date +%s.%N; }
rate() { awk -v b="$1" -v s="$2" -v e="$3" -v mb=$MB 'BEGIN { printf "%.1f\n", b / mb / (e - s) }'; }	# bytes start end
best() { sort -n | tail -1; }

guest_seconds() {	# busybox time's "real 0m 1.23s" -> seconds
	echo "$GUEST_OUT" | sed -n 's/^real[[:space:]]*\([0-9]*\)m \([0-9.]*\)s/\1 \2/p' |
		awk '{ print $1 * 60 + $2 }'
}

# measure LABEL: the workload, RUNS times, in the guest that is up.
measure() {
	guest_run 60 "mkdir -p /tmp/www && dd if=/dev/zero of=/tmp/www/z bs=1M count=32 2>/dev/null && httpd -p 8080 -h /tmp/www"
	for i in $(seq "$RUNS"); do
		guest_run 300 "time dd if=/dev/zero of=/dev/vda bs=1M count=128 oflag=direct 2>&1"
		awk -v t="$(guest_seconds)" 'BEGIN { printf "%.1f\n", 128 / t }' >> "$WORK/$1-disk-write"
		guest_run 300 "time dd if=/dev/vda of=/dev/null bs=1M count=128 iflag=direct 2>&1"
		awk -v t="$(guest_seconds)" 'BEGIN { printf "%.1f\n", 128 / t }' >> "$WORK/$1-disk-read"

		guest_run 10 "nc -l -p 5001 > /dev/null & echo"
		s=$(now)
		ip netns exec "$NS" python3 tests/net/peer.py tcp-send $GUEST 5001 "$WORK/zero"
		rate $((32 * MB)) "$s" "$(now)" >> "$WORK/$1-tcp-in"
		guest_run 60 wait

		s=$(now)
		ip netns exec "$NS" python3 -c "import urllib.request
assert len(urllib.request.urlopen('http://$GUEST:8080/z', timeout=120).read()) == 32 << 20"
		rate $((32 * MB)) "$s" "$(now)" >> "$WORK/$1-tcp-out"
	done
}

netns_up mvm-bench-$$
guest_boot "$WORK" --disk "$WORK/disk.img" --net tap,ifname=mvmtap0 \
	--append "mvm.ip=$GUEST/24" || { echo "virtio-bench: $GUEST_SKIP_REASON" >&2; exit 1; }
tap_up mvmtap0
measure mvm
netns_down

QDIR=
if command -v "$QEMU" > /dev/null && QDIR=$(bench/virtio-qemu-guest.sh); then
	netns_up qemu-bench-$$
	if qemu_boot "$WORK" "$QDIR"; then
		tap_up qemutap0
		measure qemu
	else
		echo "virtio-bench: the QEMU guest did not reach its shell" >&2
	fi
	netns_down
fi

col() { [ -s "$WORK/$1-$2" ] && best < "$WORK/$1-$2" || echo -; }
row() {
	local m q r=-
	m=$(col mvm "$2") q=$(col qemu "$2")
	[ "$q" = - ] || r=$(awk -v m="$m" -v q="$q" 'BEGIN { if (q > 0) printf "%.2f", m / q; else print "-" }')
	printf '%-40s %8s %8s %8s\n' "$1" "$m" "$q" "$r"
}
printf '%-40s %8s %8s %8s\n' "virtio, MB/s (best of $RUNS)" mvm QEMU mvm/QEMU
row "disk sequential write, 128 MiB direct" disk-write
row "disk sequential read, 128 MiB direct" disk-read
row "TCP host to guest, 32 MiB" tcp-in
row "TCP guest to host, 32 MiB (httpd)" tcp-out
echo "(QEMU: $("$QEMU" --version 2>/dev/null | head -1 | sed 's/ (.*//'), -M malta -cpu MIPS64R2-generic, TCG, 6.1.0-50-5kc-malta guest; mvm: 6.1.0-50-mips64r2el guest)"
