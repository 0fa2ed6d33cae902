#!/usr/bin/env bash
# scripts/fuzz.sh SECONDS [TARGET...] — the fuzzing campaign (docs/fuzzing.md): builds the
# libFuzzer targets in fuzz/ with clang, ASan and UBSan in build-fuzz/ (only they and the
# libraries they link), then runs each target (all when none is named) for SECONDS, starting
# from its checked-in seeds and the work corpus of earlier runs, build-fuzz/corpus/<target>/,
# where new coverage is kept. Crash inputs land in build-fuzz/crashes/<target>/; after fixing
# the bug, copy the input into fuzz/corpus/<target>/ so the replay test keeps it.
# Prints seconds, executions and crashes per target and appends that table to
# build-fuzz/fuzz-results.log (each run's libFuzzer output: build-fuzz/logs/<target>.<time>.log).
# Exits non-zero when any target crashed.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/packages.sh

if [ $# -lt 1 ] || ! [[ $1 =~ ^[0-9]+$ ]]; then
  echo "usage: scripts/fuzz.sh SECONDS [TARGET...]" >&2
  exit 2
fi
SECONDS_PER_TARGET=$1
shift

# clang and libFuzzer (Debian's clang ships libclang_rt.fuzzer) on top of the usual packages.
AUTOMUSE_PACKAGES+=(clang)
automuse_install_packages

BUILD_DIR=${BUILD_DIR:-build-fuzz}
JOBS=${JOBS:-2}
cmake -S . -B "$BUILD_DIR" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DCMAKE_C_COMPILER=clang -DCMAKE_CXX_COMPILER=clang++ \
  -DCMAKE_C_COMPILER_LAUNCHER=ccache -DCMAKE_CXX_COMPILER_LAUNCHER=ccache \
  -DAUTOMUSE_FUZZ=ON -DAUTOMUSE_BUILD_TESTS=OFF -DAUTOMUSE_BUILD_BENCH=OFF >/dev/null

TARGETS=("$@")
if [ ${#TARGETS[@]} -eq 0 ]; then
  for dir in fuzz/corpus/*/; do TARGETS+=("$(basename "$dir")"); done
fi
cmake --build "$BUILD_DIR" -j "$JOBS" --target "${TARGETS[@]/#/fuzz_}"

# UBSan's findings stop the run like ASan's; leaks are findings too.
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}

summary=$(mktemp)
trap 'rm -f "$summary"' EXIT
printf '%-16s %8s %12s %8s\n' target seconds execs crashes >"$summary"
failed=0
for t in "${TARGETS[@]}"; do
  work="$BUILD_DIR/corpus/$t"
  crashes="$BUILD_DIR/crashes/$t"
  log="$BUILD_DIR/logs/$t.$(date -u +%Y%m%dT%H%M%S).log"
  mkdir -p "$work" "$crashes" "$(dirname "$log")"
  before=$(find "$crashes" -type f | wc -l)
  echo "== $t: ${SECONDS_PER_TARGET}s (log: $log)"
  start=$(date +%s)
  # New inputs go to the first folder (the work corpus); the seeds are only read.
  # -fork keeps going past a crash (each is saved), so one shallow bug does not hide others.
  "$BUILD_DIR/fuzz/fuzz_$t" "$work" "fuzz/corpus/$t" -max_total_time="$SECONDS_PER_TARGET" \
    -fork=1 -ignore_crashes=1 -ignore_ooms=1 -ignore_timeouts=1 -rss_limit_mb=2048 \
    -timeout=10 -max_len=65536 -print_final_stats=1 -artifact_prefix="$crashes/" \
    >"$log" 2>&1 || true
  elapsed=$(($(date +%s) - start))
  # With -fork the parent reports the total of its jobs: "#N ... exec/s" lines and "execs: N".
  execs=$(grep -oE '^#[0-9]+' "$log" | tail -1 | tr -d '#')
  after=$(find "$crashes" -type f | wc -l)
  new=$((after - before))
  ((new > 0)) && failed=1
  printf '%-16s %8s %12s %8s\n' "$t" "$elapsed" "${execs:-0}" "$new" >>"$summary"
done

echo
cat "$summary"
{
  echo "# $(date -u +%FT%TZ) $(git rev-parse --short HEAD) ${SECONDS_PER_TARGET}s per target"
  cat "$summary"
} >>"$BUILD_DIR/fuzz-results.log"
if ((failed)); then
  echo "crash inputs are in $BUILD_DIR/crashes/<target>/ (reproduce: $BUILD_DIR/fuzz/fuzz_<target> FILE)"
fi
exit $failed
