#!/bin/bash
# Fuzzes both CPU harnesses for SECONDS each (default 600), from the seeds
# plus what earlier runs found (build/fuzz-cpu/corpus-*). Crashes are kept
# as build/fuzz-cpu/artifacts/*-crash-*; exit status non-zero on a crash.
# Reproduce one: build/fuzz-cpu/fuzz_cpu FILE (FUZZ_CPU_VERBOSE=1 tells more;
# minimise: fuzz_cpu -minimize_crash=1 -runs=10000 FILE).
set -u
cd "$(dirname "$0")/../.."
seconds=${1:-600}
dir=build/fuzz-cpu
mkdir -p "$dir/artifacts" "$dir/corpus-cpu" "$dir/corpus-decode"
python3 tests/fuzz-cpu/make-seeds.py "$dir/seeds-cpu" "$dir/seeds-decode"
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1
export UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1
status=0
for target in cpu decode; do
	max_len=1200
	[ $target = decode ] && max_len=44
	"$dir/fuzz_$target" -max_total_time="$seconds" -max_len=$max_len -timeout=20 \
		-rss_limit_mb=2048 -print_final_stats=1 -artifact_prefix="$dir/artifacts/$target-" \
		"$dir/corpus-$target" "$dir/seeds-$target" || status=1
done
exit $status
