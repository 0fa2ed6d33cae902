#!/usr/bin/env bash
# scripts/demo.sh — the newcomer's first run: builds AutoMuse if needed, then makes a real
# YouTube Short completely offline (espeak-ng voice, offline title cards, word-highlighted
# subtitles, a generated music bed) and prints where the video is. Everything it writes stays
# under build/demo-home (its own XDG folders), so your own configuration is left alone.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/packages.sh
source scripts/configure.sh
automuse_install_packages

BUILD_DIR=${BUILD_DIR:-build}
JOBS=${JOBS:-$(nproc)}
SCRIPT=${SCRIPT:-examples/scripts/octopus.txt}
TITLE=${TITLE:-"Three hearts, blue blood: the octopus in 25 seconds"}

# Same configuration as scripts/test.sh; a no-op when the build is up to date.
if [ ! -f "$BUILD_DIR/build.ninja" ]; then
  automuse_configure "$BUILD_DIR"
fi
cmake --build "$BUILD_DIR" -j "$JOBS" --target automuse-host youtube

DEMO_HOME=$(cd "$BUILD_DIR" && pwd)/demo-home
export XDG_CONFIG_HOME=$DEMO_HOME/config XDG_DATA_HOME=$DEMO_HOME/data XDG_CACHE_HOME=$DEMO_HOME/cache
mkdir -p "$XDG_CONFIG_HOME/automuse" "$DEMO_HOME/music" "$DEMO_HOME/outbox"

# A quiet, royalty-free music bed made on the spot: a slowly pulsing A-minor chord.
MUSIC=$DEMO_HOME/music/demo-bed.wav
if [ ! -f "$MUSIC" ]; then
  ffmpeg -nostdin -loglevel error -y \
    -f lavfi -i "sine=frequency=220:duration=40" -f lavfi -i "sine=frequency=261.63:duration=40" \
    -f lavfi -i "sine=frequency=329.63:duration=40" \
    -filter_complex "[0][1][2]amix=inputs=3,tremolo=f=0.5:d=0.4,afade=t=in:d=2,volume=0.6" \
    -ar 48000 -ac 2 "$MUSIC"
fi

CONFIG=$XDG_CONFIG_HOME/automuse/automuse.json
cat > "$CONFIG" <<JSON
{"plugins": {"youtube": {"music_dir": "$DEMO_HOME/music", "outbox_dir": "$DEMO_HOME/outbox"}}}
JSON

HOST=$BUILD_DIR/host/app/automuse-host
echo "Making a Short from $SCRIPT (offline: espeak-ng, title cards, no LLM, no network)..."
RESULT=$("$HOST" --config "$CONFIG" --plugin youtube generate --script "$SCRIPT" \
  --title "$TITLE" --publish outbox)
VIDEO=$(printf '%s' "$RESULT" | python3 -c 'import json,sys; print(json.load(sys.stdin)["video"])')
OUTBOX=$(dirname "$VIDEO")
echo
echo "Your Short:     $VIDEO"
echo "Thumbnail:      $OUTBOX/thumbnail.jpg"
echo "Metadata:       $OUTBOX/metadata.json"
echo "Play it with:   ffplay \"$VIDEO\"   (or any video player)"
