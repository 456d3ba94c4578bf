#!/bin/bash
# Builds the default guest from Debian's mips64el packages into
# ~/.cache/mvm/guest: vmlinuz (the stock mips64r2el kernel) and
# initramfs.cpio.gz (busybox-static, the virtio/ext4 modules, an /init that
# mounts proc, sys and devtmpfs and gives a shell on the console).
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/lib.sh"
OUT=$CACHE/guest
STAMP_VERSION=4

if [ -f "$OUT/stamp" ] && [ "$(cat "$OUT/stamp")" = "$STAMP_VERSION" ]; then
	exit 0
fi

abi=$(ls "$DEBS" | sed -n 's/^linux-image-\(6\.1\.0-[0-9]*\)-mips64r2el_.*/\1/p' | head -1)
[ -n "$abi" ] || abi=$(newest_abi mips64r2el)
[ -n "$abi" ] || { echo "make-guest: no linux-image-*-mips64r2el in the archive" >&2; exit 1; }
kdeb=$(fetch_deb "linux-image-$abi-mips64r2el:mips64el")
bdeb=$(fetch_deb "busybox-static:mips64el")

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
dpkg -x "$kdeb" "$work/k"
dpkg -x "$bdeb" "$work/b"

root=$work/root
mkdir -p "$root"/{bin,sbin,dev,proc,sys,tmp,root,etc,mnt,lib/modules}
cp "$work/b/bin/busybox" "$root/bin/busybox"
for app in $(qemu-mips64el-static "$root/bin/busybox" --list); do
	[ "$app" = busybox ] || ln -sf busybox "$root/bin/$app"
done
kver=$(ls "$work/k/lib/modules")
mdir=$work/k/lib/modules/$kver/kernel
# Dependency order matters: the package ships no modules.dep.
MODULES="
lib/crc16.ko crypto/crc32c_generic.ko fs/mbcache.ko fs/jbd2/jbd2.ko fs/ext4/ext4.ko
drivers/virtio/virtio.ko drivers/virtio/virtio_ring.ko drivers/virtio/virtio_mmio.ko
drivers/block/virtio_blk.ko net/core/failover.ko drivers/net/net_failover.ko
drivers/net/virtio_net.ko drivers/char/virtio_console.ko
drivers/char/hw_random/virtio-rng.ko
"
: > "$root/lib/modules/load-order"
for m in $MODULES; do
	for src in "$mdir/$m" "$mdir/$m.xz"; do
		[ -f "$src" ] || continue
		base=$(basename "$src")
		cp "$src" "$root/lib/modules/$base"
		case $base in *.xz) xz -d "$root/lib/modules/$base"; base=${base%.xz};; esac
		echo "$base" >> "$root/lib/modules/load-order"
	done
done

cat > "$root/init" <<'INIT'
#!/bin/sh
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
mkdir -p /dev/pts && mount -t devpts devpts /dev/pts
for m in $(cat /lib/modules/load-order); do
	insmod /lib/modules/$m 2>/dev/null
done
hostname mvm
# mvm.ip=ADDR/PREFIX on the kernel command line: a static address for eth0
# (the kernel has no IP_PNP, and virtio_net is a module loaded just above).
for arg in $(cat /proc/cmdline); do
	case $arg in mvm.ip=*)
		ip link set eth0 up && ip addr add "${arg#mvm.ip=}" dev eth0 ;;
	esac
done
echo "mvm guest: $(uname -r) up, $(grep -c ^processor /proc/cpuinfo) CPU(s)"
# A command given as mvm.run=... on the kernel command line runs instead of a shell.
for arg in $(cat /proc/cmdline); do
	case $arg in mvm.script) exec /bin/sh /dev/console ;; esac
done
exec setsid cttyhack /bin/sh -l
INIT
chmod +x "$root/init"
echo 'export PS1="\\h:\\w# "' > "$root/etc/profile"

mkdir -p "$OUT"
(cd "$root" && find . | sort | cpio -o -H newc --quiet) | gzip -9 > "$OUT/initramfs.cpio.gz"
cp "$work/k/boot/vmlinuz-$kver" "$OUT/vmlinuz"
cp "$work/k/boot/System.map-$kver" "$OUT/System.map"
echo "$kver" > "$OUT/kernel-version"
echo "$STAMP_VERSION" > "$OUT/stamp"
echo "make-guest: $OUT ready (kernel $kver)" >&2
