// Caption cards as SRT, and SRT read back (see automuse_render/captions.h).
#include <cmath>
#include <cstdio>
#include <sstream>

#include "automuse_render/captions.h"

namespace automuse::render {
namespace {

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.back() == '\r' || s.back() == ' ')) s.remove_suffix(1);
  while (!s.empty() && s.front() == ' ') s.remove_prefix(1);
  return s;
}

std::vector<std::string_view> lines_of(std::string_view text) {
  std::vector<std::string_view> lines;
  for (size_t at = 0; at <= text.size();) {
    size_t nl = text.find('\n', at);
    if (nl == std::string_view::npos) nl = text.size();
    lines.push_back(trim(text.substr(at, nl - at)));
    at = nl + 1;
  }
  return lines;
}

std::optional<double> parse_time(std::string_view t) {
  unsigned h, m, s, ms;
  char sep;
  const std::string buf(t);
  if (std::sscanf(buf.c_str(), "%u:%u:%u%c%u", &h, &m, &s, &sep, &ms) != 5 ||
      (sep != ',' && sep != '.') || m > 59 || s > 59 || ms > 999)
    return std::nullopt;
  return h * 3600.0 + m * 60.0 + s + ms / 1000.0;
}

// One cue starting at lines[i] (its number); advances i past it.
std::optional<TimelineError> parse_cue(const std::vector<std::string_view> &lines, size_t &i,
                                       SrtCue &cue) {
  auto where = [&] { return "srt line " + std::to_string(i + 1); };
  const std::string number(lines[i]);
  size_t used = 0;
  try {
    cue.index = std::stoi(number, &used);
  } catch (const std::exception &) {
    used = 0;
  }
  if (used == 0 || used != number.size()) return TimelineError{where(), "expected a cue number"};
  if (++i >= lines.size()) return TimelineError{where(), "cue without timing line"};
  const size_t arrow = lines[i].find("-->");
  if (arrow == std::string_view::npos) return TimelineError{where(), "expected \"start --> end\""};
  const auto start = parse_time(trim(lines[i].substr(0, arrow)));
  const auto end = parse_time(trim(lines[i].substr(arrow + 3)));
  if (!start || !end)
    return TimelineError{where(), "bad time in \"" + std::string(lines[i]) + "\""};
  if (*end < *start) return TimelineError{where(), "cue ends before it starts"};
  cue.start = *start, cue.end = *end;
  for (++i; i < lines.size() && !lines[i].empty(); ++i) cue.lines.emplace_back(lines[i]);
  return std::nullopt;
}

}  // namespace

std::string srt_time(double seconds) {
  const long long ms = std::llround(std::max(0.0, seconds) * 1000.0);
  char buf[32];
  std::snprintf(buf, sizeof buf, "%02lld:%02lld:%02lld,%03lld", ms / 3600000, ms / 60000 % 60,
                ms / 1000 % 60, ms % 1000);
  return buf;
}

std::string build_srt(const std::vector<SubtitleCard> &cards) {
  std::ostringstream out;
  int n = 1;
  for (const SubtitleCard &c : cards) {
    out << n++ << "\n" << srt_time(c.start) << " --> " << srt_time(c.end) << "\n";
    for (const auto &line : c.lines) out << line_text(line) << "\n";
    out << "\n";
  }
  return out.str();
}

SrtParse parse_srt(std::string_view text) {
  const std::vector<std::string_view> lines = lines_of(text);
  SrtParse out;
  for (size_t i = 0; i < lines.size();) {
    if (lines[i].empty()) {
      ++i;
      continue;
    }
    SrtCue cue;
    if ((out.error = parse_cue(lines, i, cue))) return out;
    out.cues.push_back(std::move(cue));
  }
  return out;
}

}  // namespace automuse::render
