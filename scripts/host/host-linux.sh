# make host-check's Linux boots, sourced by the host's /init (make-initramfs.sh)
# after the selftests and flat guests: the default guest under mvm.ko (split
# mode, then patch mode, the default) runs tests/boot/run's command set and a guest module
# cycle; with
# mvm.emu-boot (MVM_HOST_EMU_BOOT=1) the same guest then boots under the
# emulator, timed. Uses /init's helpers
# (guest_boot, linux_checks, expect, ended) and variables ($cpu, $SPLIT).
G="--kernel /guest/vmlinuz --initrd /guest/initramfs.cpio.gz --mem $guest_mem"
skip=
[ -x /bin/mvm ] || skip="no mips64el mvm was built"
[ -n "$skip" ] || [ -f /guest/vmlinuz ] || skip="no default guest in the initramfs (make guest)"
EMU_BOOT=
case $cmdline in *" mvm.emu-boot "*) EMU_BOOT=1;; esac
case $cmdline in *" mvm.nolinux "*)
	skip="Linux boots take minutes under QEMU: host-check runs them on the CPU models in MVM_HOST_LINUX_CPUS (default MIPS64R2-generic) only"
	case $cpu in *5KE*) skip="$skip; the 5KEc is MIPS64 R1, so the guest's R2 user instructions would trap too";; esac ;;
esac
if [ -n "$skip" ]; then
	echo "@@ok Linux boots under mvm.ko and under the emulator # SKIP $skip"
elif [ -z "$SPLIT" ]; then
	echo "@@ok kmod: the default guest boots to a shell under mvm.ko # SKIP this mvm has no split mode yet (no --kmod-mode)"
else
	# kmod_boot NAME WHAT MVM-RUN-ARGS...: the command set under mvm.ko
	kmod_boot() {
		n=$1 what=$2
		shift 2
		t0=$(now)
		guest_boot $n 2400 /tmp/linux.sh --backend kmod "$@" $G --disk /guest/disk.img
		if [ -e /tmp/$n.boot ]; then
			echo "@@ok $n: the default guest boots to a shell under mvm.ko, $what ($(cat /tmp/$n.boot) s)"
			linux_checks $n $n
			ended $n "$n: poweroff -f ends mvm with status 0"
		else
			echo "@@not ok $n: the default guest boots to a shell under mvm.ko, $what (status $(cat /tmp/$n.rc))"
			tail -15 /tmp/$n.out | sed 's/^/@@#   /'
		fi
		echo "@@bench $n: boot to the shell $(cat /tmp/$n.boot 2>/dev/null) s, whole run $(secs $t0 $(now)) s ($cpu)"
	}
	kmod_boot kmod "split mode (kernel in the VMM's core)" --kmod-mode split
	# Issue #4: the guest kernel as patched code, modules loaded after boot
	# too; no --kmod-mode, as a user runs it: patch mode is the default.
	kmod_boot patch "patch mode (kernel as patched code), the default" --verbose
	expect patch "patch: without --kmod-mode, mvm.ko runs the guest kernel as patched code" 'mvm: kmod: patch '
fi
if [ -n "$skip" ]; then
	:
elif [ -z "$EMU_BOOT" ]; then
	echo "@@ok emu: the default guest boots under the emulator in the host # SKIP minutes more; MVM_HOST_EMU_BOOT=1 runs it (make bench-host always does)"
else
	guest_boot emu 900 /tmp/up.sh --backend emu $G
	if [ -e /tmp/emu.boot ]; then
		echo "@@ok emu: the default guest boots to a shell under the emulator ($(cat /tmp/emu.boot) s)"
		expect emu "emu: the guest's shell runs a command" '^T:uptime [0-9]'
		ended emu "emu: poweroff -f ends mvm with status 0"
		echo "@@bench emu: boot to the shell $(cat /tmp/emu.boot) s ($cpu)"
	else
		echo "@@not ok emu: the default guest boots to a shell under the emulator (status $(cat /tmp/emu.rc))"
		tail -15 /tmp/emu.out | sed 's/^/@@#   /'
	fi
fi
