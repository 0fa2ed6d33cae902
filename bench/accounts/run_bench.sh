#!/usr/bin/env bash
# Five youtube accounts one after another, then with --accounts all, against fakes with the
# real services' latencies (see accounts_bench.cpp). Takes a few minutes.
# usage: run_bench.sh [extra accounts_bench options]    env: BUILD (build dir, default build)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
build=${BUILD:-$root/build}
host=$build/host/app/automuse-host
bench=$build/bench/accounts/accounts_bench
[[ -x $host && -x $bench && -f $build/plugins-out/libyoutube.so ]] ||
  { echo "missing $host, $bench or the youtube plugin (build automuse-host youtube accounts_bench)" >&2; exit 2; }
exec "$bench" --host "$host" --plugin-dir "$build/plugins-out" "$@"
