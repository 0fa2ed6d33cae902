// plugins/plugin_support/mp4_probe.cpp — reading an MP4's box tree: the top level from the file
// (box headers only, mdat is skipped), then the whole moov box from memory.
#include "mp4_probe.hpp"

#include <automuse/cpp/error.hpp>
#include <fstream>
#include <stdexcept>
#include <string_view>

#include "mp4_boxes.hpp"
#include "mp4_sample_entry.hpp"

namespace plugin_support {
namespace {

using mp4::Box;
using mp4::children;
using mp4::find;

constexpr uint64_t kMaxMoovBytes = 256ull << 20;  // a moov this big is no Short's

[[noreturn]] void bad(const std::string &path, const std::string &why) {
  throw am::error(AM_INVALID_ARGUMENT, path + ": not a readable MP4 file (" + why + ")");
}

// Samples per second from stts and the media's timescale: by the most common sample duration, so
// that a last frame of another length (or a media duration rounded up) does not bend the rate.
double frame_rate(std::string_view stts, uint64_t timescale) {
  mp4::Reader r(stts);
  r.skip(4);
  const uint64_t entries = r.uint(4);
  uint64_t best_count = 0, best_delta = 0;
  for (uint64_t i = 0; i < entries; ++i) {
    const uint64_t count = r.uint(4), delta = r.uint(4);
    if (count > best_count) {
      best_count = count;
      best_delta = delta;
    }
  }
  return best_delta && timescale ? static_cast<double>(timescale) / best_delta : 0;
}

// The first sample entry of a handler we know, and the frame rate from stts.
void read_sample_table(std::string_view stbl, uint64_t timescale, Mp4Track &t) {
  const auto table = children(stbl);
  if (const Box *stsd = find(table, "stsd"); stsd && stsd->payload.size() >= 8) {
    const auto entries = children(stsd->payload.substr(8));  // after version/flags and count
    if (!entries.empty() && t.handler == "vide")
      mp4::read_video_entry(entries[0], t);
    else if (!entries.empty() && t.handler == "soun")
      mp4::read_audio_entry(entries[0], t);
    else if (!entries.empty())
      t.codec = entries[0].type;
  }
  if (const Box *stts = find(table, "stts")) t.frame_rate = frame_rate(stts->payload, timescale);
}

Mp4Track read_track(std::string_view trak, Mp4Facts &f) {
  Mp4Track t;
  const auto parts = children(trak);
  if (const Box *edts = find(parts, "edts"); edts && find(children(edts->payload), "elst"))
    f.has_edit_list = true;
  const Box *mdia = find(parts, "mdia");
  if (!mdia) return t;
  const auto media = children(mdia->payload);
  if (const Box *hdlr = find(media, "hdlr"); hdlr && hdlr->payload.size() >= 12)
    t.handler = std::string(hdlr->payload.substr(8, 4));
  uint64_t timescale = 0;
  if (const Box *mdhd = find(media, "mdhd")) {
    const auto [scale, duration] = mp4::time_fields(mdhd->payload);
    if (scale) t.duration_seconds = static_cast<double>(duration) / scale;
    timescale = scale;
  }
  const Box *minf = find(media, "minf");
  if (const Box *stbl = minf ? find(children(minf->payload), "stbl") : nullptr)
    read_sample_table(stbl->payload, timescale, t);
  return t;
}

void read_moov(std::string_view moov, Mp4Facts &f) {
  const auto boxes = children(moov);
  if (const Box *mvhd = find(boxes, "mvhd")) {
    const auto [timescale, duration] = mp4::time_fields(mvhd->payload);
    if (timescale) f.duration_seconds = static_cast<double>(duration) / timescale;
  }
  for (const auto &b : boxes)
    if (b.type == "trak") f.tracks.push_back(read_track(b.payload, f));
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
    uint64_t size = mp4::Reader({head, 8}).uint(4);
    uint64_t header = 8;
    if (size == 1) {
      if (!in.read(head + 8, 8)) bad(path, "a box header cannot be read");
      size = mp4::Reader({head + 8, 8}).uint(8);
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
        try {
          read_moov(body, f);
        } catch (const std::runtime_error &e) {  // from mp4_boxes: what does not hold together
          bad(path, e.what());
        }
      }
    }
    at += size;
  }
  if (!have_moov) bad(path, "it has no moov box");
  return f;
}

}  // namespace plugin_support
