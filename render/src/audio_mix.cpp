// Mixing, ducking, fades, loudness normalisation and limiting (see audio_mix.h).
#include "audio_mix.h"

#include <algorithm>
#include <cmath>

#include "loudness.h"

namespace automuse::render::detail {
namespace {

constexpr double kCeiling = 0.891;  // -1 dBFS sample peak, leaves room for AAC overshoot

double db_to_gain(double db) {
  return std::pow(10.0, db / 20.0);
}

// Music gain multiplier over time: `ducking` while the voice is audible, 1 otherwise, with
// smooth attack/release so the music does not pump.
std::vector<float> duck_envelope(const Pcm &voice, size_t frames, double ducking) {
  std::vector<float> env(frames, 1.0f);
  if (ducking >= 1.0) return env;
  constexpr size_t kBlock = kAudioRate / 100;  // 10 ms
  constexpr double kThreshold = 0.01;          // -40 dBFS RMS counts as speech
  constexpr size_t kHoldBlocks = 30;           // keep ducked through short pauses
  const size_t blocks = (frames + kBlock - 1) / kBlock;
  std::vector<uint8_t> active(blocks, 0);
  size_t hold = 0;
  for (size_t b = 0; b < blocks; ++b) {
    double sum = 0;
    size_t n = 0;
    for (size_t i = b * kBlock; i < std::min(frames, (b + 1) * kBlock) && i < voice.frames();
         ++i, ++n) {
      double m = 0.5 * (voice.samples[2 * i] + voice.samples[2 * i + 1]);
      sum += m * m;
    }
    bool loud = n && std::sqrt(sum / static_cast<double>(n)) > kThreshold;
    if (loud)
      hold = kHoldBlocks;
    else if (hold)
      --hold;
    active[b] = loud || hold;
  }
  // One-pole smoothing: ~80 ms down, ~400 ms back up.
  const double attack = 1.0 - std::exp(-1.0 / (0.08 * kAudioRate));
  const double release = 1.0 - std::exp(-1.0 / (0.4 * kAudioRate));
  double g = 1.0;
  for (size_t i = 0; i < frames; ++i) {
    double target = active[i / kBlock] ? ducking : 1.0;
    g += (target - g) * (target < g ? attack : release);
    env[i] = static_cast<float>(g);
  }
  return env;
}

// Adds `length` frames of `src` (looped, or once) at `at`, with linear fades over the first
// `fade_in` and the last `fade_out` of them.
void add(Pcm &dst, const Pcm &src, size_t at, double gain, size_t length, bool loop,
         size_t fade_in = 0, size_t fade_out = 0) {
  if (src.frames() == 0) return;
  const size_t end = std::min(dst.frames(), at + length);
  for (size_t i = at, j = 0, k = 0; i < end; ++i, ++j, ++k) {
    if (k >= src.frames()) {
      if (!loop) break;
      k = 0;
    }
    double g = gain;
    if (j < fade_in) g *= (static_cast<double>(j) + 0.5) / static_cast<double>(fade_in);
    if (length - j <= fade_out)
      g *= (static_cast<double>(length - j) - 0.5) / static_cast<double>(fade_out);
    dst.samples[2 * i] += static_cast<float>(src.samples[2 * k] * g);
    dst.samples[2 * i + 1] += static_cast<float>(src.samples[2 * k + 1] * g);
  }
}

size_t to_frames(double seconds) {
  return static_cast<size_t>(std::llround(std::max(0.0, seconds) * kAudioRate));
}

// Where a kept clip's sound goes: it follows the picture, which plays from the start of the
// scene's incoming transition (half of it before the scene's start) to the end of its
// outgoing one, and fades in and out with the picture over those transitions.
struct ClipPlacement {
  size_t at, length, fade_in, fade_out;
};
ClipPlacement clip_placement(const Timeline &t, size_t i) {
  const double in = t.scenes[i].transition.duration;
  const double out = i + 1 < t.scenes.size() ? t.scenes[i + 1].transition.duration : 0.0;
  const double from = t.scene_start(i) - in / 2;
  const double to = t.scene_start(i) + t.scenes[i].duration + out / 2;
  return {to_frames(from), to_frames(to) - to_frames(from), to_frames(in), to_frames(out)};
}

// Look-ahead-free brickwall limiter: the gain never exceeds ceiling/|x| at any sample, falls
// linearly over 5 ms before a peak and recovers linearly over 150 ms after it. Returns whether
// it touched any sample (if not, the output is the input times `gain`, exactly).
bool apply_gain_and_limit(const Pcm &in, double gain, Pcm &out) {
  const size_t n = in.frames();
  out.samples.resize(in.samples.size());
  std::vector<float> g(n);
  bool any = false;
  for (size_t i = 0; i < n; ++i) {
    double peak = std::max(std::abs(in.samples[2 * i]), std::abs(in.samples[2 * i + 1])) * gain;
    g[i] = peak > kCeiling ? static_cast<float>(kCeiling / peak) : 1.0f;
    any = any || peak > kCeiling;
  }
  if (any) {
    const float down = 1.0f / (0.005f * kAudioRate), up = 1.0f / (0.15f * kAudioRate);
    for (size_t i = 1; i < n; ++i) g[i] = std::min(g[i], g[i - 1] + up);
    for (size_t i = n - 1; i-- > 0;) g[i] = std::min(g[i], g[i + 1] + down);
  }
  for (size_t i = 0; i < n; ++i) {
    out.samples[2 * i] = static_cast<float>(in.samples[2 * i] * gain * g[i]);
    out.samples[2 * i + 1] = static_cast<float>(in.samples[2 * i + 1] * gain * g[i]);
  }
  return any;
}

}  // namespace

std::optional<TimelineError> load_audio_inputs(const Timeline &t, AudioInputs &out) {
  const double total = t.total_duration();
  std::string err;
  if (t.audio.voice) {
    out.voice = decode_audio(*t.audio.voice, 0, total, err);
    if (!out.voice) return TimelineError{"audio.voice", err};
  }
  if (t.audio.music) {
    out.music = decode_audio(t.audio.music->path, 0, total, err);
    if (!out.music) return TimelineError{"audio.music", err};
    if (out.music->frames() == 0)
      return TimelineError{"audio.music", "no audio in " + t.audio.music->path.string()};
  }
  out.clips.resize(t.scenes.size());
  for (size_t i = 0; i < t.scenes.size(); ++i) {
    const Scene &s = t.scenes[i];
    if (s.kind != Scene::Kind::kVideo || !s.keep_audio) continue;
    // The sound loops with the picture, whose loop is the trimmed part of the file (to the
    // file's end: its longest stream); a shorter sound track is padded with silence to it.
    double length = s.trim_end > 0 ? s.trim_end - s.trim_start : -1;
    if (length < 0) {
      auto info = probe_media(s.source, err);
      if (info && info->duration > s.trim_start) length = info->duration - s.trim_start;
    }
    out.clips[i] = decode_audio(s.source, s.trim_start, length, err);
    if (!out.clips[i]) return TimelineError{"scenes[" + std::to_string(i) + "].audio", err};
    if (length > 0) out.clips[i]->samples.resize(to_frames(length) * kAudioChannels, 0.0f);
  }
  return std::nullopt;
}

bool is_near_mono(const Pcm &pcm) {
  double mid = 0, side = 0;
  for (size_t i = 0; i + 1 < pcm.samples.size(); i += 2) {
    const double l = pcm.samples[i], r = pcm.samples[i + 1];
    mid += (l + r) * (l + r);
    side += (l - r) * (l - r);
  }
  return side <= 1e-4 * mid;
}

bool is_near_mono(const AudioInputs &in) {
  if (in.voice && !is_near_mono(*in.voice)) return false;
  if (in.music && !is_near_mono(*in.music)) return false;
  return std::all_of(in.clips.begin(), in.clips.end(),
                     [](const std::optional<Pcm> &c) { return !c || is_near_mono(*c); });
}

size_t soundtrack_frames(const Timeline &t) {
  // The video's length (its whole frames), which may differ from the timeline's duration by
  // up to half a frame.
  const int64_t video_frames = std::max<int64_t>(1, t.total_frames());
  return static_cast<size_t>(
      std::llround(static_cast<double>(video_frames) * kAudioRate / t.canvas.fps));
}

MixResult mix_audio(const Timeline &t, const AudioInputs &in) {
  MixResult r;
  const size_t frames = soundtrack_frames(t);
  Pcm mix;
  mix.samples.assign(frames * kAudioChannels, 0.0f);
  if (in.voice) add(mix, *in.voice, 0, t.audio.voice_volume, frames, false);
  for (size_t i = 0; i < in.clips.size(); ++i) {
    if (!in.clips[i]) continue;
    const Scene &s = t.scenes[i];
    const ClipPlacement c = clip_placement(t, i);
    add(mix, *in.clips[i], c.at, s.clip_volume, c.length, s.loop, c.fade_in, c.fade_out);
  }
  if (in.music && t.audio.music) {
    const Music &m = *t.audio.music;
    std::vector<float> env =
        in.voice ? duck_envelope(*in.voice, frames, m.ducking) : std::vector<float>(frames, 1.0f);
    const size_t fade = std::min(to_frames(m.fade_out), frames);
    const Pcm &src = *in.music;
    for (size_t i = 0, k = 0; i < frames; ++i, ++k) {
      if (k >= src.frames()) k = 0;
      double g = m.volume * env[i];
      if (fade && i + fade > frames)
        g *= static_cast<double>(frames - i) / static_cast<double>(fade);
      mix.samples[2 * i] += static_cast<float>(src.samples[2 * k] * g);
      mix.samples[2 * i + 1] += static_cast<float>(src.samples[2 * k + 1] * g);
    }
  }
  r.measured_lufs = frames ? integrated_lufs(mix.samples.data(), frames) : -70.0;
  r.final_lufs = r.measured_lufs;
  if (!t.audio.normalize || r.measured_lufs <= -69.0) {
    if (apply_gain_and_limit(mix, 1.0, r.pcm))
      r.final_lufs = integrated_lufs(r.pcm.samples.data(), frames);
    return r;
  }
  // The limiter takes off a little loudness when it works; measure again and correct. When
  // it does not, the gain moved the loudness by exactly its decibels: no need to measure.
  double gain_db = t.audio.target_lufs - r.measured_lufs;
  for (int pass = 0;; ++pass) {
    if (!apply_gain_and_limit(mix, db_to_gain(gain_db), r.pcm)) {
      r.final_lufs = r.measured_lufs + gain_db;
      break;
    }
    r.final_lufs = integrated_lufs(r.pcm.samples.data(), frames);
    double miss = t.audio.target_lufs - r.final_lufs;
    if (std::abs(miss) < 0.2 || pass == 3) break;
    gain_db += miss;
  }
  r.gain_db = gain_db;
  return r;
}

}  // namespace automuse::render::detail
