#!/bin/bash
# The QEMU side of `make bench-virtio`: an initramfs for Debian's
# 6.1.0-50-5kc-malta kernel (the same kernel version as mvm's guest, malta
# flavour: QEMU 7.2's malta has PCI but no virtio-mmio), built from the
# default guest's initramfs (same busybox, same /init) with that kernel's
# virtio_pci, virtio_blk and virtio_net modules in place of mvm's.
# Cached under build/bench/qemu-guest/; prints that directory.
#
# usage: bench/virtio-qemu-guest.sh
set -eu
cd "$(dirname "$0")/.."
GUEST_DIR=${MVM_GUEST_DIR:-$HOME/.cache/mvm/guest}
DEB=$(ls "$HOME"/.cache/mvm/debs/linux-image-6.1.0-50-5kc-malta_*_mips64el.deb 2>/dev/null | head -1)
OUT=$PWD/build/bench/qemu-guest
[ -n "$DEB" ] || { echo "virtio-qemu-guest: no linux-image-6.1.0-50-5kc-malta .deb in ~/.cache/mvm/debs (scripts/host/fetch.sh)" >&2; exit 1; }
if [ -f "$OUT/initramfs.cpio.gz" ] && [ "$OUT/initramfs.cpio.gz" -nt "$DEB" ] &&
	[ "$OUT/initramfs.cpio.gz" -nt "$GUEST_DIR/initramfs.cpio.gz" ] && [ "$OUT/initramfs.cpio.gz" -nt "$0" ]; then
	echo "$OUT"; exit 0
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/k" "$work/root" "$OUT"
dpkg-deb --fsys-tarfile "$DEB" | tar -x -C "$work/k" --wildcards './boot/vmlinuz-*' \
	'./lib/modules/*/kernel/drivers/virtio/*' './lib/modules/*/kernel/drivers/block/virtio_blk.ko*' \
	'./lib/modules/*/kernel/drivers/net/*failover.ko*' './lib/modules/*/kernel/drivers/net/virtio_net.ko*' \
	'./lib/modules/*/kernel/net/core/failover.ko*'
kver=$(ls "$work/k/lib/modules")
mdir=$work/k/lib/modules/$kver/kernel
(cd "$work/root" && gzip -dc "$GUEST_DIR/initramfs.cpio.gz" | cpio -id --quiet)
rm -f "$work/root"/lib/modules/*.ko
# Dependency order (from the modules' depends= fields: no modules.dep).
MODULES="
drivers/virtio/virtio.ko drivers/virtio/virtio_ring.ko drivers/virtio/virtio_pci_modern_dev.ko
drivers/virtio/virtio_pci_legacy_dev.ko drivers/virtio/virtio_pci.ko drivers/block/virtio_blk.ko
net/core/failover.ko drivers/net/net_failover.ko drivers/net/virtio_net.ko
"
: > "$work/root/lib/modules/load-order"
for m in $MODULES; do
	for src in "$mdir/$m" "$mdir/$m.xz"; do
		[ -f "$src" ] || continue
		base=$(basename "$src")
		cp "$src" "$work/root/lib/modules/$base"
		case $base in *.xz) xz -d "$work/root/lib/modules/$base"; base=${base%.xz};; esac
		echo "$base" >> "$work/root/lib/modules/load-order"
	done
done
[ "$(wc -l < "$work/root/lib/modules/load-order")" -eq 9 ] || { echo "virtio-qemu-guest: modules missing from $DEB" >&2; exit 1; }
cp "$work/k/boot/vmlinuz-$kver" "$OUT/vmlinuz"
(cd "$work/root" && find . | sort | cpio -o -H newc --quiet) | gzip -9 > "$OUT/initramfs.cpio.gz.tmp"
mv "$OUT/initramfs.cpio.gz.tmp" "$OUT/initramfs.cpio.gz"
echo "$OUT"
