// Test inputs made in the test itself (PNG pictures, WAV tones, espeak-ng speech, a small
// video clip) and read-back helpers for rendered files (stream facts, decoded frames,
// decoded audio and its EBU R128 integrated loudness measured with libavfilter's ebur128).
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>
#include <vector>

namespace automuse::render::test {

// Throws std::runtime_error("what: FFmpeg's message") when an FFmpeg call returned an error.
void ffmpeg_ok(int ret, const char *what);

struct Rgb {
  uint8_t r, g, b;
};

// Writes a w x h PNG whose pixel colours come from `pixel(x, y)`.
void write_png(const std::filesystem::path &path, int w, int h,
               const std::function<Rgb(int, int)> &pixel);
// A stereo 16-bit 48 kHz WAV of `seconds` whose two channels are `sample(t)` (in [-1, 1]).
void write_wav(const std::filesystem::path &path, double seconds,
               const std::function<double(double)> &sample);
// A stereo 16-bit 48 kHz WAV tone of `seconds` at `freq` Hz and linear `amplitude`.
void write_tone_wav(const std::filesystem::path &path, double seconds, double freq,
                    double amplitude);
// Speech by the espeak-ng command line; returns false if espeak-ng is not installed.
bool write_speech_wav(const std::filesystem::path &path, const std::string &text);
// A .mov clip: `frames` frames at `fps` of w x h where frame i is a flat grey of level
// grey(i), plus (if audio) a 440 Hz tone track of the same length.
void write_clip(const std::filesystem::path &path, int w, int h, int fps, int frames,
                const std::function<uint8_t(int)> &grey, bool audio);
// The same with a sound track of the same length whose two channels are `sound(t)` (in
// [-1, 1]) at clip time t.
void write_clip(const std::filesystem::path &path, int w, int h, int fps, int frames,
                const std::function<uint8_t(int)> &grey,
                const std::function<double(double)> &sound);

struct StreamFacts {
  bool has_video = false, has_audio = false;
  std::string video_codec, audio_codec, pix_fmt;
  int width = 0, height = 0;
  double fps = 0;
  double format_duration = 0, video_duration = 0, audio_duration = 0;
  int64_t video_frames = 0;
};
StreamFacts probe(const std::filesystem::path &file);

// Where each track starts and ends as a player sees it, in seconds: the stream's start time
// and the end (pts + duration) of its last packet, both after the file's edit lists.
struct TrackTimes {
  double video_start = 0, video_end = 0, audio_start = 0, audio_end = 0;
};
TrackTimes track_times(const std::filesystem::path &file);

// One decoded yuv420p frame.
struct Picture {
  int width = 0, height = 0;
  std::vector<uint8_t> y, u, v;  // tightly packed
  uint8_t luma(int x, int yy) const { return y[static_cast<size_t>(yy) * width + x]; }
  uint8_t cb(int x, int yy) const { return u[static_cast<size_t>(yy / 2) * (width / 2) + x / 2]; }
  uint8_t cr(int x, int yy) const { return v[static_cast<size_t>(yy / 2) * (width / 2) + x / 2]; }
};
std::vector<Picture> decode_frames(const std::filesystem::path &file);
// Decodes a still image (PNG/JPEG) to yuv420p.
Picture decode_still(const std::filesystem::path &file);

// Mean absolute luma difference over the rectangle [x0,x1) x [y0,y1).
double mean_abs_diff(const Picture &a, const Picture &b, int x0, int y0, int x1, int y1);

// Integrated loudness (LUFS) of the file's audio, measured with libavfilter's ebur128.
double measure_lufs(const std::filesystem::path &file);

// The file's audio decoded to mono float at 48 kHz (channels averaged).
std::vector<float> decode_audio_mono(const std::filesystem::path &file);
// Amplitude of the `freq` Hz component of `mono` (48 kHz) between t0 and t1 seconds
// (Goertzel), so a tone can be followed through a mix.
double tone_amplitude(const std::vector<float> &mono, double freq, double t0, double t1);

// The first time from `from` seconds at which the `freq` Hz component of `mono` (48 kHz)
// exceeds `level` (the middle of the first 4 ms window that does, in 0.25 ms steps); -1 if
// it never does.
double tone_onset(const std::vector<float> &mono, double freq, double from, double level);

// Whether the MP4's 'moov' box comes before its 'mdat' box (+faststart).
bool moov_before_mdat(const std::filesystem::path &file);
// Whether the MP4 has a box of this type anywhere in its movie header ('moov' and the boxes
// inside it), e.g. "elst", an edit list.
bool has_movie_box(const std::filesystem::path &file, const std::string &type);

}  // namespace automuse::render::test
