#!/bin/bash
# Guest I/O throughput on mvm's virtio devices (issue #5): sequential disk
# write and read (O_DIRECT dd on /dev/vda, 128 MiB) and TCP each way
# (32 MiB: host to a guest `nc -l`, and the host fetching a file from the
# guest's busybox httpd, which uses sendfile; `dd | nc` in the guest is
# limited by busybox nc's 1 KiB copies, not by the device). The network is
# a namespace this script creates. Prints MB/s, the best of N runs.
#
# usage: bench/virtio-bench.sh [-n RUNS]     (root: netns and tap)
set -u
cd "$(dirname "$0")/.."
RUNS=3
[ "${1:-}" = -n ] && RUNS=$2
. tests/virtio/guest-lib.sh
guest_prerequisites || { echo "virtio-bench: $GUEST_SKIP_REASON" >&2; exit 1; }
[ "$(id -u)" -eq 0 ] || { echo "virtio-bench: needs root (netns, tap)" >&2; exit 1; }

NS=mvm-bench-$$ HOST=10.0.2.1 GUEST=10.0.2.15 MB=1048576
WORK=$(mktemp -d)
ip netns add "$NS" || exit 1
trap 'guest_kill; ip netns del "$NS"; rm -rf "$WORK"' EXIT
GUEST_WRAP="ip netns exec $NS"
truncate -s 256M "$WORK/disk.img"
guest_boot "$WORK" --disk "$WORK/disk.img" --net tap,ifname=mvmtap0 \
	--append "mvm.ip=$GUEST/24" || { echo "virtio-bench: $GUEST_SKIP_REASON" >&2; exit 1; }
ip -n "$NS" link set lo up
ip -n "$NS" addr add $HOST/24 dev mvmtap0
ip -n "$NS" link set mvmtap0 up
head -c $((32 * MB)) /dev/zero > "$WORK/zero"
guest_run 60 "mkdir -p /tmp/www && dd if=/dev/zero of=/tmp/www/z bs=1M count=32 2>/dev/null && httpd -p 8080 -h /tmp/www"

now() { date +%s.%N; }
rate() { awk -v b="$1" -v s="$2" -v e="$3" -v mb=$MB 'BEGIN { printf "%.1f\n", b / mb / (e - s) }'; }	# bytes start end
best() { sort -n | tail -1; }

guest_seconds() {	# busybox time's "real 0m 1.23s" -> seconds
	echo "$GUEST_OUT" | sed -n 's/^real[[:space:]]*\([0-9]*\)m \([0-9.]*\)s/\1 \2/p' |
		awk '{ print $1 * 60 + $2 }'
}

for i in $(seq "$RUNS"); do
	guest_run 300 "time dd if=/dev/zero of=/dev/vda bs=1M count=128 oflag=direct 2>&1"
	awk -v t="$(guest_seconds)" 'BEGIN { printf "%.1f\n", 128 / t }' >> "$WORK/disk-write"
	guest_run 300 "time dd if=/dev/vda of=/dev/null bs=1M count=128 iflag=direct 2>&1"
	awk -v t="$(guest_seconds)" 'BEGIN { printf "%.1f\n", 128 / t }' >> "$WORK/disk-read"

	guest_run 10 "nc -l -p 5001 > /dev/null & echo"
	s=$(now)
	ip netns exec "$NS" python3 tests/net/peer.py tcp-send $GUEST 5001 "$WORK/zero"
	rate $((32 * MB)) "$s" "$(now)" >> "$WORK/tcp-in"
	guest_run 60 wait

	s=$(now)
	ip netns exec "$NS" python3 -c "import urllib.request
assert len(urllib.request.urlopen('http://$GUEST:8080/z', timeout=120).read()) == 32 << 20"
	rate $((32 * MB)) "$s" "$(now)" >> "$WORK/tcp-out"
done

printf '%-40s %8s\n' "virtio on mvm (best of $RUNS)" "MB/s"
printf '%-40s %8s\n' "disk sequential write, 128 MiB direct" "$(best < "$WORK/disk-write")"
printf '%-40s %8s\n' "disk sequential read, 128 MiB direct" "$(best < "$WORK/disk-read")"
printf '%-40s %8s\n' "TCP host to guest, 32 MiB" "$(best < "$WORK/tcp-in")"
printf '%-40s %8s\n' "TCP guest to host, 32 MiB (httpd)" "$(best < "$WORK/tcp-out")"
