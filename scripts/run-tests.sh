#!/bin/bash
# Runs every test suite: each executable tests/<suite>/run prints TAP
# ("ok N - ...", "not ok N - ...", "# SKIP" directives). Counts them all and
# closes with `N passed, N failed` (and skipped). A suite that exits non-zero
# without reporting a failure counts as one failure. Select suites with
# SUITES="isa cli".
set -uo pipefail
cd "$(dirname "$0")/.."
export MVM=${MVM:-$PWD/build/mvm}
export MVM_ROOT=$PWD
passed=0 failed=0 skipped=0
suites=${SUITES:-$(ls -d tests/*/ | xargs -n1 basename)}
log_dir=build/test-logs
mkdir -p "$log_dir"
for s in $suites; do
	runner=tests/$s/run
	[ -x "$runner" ] || continue
	echo "# suite $s"
	start=$(date +%s)
	"$runner" > "$log_dir/$s.tap" 2> "$log_dir/$s.err"
	rc=$?
	p=$(grep -Ec '^ok [0-9]+' "$log_dir/$s.tap" | head -1)
	sk=$(grep -Ec '^ok [0-9]+.*# *(SKIP|skip)' "$log_dir/$s.tap")
	f=$(grep -Ec '^not ok [0-9]+' "$log_dir/$s.tap")
	p=$((p - sk))
	grep -E '^(not ok|ok .*# *SKIP|Bail out)' "$log_dir/$s.tap" | head -50
	if [ $rc -ne 0 ] && [ "$f" -eq 0 ]; then
		echo "not ok - suite $s exited with status $rc"
		tail -20 "$log_dir/$s.err"
		f=1
	fi
	echo "# suite $s: $p passed, $f failed, $sk skipped ($(( $(date +%s) - start )) s)"
	passed=$((passed + p)) failed=$((failed + f)) skipped=$((skipped + sk))
done
echo "$passed passed, $failed failed, $skipped skipped"
[ $failed -eq 0 ]
