// is_near_mono: the soundtrack test that lets AAC code mid/side throughout (audio_mix.h).
#include <gtest/gtest.h>

#include <cmath>

#include "audio_mix.h"

namespace automuse::render::detail {
namespace {

// Two channels of `seconds` at 48 kHz: a voice-like tone in both, plus `right_extra` times a
// different tone in the right channel only.
Pcm stereo(double seconds, double right_extra) {
  Pcm p;
  const auto n = static_cast<size_t>(seconds * kAudioRate);
  p.samples.resize(2 * n);
  for (size_t i = 0; i < n; ++i) {
    const double t = static_cast<double>(i) / kAudioRate;
    const double common = 0.3 * std::sin(2 * M_PI * 220 * t);
    p.samples[2 * i] = static_cast<float>(common);
    p.samples[2 * i + 1] = static_cast<float>(common + right_extra * std::sin(2 * M_PI * 331 * t));
  }
  return p;
}

TEST(NearMono, SameChannelsAreMono) {
  EXPECT_TRUE(is_near_mono(stereo(1.0, 0.0)));
}

TEST(NearMono, ADifferenceFiftyDecibelsDownStillIs) {
  EXPECT_TRUE(is_near_mono(stereo(1.0, 0.3 * std::pow(10.0, -50.0 / 20))));
}

TEST(NearMono, StereoMusicUnderTheVoiceIsNot) {
  // Music 20 dB under the voice, in one channel only: a real stereo picture.
  EXPECT_FALSE(is_near_mono(stereo(1.0, 0.03)));
}

TEST(NearMono, TheMixIsWhenEveryInputIs) {
  AudioInputs in;
  in.voice = stereo(1.0, 0.0);
  in.music = stereo(2.0, 0.0);
  in.clips = {std::nullopt, stereo(0.5, 0.0)};
  EXPECT_TRUE(is_near_mono(in));
  in.clips[1] = stereo(0.5, 0.03);  // a clip's own stereo sound
  EXPECT_FALSE(is_near_mono(in));
  in.clips[1].reset();
  in.music = stereo(2.0, 0.03);  // stereo music
  EXPECT_FALSE(is_near_mono(in));
  EXPECT_TRUE(is_near_mono(AudioInputs{}));  // silence
}

}  // namespace
}  // namespace automuse::render::detail
