// Timeline JSON -> Timeline, with every error naming the JSON path of the bad field; and the
// subtitle style back to its JSON form, so the format has one owner both ways.
#include <algorithm>
#include <boost/json.hpp>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <span>
#include <sstream>

#include "automuse_render/timeline.h"

namespace automuse::render {
namespace json = boost::json;
namespace {

// Thrown inside the parser only; parse_timeline() turns it into a TimelineError.
struct FieldError {
  std::string path;
  std::string message;
};

std::string join(const std::string &parent, std::string_view key) {
  return parent.empty() ? std::string(key) : parent + "." + std::string(key);
}
std::string index(const std::string &parent, size_t i) {
  return parent + "[" + std::to_string(i) + "]";
}

const char *kind_name(json::kind k) {
  switch (k) {
    case json::kind::null:
      return "null";
    case json::kind::bool_:
      return "a boolean";
    case json::kind::int64:
    case json::kind::uint64:
    case json::kind::double_:
      return "a number";
    case json::kind::string:
      return "a string";
    case json::kind::array:
      return "an array";
    case json::kind::object:
      return "an object";
  }
  return "?";
}

// A JSON object together with its path, with typed getters that reject unknown keys.
class Obj {
 public:
  Obj(const json::value &v, std::string path) : path_(std::move(path)) {
    if (!v.is_object())
      throw FieldError{path_, std::string("must be an object, not ") + kind_name(v.kind())};
    obj_ = &v.as_object();
  }
  const std::string &path() const { return path_; }
  const json::value *find(std::string_view key) {
    seen_.emplace_back(key);
    auto it = obj_->find(key);
    return it == obj_->end() || it->value().is_null() ? nullptr : &it->value();
  }
  bool has(std::string_view key) { return find(key) != nullptr; }
  std::string at(std::string_view key) const { return join(path_, key); }

  double number(std::string_view key, double def, double lo, double hi) {
    const json::value *v = find(key);
    if (!v) return def;
    if (!v->is_number())
      throw FieldError{at(key), std::string("must be a number, not ") + kind_name(v->kind())};
    double d = v->to_number<double>();
    if (!std::isfinite(d) || d < lo || d > hi) {
      std::ostringstream m;
      m << "must be between " << lo << " and " << hi << ", got " << d;
      throw FieldError{at(key), m.str()};
    }
    return d;
  }
  int integer(std::string_view key, int def, int lo, int hi) {
    const json::value *v = find(key);
    if (!v) return def;
    double d = number(key, def, lo, hi);
    if (d != std::floor(d)) throw FieldError{at(key), "must be a whole number"};
    return static_cast<int>(d);
  }
  bool boolean(std::string_view key, bool def) {
    const json::value *v = find(key);
    if (!v) return def;
    if (!v->is_bool())
      throw FieldError{at(key), std::string("must be true or false, not ") + kind_name(v->kind())};
    return v->as_bool();
  }
  std::optional<std::string> string(std::string_view key) {
    const json::value *v = find(key);
    if (!v) return std::nullopt;
    if (!v->is_string())
      throw FieldError{at(key), std::string("must be a string, not ") + kind_name(v->kind())};
    return std::string(v->as_string());
  }
  std::string required_string(std::string_view key) {
    auto s = string(key);
    if (!s || s->empty()) throw FieldError{at(key), "is required"};
    return *s;
  }
  // Rejects keys this object does not know, so a typo is an error instead of a silent default.
  void no_unknown_keys() const {
    for (const auto &kv : *obj_) {
      bool known = false;
      for (const auto &s : seen_) known = known || s == kv.key();
      if (!known) throw FieldError{at(kv.key()), "unknown field"};
    }
  }

