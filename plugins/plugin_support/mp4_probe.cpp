// plugins/plugin_support/mp4_probe.cpp — reading an MP4's box tree: the top level from the file
// (box headers only, mdat is skipped), then the whole moov box from memory.
#include "mp4_probe.hpp"

#include <automuse/cpp/error.hpp>
#include <fstream>
#include <string_view>

namespace plugin_support {
namespace {

constexpr uint64_t kMaxMoovBytes = 256ull << 20;  // a moov this big is no Short's

[[noreturn]] void bad(const std::string &path, const std::string &why) {
  throw am::error(AM_INVALID_ARGUMENT, path + ": not a readable MP4 file (" + why + ")");
}

uint64_t be(std::string_view b, size_t at, size_t n) {
  uint64_t v = 0;
  for (size_t i = 0; i < n; ++i) v = (v << 8) | static_cast<unsigned char>(b[at + i]);
  return v;
}

// One box inside a buffer: its type and payload.
struct Box {
  std::string type;
  std::string_view payload;
};

// The boxes directly inside `data`; a malformed one ends the list.
std::vector<Box> children(std::string_view data) {
  std::vector<Box> out;
  size_t at = 0;
  while (at + 8 <= data.size()) {
    uint64_t size = be(data, at, 4);
    size_t header = 8;
    if (size == 1) {
      if (at + 16 > data.size()) break;
      size = be(data, at + 8, 8);
      header = 16;
    } else if (size == 0) {
      size = data.size() - at;
    }
    if (size < header || size > data.size() - at) break;
    out.push_back({std::string(data.substr(at + 4, 4)), data.substr(at + header, size - header)});
    at += size;
  }
  return out;
}

const Box *child(const std::vector<Box> &boxes, std::string_view type) {
  for (const auto &b : boxes)
    if (b.type == type) return &b;
  return nullptr;
}

// mvhd and mdhd: (timescale, duration) after version/flags (and the creation/modification times).
std::optional<double> header_duration(std::string_view p) {
  if (p.size() < 20) return std::nullopt;
  const bool v1 = p[0] == 1;
  const size_t at = v1 ? 20 : 12;
  if (p.size() < at + (v1 ? 12 : 8)) return std::nullopt;
  const uint64_t timescale = be(p, at, 4);
  const uint64_t duration = be(p, at + 4, v1 ? 8 : 4);
  if (!timescale) return std::nullopt;
  return static_cast<double>(duration) / static_cast<double>(timescale);
}

uint64_t sample_count(std::string_view stts) {
  if (stts.size() < 8) return 0;
  const uint64_t entries = be(stts, 4, 4);
  uint64_t total = 0;
  for (uint64_t i = 0; i < entries && 8 + i * 8 + 8 <= stts.size(); ++i)
    total += be(stts, 8 + i * 8, 4);
  return total;
}

Mp4Track read_track(std::string_view trak) {
  Mp4Track t;
  const auto boxes = children(trak);
  const Box *mdia = child(boxes, "mdia");
  if (!mdia) return t;
  const auto media = children(mdia->payload);
  if (const Box *hdlr = child(media, "hdlr"); hdlr && hdlr->payload.size() >= 12)
    t.handler = std::string(hdlr->payload.substr(8, 4));
  if (const Box *mdhd = child(media, "mdhd"))
    t.duration_seconds = header_duration(mdhd->payload).value_or(0);
  const Box *minf = child(media, "minf");
  const Box *stbl = minf ? child(children(minf->payload), "stbl") : nullptr;
  if (!stbl) return t;
  const auto table = children(stbl->payload);
  if (const Box *stsd = child(table, "stsd"); stsd && stsd->payload.size() >= 16) {
    // version/flags, entry count, then the first sample entry: size, format, ...
    t.codec = std::string(stsd->payload.substr(12, 4));
    // A visual sample entry holds width and height 24 bytes into its body.
    if (t.handler == "vide" && stsd->payload.size() >= 8 + 8 + 28) {
      t.width = static_cast<uint32_t>(be(stsd->payload, 8 + 8 + 24, 2));
      t.height = static_cast<uint32_t>(be(stsd->payload, 8 + 8 + 26, 2));
    }
  }
  if (const Box *stts = child(table, "stts"); stts && t.duration_seconds > 0)
    t.frame_rate = static_cast<double>(sample_count(stts->payload)) / t.duration_seconds;
  return t;
}

void read_moov(std::string_view moov, Mp4Facts &f) {
  const auto boxes = children(moov);
  if (const Box *mvhd = child(boxes, "mvhd"))
    f.duration_seconds = header_duration(mvhd->payload).value_or(0);
  for (const auto &b : boxes)
    if (b.type == "trak") f.tracks.push_back(read_track(b.payload));
}

}  // namespace

const Mp4Track *Mp4Facts::track(const std::string &handler) const {
  for (const auto &t : tracks)
    if (t.handler == handler) return &t;
  return nullptr;
}

Mp4Facts probe_mp4(const std::string &path) {
  std::ifstream in(path, std::ios::binary | std::ios::ate);
  if (!in) bad(path, "cannot open it");
  Mp4Facts f;
  f.file_size = static_cast<uint64_t>(in.tellg());
  bool have_moov = false, have_mdat = false;
  for (uint64_t at = 0; at + 8 <= f.file_size;) {
    char head[16];
    in.seekg(static_cast<std::streamoff>(at));
    if (!in.read(head, 8)) bad(path, "a box header cannot be read");
    uint64_t size = be({head, 8}, 0, 4);
    uint64_t header = 8;
    if (size == 1) {
      if (!in.read(head + 8, 8)) bad(path, "a box header cannot be read");
      size = be({head, 16}, 8, 8);
      header = 16;
    } else if (size == 0) {
      size = f.file_size - at;
    }
    const std::string type(head + 4, 4);
    if (size < header || size > f.file_size - at)
      bad(path, "box '" + type + "' at byte " + std::to_string(at) + " runs past the end");
    f.top_level.push_back(type);
    if (type == "mdat") have_mdat = true;
    if (type == "ftyp" || (type == "moov" && !have_moov)) {
      if (size - header > kMaxMoovBytes) bad(path, "box '" + type + "' is too large");
      std::string body(size - header, '\0');
      if (!in.read(body.data(), static_cast<std::streamsize>(body.size())))
        bad(path, "box '" + type + "' cannot be read");
      if (type == "ftyp") {
        f.major_brand = body.substr(0, 4);
      } else {
        have_moov = true;
        f.moov_before_mdat = !have_mdat;
        read_moov(body, f);
      }
    }
    at += size;
  }
  if (!have_moov) bad(path, "it has no moov box");
  return f;
}

}  // namespace plugin_support
