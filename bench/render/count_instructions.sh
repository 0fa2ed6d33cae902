#!/usr/bin/env bash
# The render benchmark's a/c ratio in instructions instead of time: callgrind counts what
# (a) automuse-render executes in all (startup, inputs, composition, audio, encode, mux) and
# what (c) the bare libx264 floor executes in its encode loop alone, on the same frames. The
# counts do not move with the machine's load, which on a shared 2-core machine moves CPU
# seconds by +-10 % from one run to the next. Slow: about 50x a normal run.
# usage: count_instructions.sh [WORKDIR] [TIMELINE] [COMPOSED_TIMELINE]
#        (after run_bench.sh has made the inputs; COMPOSED_TIMELINE is TIMELINE rendered
#        losslessly, the floor's frames: timeline_composed.json by default)
#        env: BUILD (build dir), FLOOR_PARAMS (the floor's x264-params, as in run_bench.sh)
set -euo pipefail
work=${1:-/tmp/automuse-render-bench}
timeline=${2:-timeline_9x16.json}
composed_timeline=${3:-timeline_composed.json}
here=$(cd "$(dirname "$0")" && pwd)
build=${BUILD:-$here/../../build-render}
render=$build/render/automuse-render
floor=$build/bench/render/render_x264_floor
floor_params=${FLOOR_PARAMS-cpu-independent=1}
# valgrind cannot decode the RDTSCP that libhwy (loaded by FFmpeg's libjxl) runs when it loads;
# this stands in for that probe (valgrind_hwy_timer.cpp).
hwy_shim=$build/bench/render/libvalgrind_hwy_timer.so
[[ -f $hwy_shim ]] || { echo "missing $hwy_shim (build valgrind_hwy_timer)" >&2; exit 2; }
cd "$work"
[[ -f $timeline && -f $composed_timeline ]] || { echo "run run_bench.sh first" >&2; exit 2; }
"$render" -q "$composed_timeline" -o composed.mp4
rm -f cg.a.out* cg.c.out*
# Both at once: each is single-threaded under valgrind.
LD_PRELOAD=$hwy_shim valgrind --tool=callgrind --callgrind-out-file=cg.a.out "$render" -q "$timeline" -o cg_a.mp4 \
  > cg.a.log 2>&1 &
LD_PRELOAD=$hwy_shim valgrind --tool=callgrind --callgrind-out-file=cg.c.out "$floor" composed.mp4 veryfast 23 "$floor_params" \
  > cg.c.log 2>&1 &
wait
# (a): the whole process. (c): the part dumped when the encode loop ended (x264_floor.cpp).
a=$(awk '/^totals:/ {print $2}' cg.a.out)
c=$(grep -l '^desc: Trigger: Client Request: encode' cg.c.out* | xargs awk '/^totals:/ {print $2}')
python3 - "$a" "$c" <<'PY'
import sys
a, c = int(sys.argv[1]), int(sys.argv[2])
print(f"instructions: (a) automuse-render {a / 1e9:.2f} G, (c) bare x264 floor {c / 1e9:.2f} G, "
      f"a/c = {a / c:.3f}  (goal <= 1.10)")
PY
