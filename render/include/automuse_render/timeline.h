// The render timeline: what a finished video is made of (canvas, scenes, audio, subtitles,
// output), as plain C++ values. Parsed from JSON by parse_timeline(); documented in
// docs/timeline.md.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace automuse::render {

struct Color {
  uint8_t r = 0, g = 0, b = 0, a = 255;
};

struct Canvas {
  int width = 1080;
  int height = 1920;
  int fps = 30;
  Color background{0, 0, 0, 255};
};

enum class Motion { kNone, kZoomIn, kZoomOut, kPanLeft, kPanRight, kPanUp, kPanDown };
enum class Fit { kCover, kContain };
enum class TransitionKind { kCut, kCrossfade, kSlideLeft, kSlideRight, kSlideUp, kSlideDown };

// A transition from the previous scene into this one, centred on the boundary between
// them: it does not change the total duration.
struct Transition {
  TransitionKind kind = TransitionKind::kCut;
  double duration = 0.0;  // seconds
};

struct Scene {
  enum class Kind { kImage, kVideo };
  Kind kind = Kind::kImage;
  std::filesystem::path source;  // image or video file (absolute after parsing)
  double duration = 0.0;         // seconds on the timeline (filled in when "auto")
  bool auto_duration = false;    // the JSON left it out: share of what the scenes leave
  Fit fit = Fit::kCover;
  Transition transition;  // into this scene from the previous one
  // Still images.
  Motion motion = Motion::kZoomIn;
  double motion_strength = 0.1;  // 0.1 = zoom to 1.1x, or pan across 10% extra width
  double motion_time = 0.0;      // seconds the motion takes, then holds; 0 = the whole scene
  // Video clips.
  double trim_start = 0.0;
  double trim_end = 0.0;  // 0 = to the end of the clip
  bool loop = true;
  bool keep_audio = false;
  double clip_volume = 1.0;
};

struct Music {
  std::filesystem::path path;
  double volume = 0.12;   // linear gain when the voice is silent
  double fade_out = 2.0;  // seconds of fade at the end of the video
  double ducking = 0.35;  // extra gain multiplier while the voice speaks (1 = no ducking)
};

struct Audio {
  std::optional<std::filesystem::path> voice;
  double voice_volume = 1.0;
  std::optional<Music> music;
  bool normalize = true;
  double target_lufs = -14.0;
};

enum class SubtitlePosition { kTop, kCenter, kLowerThird, kBottom };

struct SubtitleStyle {
  std::string font = "DejaVu Sans";
  int size = 0;  // pixels; 0 = 4.2% of the canvas height
  Color color{255, 255, 255, 255};
  Color highlight_color{255, 214, 0, 255};  // the word being spoken
  Color outline_color{0, 0, 0, 255};
  double outline = 0;  // pixels; 0 = size / 14
  double shadow = 0;   // pixels
  bool bold = true;
  SubtitlePosition position = SubtitlePosition::kLowerThird;
  // Clear space, as fractions of the canvas: beside the text (left, right) and between the
  // text and the edge it sits at (top or bottom; unset = the position's own distance).
  double margin_left = 0.06;
  double margin_right = 0.06;
  std::optional<double> margin_vertical;
  int max_chars_per_line = 22;  // 0 = "auto": as many as fit between the side margins
  int max_lines = 2;
  int max_words = 0;               // words per card; 0 = no limit
  double min_duration = 0;         // seconds a card stays up at least (if the next allows)
  bool break_at_sentences = true;  // a word ending a sentence closes its card
};

struct Word {
  std::string text;
  double start = 0.0;
  double end = 0.0;
};

struct Subtitles {
  std::optional<std::filesystem::path> ass_file;  // either an ASS file...
  std::vector<Word> words;                        // ...or word timings plus a style
  SubtitleStyle style;
  std::optional<std::filesystem::path> fonts_dir;
  // Where to write the ASS script that is burned in (whole, then renamed), before encoding.
  std::optional<std::filesystem::path> write_ass;
};

struct Thumbnail {
  std::filesystem::path path;  // .png or .jpg/.jpeg
  double time = 0.0;
};

// The H.264 encoder: libx264 (software, the same bytes on every machine) or a hardware one;
// kAuto takes the first of NVENC, VAAPI and QSV this machine can open, else libx264.
enum class VideoEncoder { kAuto, kLibx264, kNvenc, kVaapi, kQsv };

// "auto", "libx264", "h264_nvenc", "h264_vaapi", "h264_qsv", both ways.
std::string_view encoder_name(VideoEncoder encoder);
std::optional<VideoEncoder> encoder_from_name(std::string_view name);
// The accepted names, comma separated, for error messages.
std::string encoder_names();

struct Output {
  std::filesystem::path path;
  // Unset: the caller's default (the host's render.encoder), else libx264.
  std::optional<VideoEncoder> encoder;
  std::string preset = "veryfast";
  int crf = 23;
  int audio_bitrate = 128000;
  std::string aac_coder = "fast";  // FFmpeg AAC coder: "fast" or "twoloop" (slower, finer)
  // MP4/MOV edit lists (elst) place the tracks' starts; false writes none (some platforms
  // refuse them) and keeps audio and video in step without (see docs/timeline.md).
  bool edit_list = true;
  std::optional<Thumbnail> thumbnail;
};

struct Timeline {
  Canvas canvas;
  std::vector<Scene> scenes;
  std::optional<double> duration;  // total; default: sum of scenes (or the voice's length)
  Audio audio;
  std::optional<Subtitles> subtitles;
  Output output;

  double total_duration() const;
  int64_t total_frames() const;
  // Start time of scene i on the timeline.
  double scene_start(size_t i) const;
};

// A parse or validation failure: `path` is the JSON path of the bad field
// (e.g. "scenes[2].image"), `message` says what is wrong with it.
struct TimelineError {
  std::string path;
  std::string message;
  std::string to_string() const { return path.empty() ? message : path + ": " + message; }
};

struct ParseResult {
  std::optional<Timeline> timeline;
  std::optional<TimelineError> error;
};

// Parses timeline JSON. Relative file paths are resolved against `base_dir`. Checks types,
// ranges and the structure; does not touch the files (see validate in render.h).
ParseResult parse_timeline(std::string_view json, const std::filesystem::path &base_dir);

// Parses a subtitle style object (the timeline's "subtitles.style") over `style`: fields left
// out keep their values. Errors name the field below `path` ("style.color").
std::optional<TimelineError> parse_subtitle_style(std::string_view json, SubtitleStyle &style,
                                                  const std::string &path = "style");

// The style as the JSON object parse_subtitle_style reads, every field written: parsing it back
// over any style gives `style` again.
std::string subtitle_style_json(const SubtitleStyle &style);

// Reads and parses a timeline file; relative paths are resolved against its folder.
ParseResult load_timeline(const std::filesystem::path &file);

}  // namespace automuse::render
