#!/usr/bin/env bash
# Render benchmark, side by side in one run: (a) automuse-render, (b) the ffmpeg command line
# reference (ffmpeg_cli_reference.sh beside this script, same composition and encoder
# settings) and (c) the floor, a bare libx264 encode of (a)'s already-composed frames: the
# exact frames, taken from a lossless render of the same timeline (a lossy copy such as a.mp4
# holds less detail, so x264 would do ~10% less work on it than on what (a) really encodes).
# Rounds are interleaved a,b,c so machine noise hits all three alike; prints medians, ratios
# and peak memory, then renders the same timeline at 16:9.
# usage: run_bench.sh [ROUNDS] [WORKDIR]
# env: BUILD (build dir), REFERENCE (script), ENCODER ((a)'s --encoder: auto, h264_nvenc, ...;
# default the timeline's, libx264), FLOOR_PARAMS ((c)'s x264-params; default cpu-independent=1,
# as the renderer's libx264 runs: the same settings give the same H.264). Prints which encoder
# (a) ran.
set -euo pipefail
rounds=${1:-7}
work=${2:-/tmp/automuse-render-bench}
here=$(cd "$(dirname "$0")" && pwd)
build=${BUILD:-$here/../../build-render}
reference=${REFERENCE:-$here/ffmpeg_cli_reference.sh}
encoder_args=()
[[ -n ${ENCODER:-} ]] && encoder_args=(--encoder "$ENCODER")
render=$build/render/automuse-render
floor=$build/bench/render/render_x264_floor
floor_params=${FLOOR_PARAMS-cpu-independent=1}
for exe in "$render" "$floor" "$reference"; do
  [[ -x $exe ]] || { echo "missing $exe (build automuse-render and render_x264_floor)" >&2; exit 2; }
done

[[ -f $work/timeline_composed.json ]] || "$here/make_inputs.sh" "$work"
cd "$work"
"$render" -q timeline_composed.json -o composed.mp4  # untimed: the floor's input frames
# The same subtitles for both renderers: automuse-render writes the ASS it burns in.
"$render" --check --write-ass subs.ass timeline_9x16.json
results=$work/results.txt
: > "$results"
timed() {  # label cmd... -> appends "label wall_seconds peak_kb cpu_seconds"; stdout in label.out
  local label=$1; shift
  /usr/bin/time -f "%e %M %U %S" -o time.out "$@" > "$label.out"
  awk -v l="$label" '{printf "%s %s %s %.2f\n", l, $1, $2, $3 + $4}' time.out >> "$results"
}
for ((r = 1; r <= rounds; r++)); do
  echo "round $r/$rounds" >&2
  timed a "$render" -q --cpu-stats "${encoder_args[@]}" timeline_9x16.json -o a.mp4
  timed b "$reference" b.mp4 voice.wav music.wav subs.ass img0.png img1.png img2.png img3.png img4.png img5.png
  enc=$("$floor" composed.mp4 veryfast 23 "$floor_params")
  echo "$enc" > floor.out
  echo "c $(awk '{print $2, 0, $4}' <<< "$enc")" >> "$results"
done
timed a16x9 "$render" -q --cpu-stats "${encoder_args[@]}" timeline_16x9.json -o a16x9.mp4
# --cpu-stats prints "encoder NAME": what really encoded (a), after auto's probing.
echo "encoder: (a) $(awk '$1 == "encoder" {print $2}' a.out), 16:9 $(awk '$1 == "encoder" {print $2}' a16x9.out); (b) libx264 (ffmpeg CLI); (c) libx264 (x264-params: ${floor_params:-none})"

python3 - "$results" <<'PY'
import statistics, subprocess, sys
rows = [l.split() for l in open(sys.argv[1]) if l.strip()]
def med(label, col):
    return statistics.median(float(r[col]) for r in rows if r[0] == label)
def all_(label):
    return ", ".join(r[1] for r in rows if r[0] == label)
a, b, c = med("a", 1), med("b", 1), med("c", 1)
ca, cb, cc = med("a", 3), med("b", 3), med("c", 3)
print(f"wall seconds per round: a = {all_('a')}; b = {all_('b')}; c = {all_('c')}")
print(f"                      wall median   CPU median (user+sys)   peak RSS")
print(f"(a) automuse-render     {a:8.2f} s    {ca:8.2f} s            {med('a', 2) / 1024:6.0f} MiB")
print(f"(b) ffmpeg CLI ref.     {b:8.2f} s    {cb:8.2f} s            {med('b', 2) / 1024:6.0f} MiB")
print(f"(c) bare x264 floor     {c:8.2f} s    {cc:8.2f} s            (encode loop only)")
print(f"a/b wall = {a / b:.3f}, CPU = {ca / cb:.3f}   (goal <= 0.90)")
print(f"a/c wall = {a / c:.3f}, CPU = {ca / cc:.3f}   (goal <= 1.10)")
# Ratios within each round (its three runs met the same machine load), then their median:
# steadier than a ratio of medians when other work comes and goes.
def per_round(x, y, col):
    xs = [float(r[col]) for r in rows if r[0] == x]
    ys = [float(r[col]) for r in rows if r[0] == y]
    return statistics.median(p / q for p, q in zip(xs, ys))
print(f"per-round ratio medians: a/b wall = {per_round('a', 'b', 1):.3f}, CPU = {per_round('a', 'b', 3):.3f}; "
      f"a/c wall = {per_round('a', 'c', 1):.3f}, CPU = {per_round('a', 'c', 3):.3f}")
def col(label, c):
    return [float(r[c]) for r in rows if r[0] == label]
print("a/c CPU per round: " + ", ".join(f"{p / q:.3f}" for p, q in zip(col('a', 3), col('c', 3))))
# All rounds' CPU summed: every second of either side counts once, whichever round it fell in.
print(f"a/c CPU of all rounds summed = {sum(col('a', 3)) / sum(col('c', 3)):.3f}")
print(f"peak memory a/b = {med('a', 2) / med('b', 2):.3f}  (goal <= 1.00)")
print(f"16:9 render of the same timeline: {med('a16x9', 1):.2f} s wall, {med('a16x9', 3):.2f} s CPU, "
      f"peak {med('a16x9', 2) / 1024:.0f} MiB")
print(f"load average at the end: {open('/proc/loadavg').read().split()[:3]} on {__import__('os').cpu_count()} CPUs")
# Same frames, same settings: the floor's H.264 should be (a)'s video stream to within the
# few hundred bytes of headers the MP4 keeps apart.
floor_bytes = int(open("floor.out").read().split()[-1])
a_bytes = sum(int(x) for x in subprocess.run(["ffprobe", "-v", "error", "-select_streams", "v", "-show_entries",
              "packet=size", "-of", "csv=p=0", "a.mp4"], capture_output=True, text=True).stdout.split())
print(f"same frames: floor encoded {floor_bytes} bytes of H.264, a.mp4 holds {a_bytes} ({(floor_bytes - a_bytes) / a_bytes:+.4%})")
for f in ("a.mp4", "b.mp4", "a16x9.mp4"):
    out = subprocess.run(["ffprobe", "-v", "error", "-show_entries", "stream=codec_name,width,height,pix_fmt:format=duration",
                          "-of", "compact=p=0:nk=1", f], capture_output=True, text=True).stdout.split()
    print(f"  {f}: {' '.join(out)}")
PY
