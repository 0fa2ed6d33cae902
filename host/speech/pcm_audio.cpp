// host/speech/pcm_audio.cpp — WAV encoding/decoding for mono 16-bit PCM.
#include "speech/pcm_audio.hpp"

#include <cstring>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include "core/atomic_file.hpp"
#include "speech/word_timing.hpp"

namespace automuse::speech {
namespace {

void put_u32(std::string &out, uint32_t v) {
  for (int i = 0; i < 4; ++i) out.push_back(static_cast<char>((v >> (8 * i)) & 0xff));
}
void put_u16(std::string &out, uint16_t v) {
  out.push_back(static_cast<char>(v & 0xff));
  out.push_back(static_cast<char>(v >> 8));
}
uint32_t get_u32(const std::string &b, size_t at) {
  uint32_t v = 0;
  for (int i = 3; i >= 0; --i) v = (v << 8) | static_cast<uint8_t>(b[at + i]);
  return v;
}
uint16_t get_u16(const std::string &b, size_t at) {
  return static_cast<uint16_t>(static_cast<uint8_t>(b[at]) |
                               (static_cast<uint8_t>(b[at + 1]) << 8));
}

}  // namespace

std::string encode_wav(const PcmAudio &audio) {
  const uint32_t data_bytes = static_cast<uint32_t>(audio.samples.size() * 2);
  std::string out;
  out.reserve(44 + data_bytes);
  out += "RIFF";
  put_u32(out, 36 + data_bytes);
  out += "WAVEfmt ";
  put_u32(out, 16);
  put_u16(out, 1);  // PCM
  put_u16(out, 1);  // mono
  put_u32(out, static_cast<uint32_t>(audio.sample_rate));
  put_u32(out, static_cast<uint32_t>(audio.sample_rate * 2));
  put_u16(out, 2);
  put_u16(out, 16);
  out += "data";
  put_u32(out, data_bytes);
  for (int16_t s : audio.samples) put_u16(out, static_cast<uint16_t>(s));
  return out;
}

PcmAudio decode_wav(const std::string &b, const std::string &what) {
  if (b.size() < 12 || b.compare(0, 4, "RIFF") != 0 || b.compare(8, 4, "WAVE") != 0)
    throw SpeechError(what, "not a RIFF/WAVE file");
  size_t at = 12;
  int channels = 0, bits = 0, format = 0;
  PcmAudio audio;
  bool have_fmt = false;
  while (at + 8 <= b.size()) {
    std::string id = b.substr(at, 4);
    uint32_t size = get_u32(b, at + 4);
    size_t body = at + 8;
    // Streamed WAVs (OpenAI's chunked answers) may carry 0xFFFFFFFF sizes: clamp to the end.
    size_t avail = std::min<size_t>(size, b.size() - body);
    if (id == "fmt ") {
      if (avail < 16) throw SpeechError(what, "truncated fmt chunk");
      format = get_u16(b, body);
      channels = get_u16(b, body + 2);
      audio.sample_rate = static_cast<int>(get_u32(b, body + 4));
      bits = get_u16(b, body + 14);
      have_fmt = true;
    } else if (id == "data") {
      if (!have_fmt) throw SpeechError(what, "data chunk before fmt chunk");
      if ((format != 1 && format != 0xFFFE) || bits != 16 || channels < 1 || channels > 2)
        throw SpeechError(what, "only 16-bit PCM mono/stereo WAV is supported (format " +
                                    std::to_string(format) + ", " + std::to_string(bits) +
                                    " bits, " + std::to_string(channels) + " channels)");
      size_t frames = avail / (2 * channels);
      audio.samples.resize(frames);
      for (size_t i = 0; i < frames; ++i) {
        int sum = 0;
        for (int c = 0; c < channels; ++c)
          sum += static_cast<int16_t>(get_u16(b, body + (i * channels + c) * 2));
        audio.samples[i] = static_cast<int16_t>(sum / channels);
      }
      if (audio.sample_rate <= 0) throw SpeechError(what, "sample rate is 0");
      return audio;
    }
    at = body + size + (size & 1);
    if (size == 0xFFFFFFFFu) break;
  }
  throw SpeechError(what, "no data chunk");
}

void write_wav_file(const std::filesystem::path &path, const PcmAudio &audio) {
  try {
    core::write_file_atomically(path, encode_wav(audio), core::kSharedFile);
  } catch (const std::runtime_error &e) {
    throw SpeechError(path.string(), e.what());
  }
}

PcmAudio read_wav_file(const std::filesystem::path &path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw SpeechError(path.string(), "cannot open file");
  std::ostringstream ss;
  ss << in.rdbuf();
  return decode_wav(ss.str(), path.string());
}

}  // namespace automuse::speech
