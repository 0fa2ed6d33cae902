#!/usr/bin/env bash
# scripts/sanitize.sh [asan|tsan|all] — the suite under the sanitizers, outside .ci/run (it
# takes long): asan builds everything with AddressSanitizer and UBSan in build-asan and runs
# the whole ctest suite; tsan builds the concurrency suites (ctest label "concurrency") with
# ThreadSanitizer in build-tsan, first proving that TSan reports a known race, and runs them.
# Fails on any failed test and on any sanitizer report, in a test or in a process it started.
# Suppressions live in scripts/sanitizers/ and name third-party code only (docs/testing.md).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/configure.sh

MODE=${1:-all}
JOBS=${JOBS:-$(nproc)}
SUPPRESSIONS="$PWD/scripts/sanitizers"

# Every report goes to a file here as well as failing its process, so that a report in a child
# process whose exit a test tolerates still fails the run.
fresh_report_dir() {
  rm -rf "$1"
  mkdir -p "$1"
}
fail_on_reports() {
  local dir=$1
  if compgen -G "$dir/*" > /dev/null; then
    echo "sanitize.sh: sanitizer reports in $dir:" >&2
    for f in "$dir"/*; do
      echo "---- $f" >&2
      cat "$f" >&2
    done
    return 1
  fi
}

run_suite() {
  local build_dir=$1
  shift
  # The same environment as scripts/test.sh: every test keeps its logs for the secret scan.
  export AUTOMUSE_TEST_LOG_DIR="$PWD/$build_dir/test-logs"
  rm -rf "$AUTOMUSE_TEST_LOG_DIR"
  ctest --test-dir "$build_dir" --output-on-failure -j "$JOBS" --timeout 1200 "$@"
}

run_asan() {
  automuse_configure build-asan -DAUTOMUSE_SANITIZE=address -DAUTOMUSE_BUILD_BENCH=OFF || return 1
  cmake --build build-asan -j "$JOBS" || return 1
  local reports="$PWD/build-asan/sanitizer-reports"
  fresh_report_dir "$reports"
  export ASAN_OPTIONS="halt_on_error=1:detect_leaks=1:log_path=$reports/asan"
  export LSAN_OPTIONS="suppressions=$SUPPRESSIONS/lsan.supp:print_suppressions=0"
  export UBSAN_OPTIONS="halt_on_error=1:print_stacktrace=1:log_path=$reports/ubsan"
  local status=0
  run_suite build-asan -LE log_scan || status=1
  run_suite build-asan -L log_scan || status=1
  fail_on_reports "$reports" || status=1
  return $status
}

# A two-thread race on purpose (tests/sanitizers/known_race.cpp): silence means TSan is off.
tsan_reports_known_race() {
  local out
  out=$(TSAN_OPTIONS="halt_on_error=1" build-tsan/tests/sanitizers/tsan_known_race 2>&1 || true)
  if ! grep -q "WARNING: ThreadSanitizer: data race" <<< "$out"; then
    echo "sanitize.sh: ThreadSanitizer did not report the known race; it is not on:" >&2
    echo "$out" >&2
    return 1
  fi
  echo "sanitize.sh: ThreadSanitizer reports the known race, as it must."
}

run_tsan() {
  automuse_configure build-tsan -DAUTOMUSE_SANITIZE=thread -DAUTOMUSE_BUILD_BENCH=OFF || return 1
  cmake --build build-tsan -j "$JOBS" --target concurrency_suites tsan_known_race || return 1
  tsan_reports_known_race || return 1
  local reports="$PWD/build-tsan/sanitizer-reports"
  fresh_report_dir "$reports"
  export TSAN_OPTIONS="halt_on_error=1:second_deadlock_stack=1:suppressions=$SUPPRESSIONS/tsan.supp:log_path=$reports/tsan"
  local status=0
  run_suite build-tsan -L concurrency || status=1
  fail_on_reports "$reports" || status=1
  return $status
}

case "$MODE" in
  asan) run_asan ;;
  tsan) run_tsan ;;
  all)
    status=0
    run_asan || status=1
    run_tsan || status=1
    exit $status
    ;;
  *)
    echo "usage: scripts/sanitize.sh [asan|tsan|all]" >&2
    exit 2
    ;;
esac
