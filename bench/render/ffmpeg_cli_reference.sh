#!/usr/bin/env bash
# bench/render/ffmpeg_cli_reference.sh — (b) of the render benchmark: the composition
# automuse-render makes, done by the ffmpeg command line alone, so the two can be timed side
# by side (run_bench.sh runs it).
# usage: ffmpeg_cli_reference.sh OUT.mp4 VOICE.wav MUSIC.wav SUBS.ass IMAGE...
# The images share the voice's duration equally, each with a slow zoom to 1.1x (zoompan on a
# 10 % larger cover crop), cut one after another at 1080x1920, 30 fps; the ASS subtitles are
# burned in; the voice (full volume) is mixed with the looped music (0.1); libx264 preset
# $PRESET (default veryfast) CRF 23, AAC 128 kb/s, faststart.
set -euo pipefail
(( $# >= 5 )) || { echo "usage: $0 OUT.mp4 VOICE.wav MUSIC.wav SUBS.ass IMAGE..." >&2; exit 2; }
out=$1 voice=$2 music=$3 subs=$4
shift 4
count=$#
seconds=$(ffprobe -v error -show_entries format=duration -of csv=p=0 "$voice")
per_image=$(awk -v s="$seconds" -v n="$count" 'BEGIN { printf "%d", s * 30 / n + 1 }')

inputs=() graph="" joined=""
for ((i = 0; i < count; i++)); do
  inputs+=(-i "${@:i+1:1}")
  graph+="[$i:v]scale=1188:2112:force_original_aspect_ratio=increase,crop=1188:2112,"
  graph+="zoompan=z='min(zoom+0.0008,1.1)':d=$per_image:s=1080x1920:fps=30,setsar=1[v$i];"
  joined+="[v$i]"
done
graph+="${joined}concat=n=$count:v=1:a=0,subtitles='$subs',format=yuv420p[v];"
graph+="[$count:a]volume=1.0[voice];[$((count + 1)):a]volume=0.1[music];"
graph+="[voice][music]amix=inputs=2:duration=first[a]"

exec ffmpeg -nostdin -loglevel error -y "${inputs[@]}" -i "$voice" -stream_loop -1 -i "$music" \
  -filter_complex "$graph" -map '[v]' -map '[a]' \
  -c:v libx264 -preset "${PRESET:-veryfast}" -crf 23 -c:a aac -b:a 128k \
  -t "$seconds" -movflags +faststart "$out"
