// mix_audio's normalisation: the soundtrack reaches the loudness target whether or not the
// peak limiter has to work, measured on the mixed samples themselves (audio_mix.h); the final
// loudness it reports is the written soundtrack's.
#include <gtest/gtest.h>

#include <cmath>

#include "audio_mix.h"
#include "loudness.h"

namespace automuse::render::detail {
namespace {

// `seconds` of a 440 Hz tone at `level` (peak), with a short burst at `burst` (peak) every
// half second: speech-like peaks over a steady body.
Pcm tone(double seconds, double level, double burst) {
  Pcm p;
  const auto n = static_cast<size_t>(seconds * kAudioRate);
  p.samples.resize(2 * n);
  for (size_t i = 0; i < n; ++i) {
    const double t = static_cast<double>(i) / kAudioRate;
    const bool in_burst = std::fmod(t, 0.5) < 0.01;
    const auto v = static_cast<float>((in_burst ? burst : level) * std::sin(2 * M_PI * 440 * t));
    p.samples[2 * i] = p.samples[2 * i + 1] = v;
  }
  return p;
}

Timeline voice_only(double seconds) {
  Timeline t;
  t.duration = seconds;
  Scene s;
  s.duration = seconds;
  t.scenes.push_back(s);
  t.audio.target_lufs = -14.0;
  return t;
}

double peak(const Pcm &p) {
  double m = 0;
  for (float v : p.samples) m = std::max(m, static_cast<double>(std::abs(v)));
  return m;
}

TEST(LoudnessNormalise, QuietVoiceWithHeadroomIsRaisedToTheTarget) {
  // About -30 LUFS with peaks far below full scale: a pure gain reaches -14 untouched.
  const Timeline t = voice_only(6.0);
  AudioInputs in;
  in.voice = tone(6.0, 0.03, 0.045);
  const MixResult r = mix_audio(t, in);
  EXPECT_LT(r.measured_lufs, -25.0);
  EXPECT_LT(peak(r.pcm), 0.891);  // the limiter had nothing to do
  EXPECT_NEAR(integrated_lufs(r.pcm.samples.data(), r.pcm.frames()), -14.0, 0.2);
  // The final figure is the written soundtrack's, the gain exactly what moved it.
  EXPECT_NEAR(r.final_lufs, integrated_lufs(r.pcm.samples.data(), r.pcm.frames()), 0.01);
  EXPECT_NEAR(r.final_lufs, r.measured_lufs + r.gain_db, 0.01);
}

TEST(LoudnessNormalise, PeakyVoiceIsLimitedAndStillReachesTheTarget) {
  // Bursts 20 dB over the body: at -14 LUFS they would clip, so the limiter works and the
  // gain is corrected for what it takes off.
  const Timeline t = voice_only(6.0);
  AudioInputs in;
  in.voice = tone(6.0, 0.03, 0.3);
  const MixResult r = mix_audio(t, in);
  EXPECT_LE(peak(r.pcm), 0.8911);
  EXPECT_NEAR(integrated_lufs(r.pcm.samples.data(), r.pcm.frames()), -14.0, 0.2);
  EXPECT_DOUBLE_EQ(r.final_lufs, integrated_lufs(r.pcm.samples.data(), r.pcm.frames()));
}

TEST(LoudnessNormalise, WithoutNormalisingTheFinalLoudnessIsTheLimitedMix) {
  // Loud bursts at unit gain: the limiter still keeps the peaks under -1 dBFS, and what it
  // takes off shows in the final figure.
  Timeline t = voice_only(6.0);
  t.audio.normalize = false;
  AudioInputs in;
  in.voice = tone(6.0, 0.5, 1.0);
  const MixResult r = mix_audio(t, in);
  EXPECT_EQ(r.gain_db, 0.0);
  EXPECT_DOUBLE_EQ(r.final_lufs, integrated_lufs(r.pcm.samples.data(), r.pcm.frames()));
  EXPECT_LT(r.final_lufs, r.measured_lufs);
}

}  // namespace
}  // namespace automuse::render::detail
