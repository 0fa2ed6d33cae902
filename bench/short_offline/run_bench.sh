#!/usr/bin/env bash
# The offline demo Short end to end (script -> espeak-ng speech + title cards -> subtitles ->
# 1080x1920 render -> outbox), timed over several rounds: "cold" rounds start from empty
# folders (nothing cached), "warm" rounds re-run with the speech and cards cached. Prints the
# medians and each step's median from metadata.json, next to the original's own figures
# (MoviePy: render 30-60 s, total 60-115 s).
# usage: run_bench.sh [ROUNDS] [WORKDIR]     env: BUILD (build dir, default build), SCRIPT
set -euo pipefail
rounds=${1:-3}
work=${2:-/tmp/automuse-short-bench}
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
build=${BUILD:-$root/build}
host=$build/host/app/automuse-host
script=${SCRIPT:-$root/examples/scripts/octopus.txt}
[[ -x $host && -f $build/plugins-out/libyoutube.so ]] ||
  { echo "missing $host or the youtube plugin (build automuse-host and youtube)" >&2; exit 2; }

rm -rf "$work"
mkdir -p "$work"
results=$work/results.txt
: > "$results"
run_once() {  # label home -> appends "label wall_seconds peak_kb metadata.json"
  local label=$1 home=$2
  mkdir -p "$home/config/automuse"
  echo "{\"plugins\": {\"youtube\": {\"outbox_dir\": \"$home/outbox\"}}}" > "$home/config/automuse/automuse.json"
  XDG_CONFIG_HOME=$home/config XDG_DATA_HOME=$home/data XDG_CACHE_HOME=$home/cache \
    /usr/bin/time -f "%e %M" -o "$work/time.out" "$host" -q --plugin-dir "$build/plugins-out" \
    --plugin youtube generate \
    --script "$script" --title "Three hearts, blue blood" --publish outbox > "$work/result.json"
  local meta
  meta=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["metadata"])' "$work/result.json")
  echo "$label $(cat "$work/time.out") $meta" >> "$results"
}
for ((r = 1; r <= rounds; r++)); do
  echo "round $r/$rounds" >&2
  run_once cold "$work/cold-$r"
  run_once warm "$work/cold-$r"  # same folders: speech and cards come from the cache
done

python3 - "$results" <<'PY'
import json, statistics, sys
rows = [l.split() for l in open(sys.argv[1]) if l.strip()]
def med(label, col):
    return statistics.median(float(r[col]) for r in rows if r[0] == label)
meta = json.load(open([r for r in rows if r[0] == "cold"][0][3]))
print(f"Short: {meta['canvas']['width']}x{meta['canvas']['height']}, {meta['duration']:.1f} s of video, "
      f"{len(meta['scenes'])} scenes, {len(meta['word_timings'])} words")
for label in ("cold", "warm"):
    print(f"{label:5} total median {med(label, 1):6.2f} s  (rounds: "
          + ", ".join(r[1] for r in rows if r[0] == label) + f")  peak {med(label, 2) / 1024:.0f} MiB")
for label in ("cold", "warm"):
    steps = {}
    for r in rows:
        if r[0] != label: continue
        for s in json.load(open(r[3]))["steps"]:
            steps.setdefault(s["name"], []).append(s["seconds"])
    print(f"{label} step medians: " + ", ".join(f"{k} {statistics.median(v):.2f} s" for k, v in steps.items()))
print("original (MoviePy, its README): render 30-60 s, total 60-115 s")
print(f"render ratio vs the original's best case (30 s): {statistics.median(s['seconds'] for r in rows if r[0]=='cold' for s in json.load(open(r[3]))['steps'] if s['name']=='render') / 30:.3f}")
print(f"total ratio vs the original's best case (60 s): {med('cold', 1) / 60:.3f}")
PY
