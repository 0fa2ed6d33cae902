#!/bin/sh
# bench/soak/run_soak.sh — the chaos soak of tests/soak for longer than its ctest version: the
# same binary, rounds starting until SOAK_SECONDS have passed (default 600), with the seed
# SOAK_SEED (default: a random one, printed first, so a failure can be replayed with it).
#
#   cmake --build build --target chaos_soak_test
#   bench/soak/run_soak.sh [BUILD_DIR]
#   SOAK_SEED=1234 SOAK_SECONDS=120 bench/soak/run_soak.sh
#
# Not part of .ci/run: it takes minutes. The figures (slots, faults by kind, kills, videos,
# posts, duplicates, lost slots) are printed at the end; the exit status is the test's.
set -eu
build=${1:-build}
exe="$build/tests/soak/chaos_soak_test"
if [ ! -x "$exe" ]; then
  echo "run_soak.sh: $exe is missing; build it: cmake --build $build --target chaos_soak_test" >&2
  exit 2
fi
SOAK_SECONDS=${SOAK_SECONDS:-600}
SOAK_SEED=${SOAK_SEED:-$(od -An -N4 -tu4 /dev/urandom | tr -d ' ')}
export SOAK_SECONDS SOAK_SEED
echo "run_soak.sh: seed $SOAK_SEED, $SOAK_SECONDS s (replay: SOAK_SEED=$SOAK_SEED SOAK_SECONDS=$SOAK_SECONDS $0 $build)"
exec "$exe" --gtest_color=no
