# make bench-host, sourced by the host's /init (make-initramfs.sh) when the
# host's command line has mvm.bench. Side by side in one host boot:
#  (a) bench/host/compute natively and in the default guest (best of 3),
#      with a 1 MiB working set (more pages than the TLB maps) and a 16 KiB
#      one (resident);
#  (b) bench/host/syscall (getppid) natively and in the guest (best of 3);
#  (c) the guest's boot to its shell under kmod and under emu;
#  (d) mvm_exit events by reason during the kmod run, split into phases
#      (boot, compute, syscall, poweroff) by trace markers.
# The guest's initramfs is /guest/bench.cpio.gz: the default one with a
# second archive holding /bench appended. Prints "@@bench" lines.
# mvm.kmod-mode=MODE runs the kmod guest with --kmod-mode MODE: patch (the
# default, as mvm's: its kernel as patched code) or split (its kernel in
# the VMM's core).
NOTRACE= NOEMU= KMODE=patch
ROUNDS=${BENCH_ROUNDS:-10} SROUNDS=${BENCH_SMALL_ROUNDS:-100} CALLS=${BENCH_CALLS:-100000} GCALLS=${BENCH_GUEST_CALLS:-10000}
for a in $cmdline; do
	case $a in
	mvm.rounds=*) ROUNDS=${a#*=} ;;
	mvm.calls=*) CALLS=${a#*=} ;;
	mvm.guest-calls=*) GCALLS=${a#*=} ;;
	mvm.bench-no-trace) NOTRACE=1 ;;
	mvm.bench-no-emu) NOEMU=1 ;;
	mvm.kmod-mode=*) KMODE=${a#*=} ;;
	esac
done
backend=kmod
[ -n "$SPLIT" ] || backend=emu
best() { sort -n | head -1; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN{ if (a > 0 && b > 0) printf "%.3f", a / b; else print "n/a" }'; }
echo "@@bench host: $cpu, $(sed -n 's/^MemTotal: *//p' /proc/meminfo) RAM; guest --mem $guest_mem"
[ -n "$SPLIT" ] ||
	echo "@@bench note: this mvm has no split mode (no --kmod-mode): the guest runs under emu"

: > /tmp/native.txt
for i in 1 2 3; do
	/bench/compute "$ROUNDS" 1024 >> /tmp/native.txt
	/bench/compute "$SROUNDS" 16 >> /tmp/native.txt
	/bench/syscall "$CALLS" >> /tmp/native.txt
done
sed 's/^/@@bench native: /' /tmp/native.txt

cat > /tmp/bench.sh <<EOF
for i in 1 2 3; do echo "T:\$(/bench/compute $ROUNDS 1024)"; echo "T:\$(/bench/compute $SROUNDS 16)"; done; echo T:compute-done
@wait T:compute-done syscall
for i in 1 2 3; do echo "T:\$(/bench/syscall $GCALLS)"; done; echo T:syscall-done
@wait T:syscall-done poweroff
poweroff -f
EOF

T=/sys/kernel/tracing
traced=
if [ "$backend" = kmod ] && [ -z "$NOTRACE" ] && [ -d $T/events/mvm/mvm_exit ]; then
	echo 0 > $T/tracing_on
	echo 65536 > $T/buffer_size_kb
	echo > $T/trace
	echo 1 > $T/events/mvm/mvm_exit/enable
	echo 1 > $T/tracing_on
	traced=1
fi
t0=$(now)
mode=
if [ "$backend" = kmod ] && [ -n "$KMODE" ]; then
	mode="--kmod-mode $KMODE"
	backend=kmod-$KMODE
fi
guest_boot guest 3000 /tmp/bench.sh --backend ${backend%%-*} $mode --kernel /guest/vmlinuz \
	--initrd /guest/bench.cpio.gz --mem $guest_mem
echo "@@bench guest ($backend): boot to the shell $(cat /tmp/guest.boot 2>/dev/null) s, whole run $(secs $t0 $(now)) s, mvm status $(cat /tmp/guest.rc)"
grep -a '^T:\(compute\|syscall\):' /tmp/guest.out | sed "s/^T:/@@bench guest ($backend): /"
[ -e /tmp/guest.boot ] || tail -15 /tmp/guest.out | sed 's/^/@@#   /'

# (d) Exits by reason: reason 0 = handled in the kernel, named by ExcCode;
# exception exits by ExcCode too. The trace's timestamps give each phase's
# length (first event or marker to the next marker or last event). The
# guest kernel's own boot makes no exit (kernel mode runs in the VMM), so
# the first phase starts at /init's first exit and ends when the guest is
# up; each later marker names the phase it starts. Formatting the trace
# takes minutes under QEMU (mvm.bench-no-trace leaves it out).
if [ -n "$traced" ]; then
	echo 0 > $T/tracing_on
	echo 0 > $T/events/mvm/mvm_exit/enable
	echo "@@bench exits: $(sed -n 's/^overrun: //p' $T/per_cpu/cpu0/stats) events lost (trace buffer overrun)"
	awk '
	function ts(line) { sub(/: (mvm_exit|tracing_mark_write):.*/, "", line); sub(/.* /, "", line); return line }
	BEGIN { split("Int Mod TLBL TLBS AdEL AdES IBE DBE Sys Bp RI CpU Ov Tr MSAFPE FPE", n, " ")
		r[0] = "in-kernel"; r[3] = "hypercall"; r[6] = "mmio"; r[10] = "intr"
		r[17] = "internal-error"; r[32] = "exception"; phase = "init"; np = 0 }
	/ tracing_mark_write: / { t = ts($0); end[phase] = t; order[++np] = phase
		phase = ($NF == "mvm-guest-up") ? "compute" : $NF; start[phase] = t; next }
	/ mvm_exit: / { t = ts($0)
		if (!(phase in start)) start[phase] = t
		end[phase] = t
		for (i = 1; i < NF; i++) {
			if ($i == "reason") re = $(i + 1)
			if ($i == "exc") ex = $(i + 1)
		}
		k = (re in r) ? r[re] : "reason-" re
		if (re == 0 || re == 32) k = k "/" ((ex + 1 in n) ? n[ex + 1] : ex)
		c[phase SUBSEP k]++; tot[phase]++ }
	END { order[++np] = phase
		for (p = 1; p <= np; p++) {
			ph = order[p]; d = end[ph] - start[ph]
			if (d <= 0) continue
			line = sprintf("@@bench (d) exits, %s phase: %.1f s, %d exits = %.0f/s;", ph, d, tot[ph], tot[ph] / d)
			for (key in c) { split(key, kk, SUBSEP)
				if (kk[1] == ph) line = line sprintf(" %s %d (%.0f/s)", kk[2], c[key], c[key] / d) }
			print line
		} }' $T/trace
	echo > $T/trace
fi

ns=$(sed -n 's/^syscall: .*, \([0-9.]*\) us\/call.*/\1/p' /tmp/native.txt | best)
gs=$(sed -n 's/^T:syscall: .*, \([0-9.]*\) us\/call.*/\1/p' /tmp/guest.out | best)
nsum=$(sed -n 's/^compute: \(.* KiB\) in .*checksum /\1 /p' /tmp/native.txt | sort -u)
gsum=$(sed -n 's/^T:compute: \(.* KiB\) in .*checksum /\1 /p' /tmp/guest.out | sort -u)
for kib in 1024 16; do
	nc=$(sed -n "s/^compute: .* of $kib KiB in \([0-9.]*\) s.*/\1/p" /tmp/native.txt | best)
	gc=$(sed -n "s/^T:compute: .* of $kib KiB in \([0-9.]*\) s.*/\1/p" /tmp/guest.out | best)
	echo "@@bench (a) compute, $kib KiB working set, best of 3: native $nc s, guest ($backend) ${gc:-none} s, native/guest $(ratio "$nc" "$gc") (target >= 0.95)"
done
[ -n "$gsum" ] && [ "$nsum" = "$gsum" ] && same=equal || same=DIFFER
echo "@@bench (a) compute checksums, native vs guest: $same"
echo "@@bench (b) getppid, best of 3: native $ns us/call, guest ($backend) ${gs:-none} us/call, guest/native $(ratio "$gs" "$ns")"

if [ -n "$NOEMU" ]; then
	echo "@@bench (c) boot to the shell: $backend $(cat /tmp/guest.boot 2>/dev/null) s (emu boot left out: mvm.bench-no-emu)"
	return 0
fi
guest_boot emu 1800 /tmp/up.sh --backend emu --kernel /guest/vmlinuz \
	--initrd /guest/bench.cpio.gz --mem $guest_mem
[ -e /tmp/emu.boot ] || tail -15 /tmp/emu.out | sed 's/^/@@#   /'
kb=$(cat /tmp/guest.boot 2>/dev/null) eb=$(cat /tmp/emu.boot 2>/dev/null)
echo "@@bench (c) boot to the shell: $backend ${kb:-none} s, emu ${eb:-none} s (mvm status $(cat /tmp/emu.rc)), $backend/emu $(ratio "$kb" "$eb")"
