// host/speech/pcm_audio.hpp — mono 16-bit PCM audio in memory, and reading/writing it as a
// WAV file (written to a temporary name and renamed, so a reader never sees half a file).
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace automuse::speech {

struct PcmAudio {
  int sample_rate = 22050;
  std::vector<int16_t> samples;  // mono

  double duration() const {
    return sample_rate > 0 ? static_cast<double>(samples.size()) / sample_rate : 0.0;
  }
};

// The bytes of a canonical 44-byte-header PCM WAV file.
std::string encode_wav(const PcmAudio &audio);

// Parses a PCM WAV (16-bit, mono or stereo: stereo is mixed down). Throws SpeechError
// naming `what` (a path, or "audio") when the data is not such a file.
PcmAudio decode_wav(const std::string &bytes, const std::string &what = "audio");

// Writes `audio` to `path` via a temporary file in the same folder and a rename.
void write_wav_file(const std::filesystem::path &path, const PcmAudio &audio);

PcmAudio read_wav_file(const std::filesystem::path &path);

}  // namespace automuse::speech
