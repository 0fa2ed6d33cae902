// tests/speech/wav_file_test.cpp — WAV files written whole through an exclusive temporary
// file: nothing planted at a guessable temporary name is followed.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <string>

#include "speech/pcm_audio.hpp"
#include "speech/word_timing.hpp"
#include "support/temp_folder.hpp"

namespace fs = std::filesystem;
using automuse::speech::PcmAudio;

// The old name was path + ".tmp.<pid>.<counter>", opened without O_EXCL; links are planted at
// every name that scheme could pick in this process.
TEST(WavFile, WriteFollowsNoLinkPlantedAtAGuessableTempName) {
  automuse::testing::TempFolder tmp;
  const fs::path wav = tmp / "speech.wav";
  const fs::path victim = tmp / "victim";
  automuse::testing::write_file(victim, "keep");
  for (int n = 0; n < 512; ++n)
    fs::create_symlink(
        victim, wav.string() + ".tmp." + std::to_string(::getpid()) + "." + std::to_string(n));
  PcmAudio audio;
  audio.sample_rate = 22050;
  audio.samples.assign(2205, 1000);
  automuse::speech::write_wav_file(wav, audio);
  EXPECT_TRUE(automuse::testing::read_file(victim) == "keep") << "the planted link was followed";
  EXPECT_FALSE(fs::is_symlink(wav));
  PcmAudio back = automuse::speech::read_wav_file(wav);
  EXPECT_EQ(back.sample_rate, 22050);
  EXPECT_EQ(back.samples, audio.samples);
  EXPECT_EQ(fs::status(wav).permissions() & fs::perms::all,
            fs::perms::owner_read | fs::perms::owner_write | fs::perms::group_read |
                fs::perms::others_read);
  for (auto &e : fs::directory_iterator(tmp.path()))
    EXPECT_TRUE(e.path() == wav || e.path() == victim || fs::is_symlink(e.path()))
        << "left behind: " << e.path();
}

TEST(WavFile, UnwritableFolderIsNamedInTheError) {
  PcmAudio audio;
  audio.sample_rate = 8000;
  audio.samples.assign(8, 0);
  try {
    automuse::speech::write_wav_file("/nonexistent-automuse-folder/a.wav", audio);
    FAIL();
  } catch (const automuse::speech::SpeechError &e) {
    EXPECT_NE(std::string(e.what()).find("/nonexistent-automuse-folder/a.wav"), std::string::npos);
  }
}