 private:
  const json::object *obj_ = nullptr;
  std::string path_;
  std::vector<std::string> seen_;
};

Color parse_color(const std::string &s, const std::string &path) {
  // "#RRGGBB" or "#RRGGBBAA"
  auto bad = [&] {
    return FieldError{path,
                      "must be a colour like \"#RRGGBB\" or \"#RRGGBBAA\", got \"" + s + "\""};
  };
  if ((s.size() != 7 && s.size() != 9) || s[0] != '#') throw bad();
  unsigned v[4] = {0, 0, 0, 255};
  for (size_t i = 0; i * 2 + 1 < s.size(); ++i) {
    unsigned byte = 0;
    for (int k = 0; k < 2; ++k) {
      char c = s[1 + i * 2 + k];
      int d = c >= '0' && c <= '9'   ? c - '0'
              : c >= 'a' && c <= 'f' ? c - 'a' + 10
              : c >= 'A' && c <= 'F' ? c - 'A' + 10
                                     : -1;
      if (d < 0) throw bad();
      byte = byte * 16 + static_cast<unsigned>(d);
    }
    v[i] = byte;
  }
  return Color{static_cast<uint8_t>(v[0]), static_cast<uint8_t>(v[1]), static_cast<uint8_t>(v[2]),
               static_cast<uint8_t>(v[3])};
}

Color color_field(Obj &o, std::string_view key, Color def) {
  auto s = o.string(key);
  return s ? parse_color(*s, o.at(key)) : def;
}

// The value named `s`; an unknown name is an error at `path` listing the accepted ones.
template <typename E>
E enum_value(const std::string &s, const std::string &path,
             std::span<const std::pair<std::string_view, E>> names) {
  std::string allowed;
  for (const auto &[name, value] : names) {
    if (name == s) return value;
    allowed += (allowed.empty() ? "" : ", ") + std::string(name);
  }
  throw FieldError{path, "unknown value \"" + s + "\" (expected one of: " + allowed + ")"};
}

template <typename E>
E enum_field(Obj &o, std::string_view key, E def,
             std::span<const std::pair<std::string_view, E>> names) {
  auto s = o.string(key);
  return s ? enum_value<E>(*s, o.at(key), names) : def;
}

template <class E, class Obj>
E enum_field(Obj &o, std::string_view key, E def,
             std::initializer_list<std::pair<std::string_view, E>> names) {
  return enum_field<E>(o, key, def, std::span(names.begin(), names.size()));
}

constexpr std::pair<std::string_view, VideoEncoder> kEncoders[] = {
    {"auto", VideoEncoder::kAuto},
    {"libx264", VideoEncoder::kLibx264},
    {"h264_nvenc", VideoEncoder::kNvenc},
    {"h264_vaapi", VideoEncoder::kVaapi},
    {"h264_qsv", VideoEncoder::kQsv}};

// A subtitle position's name in the JSON, both ways.
constexpr std::pair<std::string_view, SubtitlePosition> kPositions[] = {
    {"top", SubtitlePosition::kTop},
    {"center", SubtitlePosition::kCenter},
    {"lower_third", SubtitlePosition::kLowerThird},
    {"bottom", SubtitlePosition::kBottom}};

std::filesystem::path resolve(const std::filesystem::path &base, const std::string &p) {
  std::filesystem::path path(p);
  return path.is_absolute() ? path : (base / path).lexically_normal();
}

Canvas parse_canvas(const json::value *v, const std::string &path) {
  Canvas c;
  if (!v) return c;
  Obj o(*v, path);
  auto aspect = o.string("aspect");
  if (aspect) {
    if (*aspect == "9:16")
      c.width = 1080, c.height = 1920;
    else if (*aspect == "16:9")
      c.width = 1920, c.height = 1080;
    else if (*aspect == "1:1")
      c.width = 1080, c.height = 1080;
    else if (*aspect == "4:5")
      c.width = 1080, c.height = 1350;
    else
      throw FieldError{o.at("aspect"),
                       "unknown value \"" + *aspect + "\" (expected one of: 9:16, 16:9, 1:1, 4:5)"};
  }
  c.width = o.integer("width", c.width, 16, 7680);
  c.height = o.integer("height", c.height, 16, 7680);
  // yuv420p needs even dimensions.
  if (c.width % 2) throw FieldError{o.at("width"), "must be even (H.264 4:2:0)"};
  if (c.height % 2) throw FieldError{o.at("height"), "must be even (H.264 4:2:0)"};
  c.fps = o.integer("fps", c.fps, 1, 120);
  c.background = color_field(o, "background", c.background);
  if (c.background.a != 255)
    throw FieldError{o.at("background"),
                     "must be opaque (\"#RRGGBB\", or alpha FF): the canvas has no transparency, "
                     "it is what transparent pictures are drawn over"};
  o.no_unknown_keys();
  return c;
}

constexpr std::pair<std::string_view, TransitionKind> kTransitions[] = {
    {"cut", TransitionKind::kCut},
    {"crossfade", TransitionKind::kCrossfade},
    {"slide", TransitionKind::kSlideLeft},
    {"slide_left", TransitionKind::kSlideLeft},
    {"slide_right", TransitionKind::kSlideRight},
    {"slide_up", TransitionKind::kSlideUp},
    {"slide_down", TransitionKind::kSlideDown}};

double default_transition_duration(TransitionKind kind) {
  return kind == TransitionKind::kCut ? 0.0 : 0.5;
}

Transition parse_transition(const json::value &v, const std::string &path) {
  Transition t;
  if (v.is_string()) {  // shorthand: "crossfade"; a bad name is at the field itself
    t.kind = enum_value<TransitionKind>(std::string(v.as_string()), path, kTransitions);
    t.duration = default_transition_duration(t.kind);
    return t;
  }
  Obj o(v, path);
  t.kind = enum_field<TransitionKind>(o, "type", TransitionKind::kCut, kTransitions);
  t.duration = o.number("duration", default_transition_duration(t.kind), 0.0, 10.0);
  if (t.kind == TransitionKind::kCut) t.duration = 0.0;
  o.no_unknown_keys();
  return t;
}

Scene parse_scene(const json::value &v, const std::string &path,
                  const std::filesystem::path &base) {
  Obj o(v, path);
  Scene s;
  bool has_image = o.has("image"), has_video = o.has("video");
  if (has_image == has_video) throw FieldError{path, "needs exactly one of \"image\" or \"video\""};
  if (has_image) {
    s.kind = Scene::Kind::kImage;
    s.source = resolve(base, o.required_string("image"));
  } else {
    s.kind = Scene::Kind::kVideo;
    s.source = resolve(base, o.required_string("video"));
  }
  if (const json::value *d = o.find("duration"); d && d->is_string() && d->as_string() == "auto") {
    s.auto_duration = true;
  } else if (d) {
    s.duration = o.number("duration", 0, 0.05, 36000);
  } else {
    s.auto_duration = true;
  }
  s.fit =
      enum_field<Fit>(o, "fit", Fit::kCover, {{"cover", Fit::kCover}, {"contain", Fit::kContain}});
  if (const json::value *t = o.find("transition"))
    s.transition = parse_transition(*t, o.at("transition"));
  if (s.kind == Scene::Kind::kImage) {
    s.motion = enum_field<Motion>(o, "motion", Motion::kZoomIn,
                                  {{"none", Motion::kNone},
                                   {"zoom_in", Motion::kZoomIn},
                                   {"zoom_out", Motion::kZoomOut},
                                   {"pan_left", Motion::kPanLeft},
                                   {"pan_right", Motion::kPanRight},
                                   {"pan_up", Motion::kPanUp},
                                   {"pan_down", Motion::kPanDown}});
    s.motion_strength = o.number("motion_strength", s.motion_strength, 0.0, 1.0);
    s.motion_time = o.number("motion_time", 0.0, 0.0, 36000);
    if (s.motion == Motion::kNone) s.motion_strength = 0.0;
  } else {
    s.motion = Motion::kNone;
    s.motion_strength = 0.0;
    s.trim_start = o.number("trim_start", 0.0, 0.0, 1e6);
    s.trim_end = o.number("trim_end", 0.0, 0.0, 1e6);
    if (s.trim_end != 0.0 && s.trim_end <= s.trim_start)
      throw FieldError{o.at("trim_end"), "must be after trim_start"};
    s.loop = o.boolean("loop", true);
    auto audio = o.string("audio");
    if (audio && *audio != "keep" && *audio != "drop")
      throw FieldError{o.at("audio"),
                       "unknown value \"" + *audio + "\" (expected one of: keep, drop)"};
    s.keep_audio = audio && *audio == "keep";
    s.clip_volume = o.number("volume", 1.0, 0.0, 4.0);
  }
  o.no_unknown_keys();
  return s;
}

Audio parse_audio(const json::value *v, const std::string &path,
                  const std::filesystem::path &base) {
  Audio a;
  if (!v) return a;
  Obj o(*v, path);
  if (const json::value *voice = o.find("voice")) {
    if (voice->is_string()) {
      a.voice = resolve(base, std::string(voice->as_string()));
    } else {
      Obj vo(*voice, o.at("voice"));
      a.voice = resolve(base, vo.required_string("path"));
      a.voice_volume = vo.number("volume", 1.0, 0.0, 4.0);
      vo.no_unknown_keys();
    }
  }
  if (const json::value *music = o.find("music")) {
    Music m;
    if (music->is_string()) {
      m.path = resolve(base, std::string(music->as_string()));
    } else {
      Obj mo(*music, o.at("music"));
      m.path = resolve(base, mo.required_string("path"));
      m.volume = mo.number("volume", m.volume, 0.0, 4.0);
      m.fade_out = mo.number("fade_out", m.fade_out, 0.0, 60.0);
      m.ducking = mo.number("ducking", m.ducking, 0.0, 1.0);
      mo.no_unknown_keys();
    }
    a.music = m;
  }
  a.normalize = o.boolean("normalize", true);
  a.target_lufs = o.number("target_lufs", a.target_lufs, -40.0, -5.0);
  o.no_unknown_keys();
  return a;
}

// The subtitle style object; fields left out keep `y`'s values.
void parse_style(const json::value &v, const std::string &path, SubtitleStyle &y) {
  Obj so(v, path);
  if (auto f = so.string("font")) {
    // A comma would end the font field of the ASS style line.
    if (f->empty() || f->find_first_of(",\n") != std::string::npos)
      throw FieldError{so.at("font"), "must be a font family name without commas"};
    y.font = *f;
  }
  y.size = so.integer("size", y.size, 0, 1000);
  y.color = color_field(so, "color", y.color);
  y.highlight_color = color_field(so, "highlight_color", y.highlight_color);
  y.outline_color = color_field(so, "outline_color", y.outline_color);
  y.outline = so.number("outline", y.outline, 0, 100);
  y.shadow = so.number("shadow", y.shadow, 0, 100);
  y.bold = so.boolean("bold", y.bold);
  y.position = enum_field<SubtitlePosition>(so, "position", y.position, kPositions);
  y.margin_left = so.number("margin_left", y.margin_left, 0, 0.45);
  y.margin_right = so.number("margin_right", y.margin_right, 0, 0.45);
  if (so.has("margin_vertical")) y.margin_vertical = so.number("margin_vertical", 0, 0, 0.9);
  const json::value *chars = so.find("max_chars_per_line");
  if (chars && chars->is_string()) {
    if (chars->as_string() != "auto")
      throw FieldError{so.at("max_chars_per_line"), "must be \"auto\" or a number of characters"};
    y.max_chars_per_line = 0;
  } else {
    y.max_chars_per_line = so.integer("max_chars_per_line", y.max_chars_per_line, 4, 200);
  }
  y.max_lines = so.integer("max_lines", y.max_lines, 1, 5);
  y.max_words = so.integer("max_words", y.max_words, 0, 100);
  y.min_duration = so.number("min_duration", y.min_duration, 0, 10);
  y.break_at_sentences = so.boolean("break_at_sentences", y.break_at_sentences);
  so.no_unknown_keys();
}

Subtitles parse_subtitles(const json::value &v, const std::string &path,
                          const std::filesystem::path &base) {
  Obj o(v, path);
  Subtitles s;
  if (auto f = o.string("fonts_dir")) s.fonts_dir = resolve(base, *f);
  bool has_ass = o.has("ass"), has_words = o.has("words");
  if (has_ass == has_words) throw FieldError{path, "needs exactly one of \"ass\" or \"words\""};
  if (has_ass) {
    s.ass_file = resolve(base, o.required_string("ass"));
  } else {
    const json::value *w = o.find("words");
    if (!w->is_array()) throw FieldError{o.at("words"), "must be an array"};
    double last_start = -1;
    for (size_t i = 0; i < w->as_array().size(); ++i) {
      Obj wo(w->as_array()[i], index(o.at("words"), i));
      Word word;
      word.text = wo.required_string("text");
      word.start = wo.number("start", 0, 0, 1e6);
      word.end = wo.number("end", 0, 0, 1e6);
      if (!wo.has("start")) throw FieldError{wo.at("start"), "is required"};
      if (!wo.has("end")) throw FieldError{wo.at("end"), "is required"};
      if (word.end < word.start) throw FieldError{wo.at("end"), "is before start"};
      if (word.start < last_start) throw FieldError{wo.at("start"), "words must be in time order"};
      last_start = word.start;
      wo.no_unknown_keys();
      s.words.push_back(std::move(word));
    }
  }
  if (const json::value *st = o.find("style")) parse_style(*st, o.at("style"), s.style);
  if (auto f = o.string("write_ass")) {
    if (f->empty()) throw FieldError{o.at("write_ass"), "must be a file path"};
    s.write_ass = resolve(base, *f);
  }
  o.no_unknown_keys();
  return s;
}

Output parse_output(const json::value *v, const std::string &path,
                    const std::filesystem::path &base) {
  if (!v) throw FieldError{path, "is required"};
  Obj o(*v, path);
  Output out;
  out.path = resolve(base, o.required_string("path"));
  if (auto p = o.string("preset")) {
    static const char *kPresets[] = {"ultrafast", "superfast", "veryfast", "faster",  "fast",
                                     "medium",    "slow",      "slower",   "veryslow"};
    bool ok = false;
    for (const char *k : kPresets) ok = ok || *p == k;
    if (!ok) throw FieldError{o.at("preset"), "unknown x264 preset \"" + *p + "\""};
    out.preset = *p;
  }
  out.crf = o.integer("crf", out.crf, 0, 51);
  if (o.has("encoder"))
    out.encoder = enum_field<VideoEncoder>(o, "encoder", VideoEncoder::kLibx264, kEncoders);
  out.audio_bitrate = o.integer("audio_bitrate", out.audio_bitrate, 32000, 512000);
  out.aac_coder = enum_field<std::string>(o, "aac_coder", out.aac_coder,
                                          {{"fast", "fast"}, {"twoloop", "twoloop"}});
  out.edit_list = o.boolean("edit_list", out.edit_list);
  if (const json::value *t = o.find("thumbnail")) {
    Obj to(*t, o.at("thumbnail"));
    Thumbnail th;
    th.path = resolve(base, to.required_string("path"));
    auto ext = th.path.extension().string();
    if (ext != ".png" && ext != ".jpg" && ext != ".jpeg")
      throw FieldError{to.at("path"), "must end in .png, .jpg or .jpeg"};
    th.time = to.number("time", 0.0, 0.0, 1e6);
    to.no_unknown_keys();
    out.thumbnail = th;
  }
  o.no_unknown_keys();
  return out;
}

Timeline parse_root(const json::value &root, const std::filesystem::path &base) {
  Obj o(root, "");
  Timeline t;
  t.canvas = parse_canvas(o.find("canvas"), "canvas");
  const json::value *scenes = o.find("scenes");
  if (!scenes) throw FieldError{"scenes", "is required"};
  if (!scenes->is_array()) throw FieldError{"scenes", "must be an array"};
  if (scenes->as_array().empty()) throw FieldError{"scenes", "must have at least one scene"};
  for (size_t i = 0; i < scenes->as_array().size(); ++i)
    t.scenes.push_back(parse_scene(scenes->as_array()[i], index("scenes", i), base));
  if (t.scenes[0].transition.kind != TransitionKind::kCut)
    throw FieldError{"scenes[0].transition",
                     "the first scene has no scene before it to transition from"};
  if (o.has("duration")) t.duration = o.number("duration", 0, 0.05, 36000);
  t.audio = parse_audio(o.find("audio"), "audio", base);
  if (const json::value *s = o.find("subtitles"))
    t.subtitles = parse_subtitles(*s, "subtitles", base);
  t.output = parse_output(o.find("output"), "output", base);
  o.no_unknown_keys();
  return t;
}

}  // namespace

double Timeline::total_duration() const {
  double sum = 0;
  for (const auto &s : scenes) sum += s.duration;
  return sum;
}
int64_t Timeline::total_frames() const {
  return static_cast<int64_t>(std::llround(total_duration() * canvas.fps));
}
double Timeline::scene_start(size_t i) const {
  double t = 0;
  for (size_t k = 0; k < i && k < scenes.size(); ++k) t += scenes[k].duration;
  return t;
}

std::string_view encoder_name(VideoEncoder encoder) {
  for (const auto &[name, value] : kEncoders)
    if (value == encoder) return name;
  return "?";
}

std::optional<VideoEncoder> encoder_from_name(std::string_view name) {
  for (const auto &[n, value] : kEncoders)
    if (n == name) return value;
  return std::nullopt;
}

std::string encoder_names() {
  std::string names;
  for (const auto &[name, value] : kEncoders)
    names += (names.empty() ? "" : ", ") + std::string(name);
  return names;
}

ParseResult parse_timeline(std::string_view text, const std::filesystem::path &base_dir) {
  ParseResult r;
  json::stream_parser p;
  boost::system::error_code ec;
  size_t used = p.write(text.data(), text.size(), ec);
  if (!ec) p.finish(ec);
  if (ec) {
    size_t line = 1, col = 1;
    for (size_t i = 0; i < used && i < text.size(); ++i) {
      if (text[i] == '\n')
        ++line, col = 1;
      else
        ++col;
    }
    r.error = TimelineError{"", "timeline is not valid JSON at line " + std::to_string(line) +
                                    ", column " + std::to_string(col) + ": " + ec.message()};
    return r;
  }
  try {
    r.timeline = parse_root(p.release(), base_dir);
  } catch (const FieldError &e) {
    r.error = TimelineError{e.path, e.message};
  }
  return r;
}

std::optional<TimelineError> parse_subtitle_style(std::string_view text, SubtitleStyle &style,
                                                  const std::string &path) {
  boost::system::error_code ec;
  json::value v = json::parse(text, ec);
  if (ec) return TimelineError{path, "not valid JSON: " + ec.message()};
  SubtitleStyle parsed = style;  // untouched on error
  try {
    parse_style(v, path, parsed);
  } catch (const FieldError &e) {
    return TimelineError{e.path, e.message};
  }
  style = std::move(parsed);
  return std::nullopt;
}

std::string subtitle_style_json(const SubtitleStyle &st) {
  auto hex = [](Color c) {
    char buf[10];
    std::snprintf(buf, sizeof buf, "#%02X%02X%02X%02X", c.r, c.g, c.b, c.a);
    return std::string(buf);
  };
  auto position = std::find_if(std::begin(kPositions), std::end(kPositions),
                               [&](const auto &p) { return p.second == st.position; });
  json::object style{{"font", st.font},
                     {"size", st.size},
                     {"color", hex(st.color)},
                     {"highlight_color", hex(st.highlight_color)},
                     {"outline_color", hex(st.outline_color)},
                     {"outline", st.outline},
                     {"shadow", st.shadow},
                     {"bold", st.bold},
                     {"position", position->first},
                     {"margin_left", st.margin_left},
                     {"margin_right", st.margin_right},
                     {"max_lines", st.max_lines},
                     {"max_words", st.max_words},
                     {"min_duration", st.min_duration},
                     {"break_at_sentences", st.break_at_sentences}};
  if (st.margin_vertical) style["margin_vertical"] = *st.margin_vertical;
  if (st.max_chars_per_line > 0)
    style["max_chars_per_line"] = st.max_chars_per_line;
  else
    style["max_chars_per_line"] = "auto";
  return json::serialize(style);
}

ParseResult load_timeline(const std::filesystem::path &file) {
  std::ifstream in(file, std::ios::binary);
  if (!in)
    return ParseResult{std::nullopt,
                       TimelineError{"", "cannot read timeline file " + file.string()}};
  std::stringstream ss;
  ss << in.rdbuf();
  return parse_timeline(ss.str(), std::filesystem::absolute(file).parent_path());
}

}  // namespace automuse::render
