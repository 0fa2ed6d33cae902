// host/speech/silence.cpp — energy-based voice activity.
#include "speech/silence.hpp"

#include <algorithm>
#include <cmath>

namespace automuse::speech {

std::vector<bool> voiced_frames(const PcmAudio &audio, const SilenceOptions &options) {
  const size_t frame =
      std::max<size_t>(1, static_cast<size_t>(audio.sample_rate * options.frame_seconds));
  const size_t count = (audio.samples.size() + frame - 1) / frame;
  std::vector<double> level(count, 0.0);
  for (size_t f = 0; f < count; ++f) {
    size_t a = f * frame, b = std::min(audio.samples.size(), a + frame);
    double sum = 0;
    for (size_t i = a; i < b; ++i) sum += static_cast<double>(audio.samples[i]) * audio.samples[i];
    level[f] = std::sqrt(sum / static_cast<double>(std::max<size_t>(1, b - a)));
  }
  std::vector<double> sorted = level;
  std::vector<bool> voiced(count, false);
  if (sorted.empty()) return voiced;
  size_t p95 = static_cast<size_t>(0.95 * static_cast<double>(sorted.size() - 1));
  std::nth_element(sorted.begin(), sorted.begin() + static_cast<long>(p95), sorted.end());
  double loud = sorted[p95];
  // An absolute floor too: dither-level noise never counts as speech.
  double threshold = std::max(loud * std::pow(10.0, options.threshold_db / 20.0), 30.0);
  for (size_t f = 0; f < count; ++f) voiced[f] = level[f] > threshold;
  return voiced;
}

std::vector<VoicedStretch> voiced_stretches(const PcmAudio &audio, const SilenceOptions &options) {
  std::vector<bool> voiced = voiced_frames(audio, options);
  const double fs = options.frame_seconds;
  std::vector<VoicedStretch> raw;
  for (size_t f = 0; f < voiced.size();) {
    if (!voiced[f]) {
      ++f;
      continue;
    }
    size_t g = f;
    while (g < voiced.size() && voiced[g]) ++g;
    raw.push_back({static_cast<double>(f) * fs, static_cast<double>(g) * fs});
    f = g;
  }
  // Merge across short pauses, then drop bursts too short to be speech.
  std::vector<VoicedStretch> merged;
  for (const auto &s : raw) {
    if (!merged.empty() && s.start - merged.back().end < options.min_pause)
      merged.back().end = s.end;
    else
      merged.push_back(s);
  }
  std::vector<VoicedStretch> out;
  for (const auto &s : merged)
    if (s.end - s.start >= options.min_voiced) out.push_back(s);
  if (!out.empty()) out.back().end = std::min(out.back().end, audio.duration());
  return out;
}

}  // namespace automuse::speech
