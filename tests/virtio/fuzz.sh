#!/bin/bash
# Runs the virtio fuzzer for SECONDS (default 30) on 1 worker, from the seed
# corpus plus whatever earlier runs found (build/fuzz/corpus). Crashes are
# kept as build/fuzz/crash-*; exit status non-zero when one was found.
set -u
cd "$(dirname "$0")/../.."
seconds=${1:-30}
fuzzer=build/fuzz/virtio_fuzz
corpus=build/fuzz/corpus
mkdir -p "$corpus" build/fuzz/seeds
python3 tests/virtio/make-seeds.py build/fuzz/seeds
exec "$fuzzer" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
	-artifact_prefix=build/fuzz/ -print_final_stats=1 "$corpus" build/fuzz/seeds
