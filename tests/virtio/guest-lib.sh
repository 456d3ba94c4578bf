# Helpers for guest-level tests (sourced by tests/disk/run, tests/net/run):
# boot the default guest under mvm with its console on a FIFO and a log,
# type commands into its shell and wait for their results.
#
# A test first calls guest_can_boot: when the VMM or the guest image is
# missing, or the guest does not reach its shell, the caller reports SKIP
# with $GUEST_SKIP_REASON; it never pretends to pass.

MVM=${MVM:-$PWD/build/mvm}
GUEST_DIR=${MVM_GUEST_DIR:-$HOME/.cache/mvm/guest}
GUEST_BOOT_TIMEOUT=${GUEST_BOOT_TIMEOUT:-180}
GUEST_PID=
GUEST_LOG=
GUEST_SKIP_REASON=
T=0

tap_ok() { T=$((T + 1)); echo "ok $T - $*"; }
tap_fail() { T=$((T + 1)); echo "not ok $T - $*"; }
tap_skip() { T=$((T + 1)); echo "ok $T - $1 # SKIP $2"; }
tap_check() {	# tap_check NAME COMMAND...
	local name=$1; shift
	if "$@"; then tap_ok "$name"; else tap_fail "$name"; fi
}

# Whether this machine can run guest tests at all; sets GUEST_SKIP_REASON.
guest_prerequisites() {
	if [ ! -x "$MVM" ]; then
		GUEST_SKIP_REASON="no VMM at $MVM"
	elif [ ! -f "$GUEST_DIR/vmlinuz" ] || [ ! -f "$GUEST_DIR/initramfs.cpio.gz" ]; then
		GUEST_SKIP_REASON="no guest in $GUEST_DIR (make guest)"
	elif ! "$MVM" --help 2>/dev/null | grep -q -- '--disk'; then
		GUEST_SKIP_REASON="this mvm has no --disk option"
	else
		return 0
	fi
	return 1
}

# guest_start WORKDIR [mvm options...]: boots in the background.
guest_start() {
	local dir=$1; shift
	GUEST_LOG=$dir/console.log
	GUEST_FIFO=$dir/console.in
	rm -f "$GUEST_FIFO"
	mkfifo "$GUEST_FIFO"
	: > "$GUEST_LOG"
	# GUEST_WRAP: a command prefix, e.g. "ip netns exec NS".
	${GUEST_WRAP:-} "$MVM" run --kernel "$GUEST_DIR/vmlinuz" --initrd "$GUEST_DIR/initramfs.cpio.gz" \
		"$@" < "$GUEST_FIFO" > "$GUEST_LOG" 2>&1 &
	GUEST_PID=$!
	exec {GUEST_IN}> "$GUEST_FIFO"
}

# guest_wait_for TEXT SECONDS: true once TEXT is in the console log.
guest_wait_for() {
	local text=$1 limit=$(( $(date +%s) + $2 ))
	while [ "$(date +%s)" -lt $limit ]; do
		grep -aqF -- "$text" "$GUEST_LOG" && return 0
		kill -0 "$GUEST_PID" 2>/dev/null || { grep -aqF -- "$text" "$GUEST_LOG"; return; }
		sleep 0.5
	done
	return 1
}

# Boots and waits for the shell; false (with GUEST_SKIP_REASON) if it never comes.
guest_boot() {
	guest_start "$@"
	if ! guest_wait_for "mvm guest:" "$GUEST_BOOT_TIMEOUT"; then
		GUEST_SKIP_REASON="the guest did not reach /init within ${GUEST_BOOT_TIMEOUT}s under $MVM"
		guest_kill
		return 1
	fi
	guest_wait_for "# " 30
}

GUEST_SEQ=0
# guest_run SECONDS COMMAND: runs COMMAND in the guest shell, waits for it,
# and leaves its output in $GUEST_OUT. Fails when it times out or exits non-zero.
guest_run() {
	local limit=$1 cmd=$2 start
	GUEST_SEQ=$((GUEST_SEQ + 1))
	start=$(wc -c < "$GUEST_LOG")
	# The shell echoes what we type: the marker is only complete once
	# the shell has expanded $((...)), so the echo never matches.
	printf 'echo "@@BEG$((%d+0))@@"; %s; echo "@@END$((%d+0)) rc=$?@@"\n' \
		"$GUEST_SEQ" "$cmd" "$GUEST_SEQ" >&"$GUEST_IN"
	if ! guest_wait_for "@@END$GUEST_SEQ rc=" "$limit"; then
		GUEST_OUT=$(tail -c +"$((start + 1))" "$GUEST_LOG" | tr -d '\r')
		echo "# guest command timed out after ${limit}s: $cmd"
		return 1
	fi
	GUEST_OUT=$(tail -c +"$((start + 1))" "$GUEST_LOG" | tr -d '\r' |
		sed -n '/^@@BEG'"$GUEST_SEQ"'@@/,/@@END'"$GUEST_SEQ"' rc=/p' | sed '1d;$d')
	grep -aqF "@@END$GUEST_SEQ rc=0@@" "$GUEST_LOG"
}

# guest_exit SECONDS: asks the guest to reboot (mvm exits with status 3)
# after unmounting; returns mvm's exit status.
guest_reboot() {
	printf 'sync; reboot -f\n' >&"$GUEST_IN"
	guest_wait_exit "$1"
}

guest_wait_exit() {
	local limit=$(( $(date +%s) + $1 )) status
	while kill -0 "$GUEST_PID" 2>/dev/null && [ "$(date +%s)" -lt $limit ]; do
		sleep 0.5
	done
	if kill -0 "$GUEST_PID" 2>/dev/null; then
		guest_kill
		return 124
	fi
	wait "$GUEST_PID"
	status=$?
	exec {GUEST_IN}>&-
	GUEST_PID=
	return $status
}

guest_kill() {
	if [ -n "$GUEST_PID" ]; then
		kill "$GUEST_PID" 2>/dev/null
		wait "$GUEST_PID" 2>/dev/null
		GUEST_PID=
	fi
	[ -z "${GUEST_IN:-}" ] || exec {GUEST_IN}>&- 2>/dev/null
	GUEST_IN=
}
