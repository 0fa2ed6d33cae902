#!/usr/bin/env bash
# Makes the render benchmark's inputs in DIR: six 1080x1920 PNG images, ~40 s of espeak-ng
# speech, a music loop, word timings (spread over the speech by word length) and the
# timelines for automuse-render at 9:16 and 16:9 (and a lossless one for the floor's frames).
# usage: make_inputs.sh DIR
set -euo pipefail
dir=$1
mkdir -p "$dir"
cd "$dir"
ff() { ffmpeg -nostdin -v error -y "$@"; }
sources=(
  "mandelbrot=s=1080x1920"
  "testsrc2=s=1080x1920"
  "gradients=s=1080x1920:n=5:seed=7"
  "cellauto=s=1080x1920:rule=110:seed=3"
  "life=s=1080x1920:mold=10:ratio=0.3:seed=5:death_color=#203040:life_color=#ffaa33"
  "smptehdbars=s=1080x1920"
)
for i in "${!sources[@]}"; do
  # A light blur makes the synthetic patterns a little closer to photos for the encoder.
  ff -f lavfi -i "${sources[$i]}" -vf "gblur=sigma=1.2" -frames:v 1 "img$i.png"
done
text="AutoMuse renders short videos in process with the FFmpeg libraries. Every scene is decoded \
once, fitted to the canvas, and moved with a slow zoom, while the subtitles follow the voice word \
by word. The music sits under the speech and is ducked while the narrator talks, and the whole \
mix is normalised to the loudness that YouTube expects. This benchmark compares the renderer with \
the ffmpeg command line doing the same work, and with a bare encode of frames that are already \
composed, which is the fastest that any renderer could possibly be on this machine."
espeak-ng -s 135 -w voice.wav "$text"
# Music: a soft chord with a slow tremolo, 12 s, looped by the renderers.
ff -f lavfi -i "aevalsrc=0.2*sin(2*PI*220*t)*(0.6+0.4*sin(2*PI*0.5*t))+0.15*sin(2*PI*277.2*t)+0.12*sin(2*PI*329.6*t):s=48000:d=12" \
  -ac 2 music.wav
dur=$(ffprobe -v error -show_entries format=duration -of csv=p=0 voice.wav)
python3 - "$dur" "$text" <<'PY'
import json, sys
dur, text = float(sys.argv[1]), sys.argv[2]
words = text.split()
weights = [len(w) + 2 for w in words]
total = sum(weights)
t, out = 0.15, []
span = dur - 0.3
for w, k in zip(words, weights):
    d = span * k / total
    out.append({"text": w, "start": round(t, 3), "end": round(t + d * 0.9, 3)})
    t += d
json.dump(out, open("words.json", "w"))
def timeline(w, h, name):
    return {
        "canvas": {"width": w, "height": h, "fps": 30},
        "scenes": [{"image": f"img{i}.png", "motion": "zoom_in", "motion_strength": 0.1,
                    # the reference's zoompan reaches 1.1x after 125 frames, then holds
                    "motion_time": 125 / 30} for i in range(6)],
        "audio": {"voice": "voice.wav", "music": {"path": "music.wav", "volume": 0.1, "fade_out": 1.0}},
        "subtitles": {"words": out},
        "output": {"path": name, "preset": "veryfast", "crf": 23},
    }
json.dump(timeline(1080, 1920, "automuse_9x16.mp4"), open("timeline_9x16.json", "w"), indent=1)
json.dump(timeline(1920, 1080, "automuse_16x9.mp4"), open("timeline_16x9.json", "w"), indent=1)
# The same composition stored losslessly (x264 at CRF 0 is exact for 8-bit 4:2:0): decoded,
# it gives the floor the very frames automuse-render composes, not a lossy copy of them.
composed = timeline(1080, 1920, "composed_9x16.mp4")
composed["output"].update(preset="ultrafast", crf=0)
json.dump(composed, open("timeline_composed.json", "w"), indent=1)
PY
echo "inputs in $dir: voice ${dur}s"
