// plugins/instagram/mp4_info.cpp — a reader of the few ISO BMFF boxes the upload rules need.
// Top-level boxes are walked from their headers only (mdat is never read); moov, small, is read
// whole and walked recursively.
#include "mp4_info.hpp"

#include <fstream>
#include <iterator>
#include <stdexcept>
#include <string_view>
#include <vector>

namespace instagram {

namespace {

class Reader {  // big-endian reads inside one box's payload, bounds-checked
 public:
  Reader(std::string_view data) : d_(data) {}
  bool has(size_t n) const { return at_ + n <= d_.size(); }
  uint64_t uint(size_t bytes) {
    if (!has(bytes)) throw std::runtime_error("a box is shorter than its fields");
    uint64_t v = 0;
    for (size_t i = 0; i < bytes; ++i) v = (v << 8) | static_cast<unsigned char>(d_[at_ + i]);
    at_ += bytes;
    return v;
  }
  void skip(size_t n) {
    if (!has(n)) throw std::runtime_error("a box is shorter than its fields");
    at_ += n;
  }
  std::string_view rest() const { return d_.substr(at_); }
  size_t at() const { return at_; }

 private:
  std::string_view d_;
  size_t at_ = 0;
};

struct Box {
  std::string type;
  std::string_view payload;
};

// The child boxes of a payload, in order.
std::vector<Box> children(std::string_view data) {
  std::vector<Box> out;
  size_t at = 0;
  while (at + 8 <= data.size()) {
    Reader r(data.substr(at));
    uint64_t size = r.uint(4);
    std::string type(data.substr(at + 4, 4));
    r.skip(4);
    size_t header = 8;
    if (size == 1) {
      size = r.uint(8);
      header = 16;
    } else if (size == 0) {
      size = data.size() - at;
    }
    if (size < header || at + size > data.size())
      throw std::runtime_error("box '" + type + "' runs past its parent");
    out.push_back({type, data.substr(at + header, size - header)});
    at += size;
  }
  return out;
}

const Box *find(const std::vector<Box> &boxes, std::string_view type) {
  for (const Box &b : boxes)
    if (b.type == type) return &b;
  return nullptr;
}

// mvhd and mdhd share the layout up to the duration: {timescale, duration}.
std::pair<uint64_t, uint64_t> time_fields(std::string_view payload) {
  Reader r(payload);
  const uint64_t version = r.uint(1);
  r.skip(3);
  r.skip(version == 1 ? 16 : 8);
  const uint64_t timescale = r.uint(4);
  const uint64_t duration = r.uint(version == 1 ? 8 : 4);
  return {timescale, duration};
}

int avc_chroma(std::string_view avcc) {
  Reader r(avcc);
  r.skip(1);
  const uint64_t profile = r.uint(1);
  r.skip(3);
  for (int kind = 0; kind < 2; ++kind) {  // SPS, then PPS
    uint64_t count = r.uint(1);
    if (kind == 0) count &= 0x1f;
    for (uint64_t i = 0; i < count; ++i) r.skip(r.uint(2));
  }
  const bool high = profile == 100 || profile == 110 || profile == 122 || profile == 244 ||
                    profile == 44 || profile == 83 || profile == 86 || profile == 118 ||
                    profile == 128;
  if (!high) return 1;  // Baseline, Main and Extended are always 4:2:0
  return r.has(1) ? static_cast<int>(r.uint(1) & 3) : -1;
}

Mp4Info::Video video_entry(const Box &entry) {
  Mp4Info::Video v;
  v.codec = entry.type;
  Reader r(entry.payload);
  r.skip(24);
  v.width = static_cast<int>(r.uint(2));
  v.height = static_cast<int>(r.uint(2));
  r.skip(50);
  const auto boxes = children(r.rest());
  if (const Box *c = find(boxes, "avcC")) v.chroma_format = avc_chroma(c->payload);
  if (const Box *c = find(boxes, "hvcC"); c && c->payload.size() > 16)
    v.chroma_format = static_cast<unsigned char>(c->payload[16]) & 3;
  return v;
}

// An MPEG-4 descriptor's length: up to four bytes of seven bits each.
uint64_t descriptor_size(Reader &r) {
  uint64_t size = 0;
  for (int i = 0; i < 4; ++i) {
    const uint64_t b = r.uint(1);
    size = (size << 7) | (b & 0x7f);
    if (!(b & 0x80)) break;
  }
  return size;
}

// The AAC AudioSpecificConfig inside esds (ES_Descriptor > DecoderConfigDescriptor >
// DecoderSpecificInfo): the true sample rate and channels, which the sample entry cannot hold
// past 65535 Hz.
void read_esds(std::string_view esds, Mp4Info::Audio &a) {
  static const int kRates[] = {96000, 88200, 64000, 48000, 44100, 32000, 24000,
                               22050, 16000, 12000, 11025, 8000,  7350};
  Reader r(esds);
  r.skip(4);
  if (r.uint(1) != 3) return;
  descriptor_size(r);
  r.skip(2);
  const uint64_t flags = r.uint(1);
  if (flags & 0x80) r.skip(2);
  if (flags & 0x40) r.skip(r.uint(1));
  if (flags & 0x20) r.skip(2);
  if (r.uint(1) != 4) return;
  descriptor_size(r);
  r.skip(13);
  if (r.uint(1) != 5) return;
  descriptor_size(r);
  const uint64_t config = r.uint(2);  // 5 bits object type, 4 bits rate index, 4 bits channels
  const uint64_t index = (config >> 7) & 0xf;
  if (index < std::size(kRates)) a.sample_rate = kRates[index];
  if (index != 0xf) {
    const int channels = static_cast<int>((config >> 3) & 0xf);
    if (channels >= 1 && channels <= 6) a.channels = channels;
    if (channels == 7) a.channels = 8;
  }
}

Mp4Info::Audio audio_entry(const Box &entry) {
  Mp4Info::Audio a;
  a.codec = entry.type;
  Reader r(entry.payload);
  r.skip(16);
  a.channels = static_cast<int>(r.uint(2));
  r.skip(6);
  a.sample_rate = static_cast<int>(r.uint(4) >> 16);
  if (const Box *esds = find(children(r.rest()), "esds")) read_esds(esds->payload, a);
  return a;
}

// Frames per second from stts and the media's timescale: the most common frame duration (the
// last frame's may differ).
double frame_rate(std::string_view stts, uint64_t timescale) {
  Reader r(stts);
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

void read_track(const Box &trak, Mp4Info &info) {
  const auto parts = children(trak.payload);
  if (const Box *edts = find(parts, "edts"); edts && find(children(edts->payload), "elst"))
    info.has_edit_list = true;
  const Box *mdia = find(parts, "mdia");
  if (!mdia) return;
  const auto media = children(mdia->payload);
  const Box *mdhd = find(media, "mdhd"), *hdlr = find(media, "hdlr"), *minf = find(media, "minf");
  if (!mdhd || !hdlr || !minf || hdlr->payload.size() < 12) return;
  const std::string handler(hdlr->payload.substr(8, 4));
  const Box *stbl = find(children(minf->payload), "stbl");
  if (!stbl) return;
  const auto table = children(stbl->payload);
  const Box *stsd = find(table, "stsd");
  if (!stsd || stsd->payload.size() < 8) return;
  const auto entries = children(stsd->payload.substr(8));
  if (entries.empty()) return;
  if (handler == "vide" && !info.video) {
    info.video = video_entry(entries[0]);
    if (const Box *stts = find(table, "stts"))
      info.video->fps = frame_rate(stts->payload, time_fields(mdhd->payload).first);
  } else if (handler == "soun" && !info.audio) {
    info.audio = audio_entry(entries[0]);
  }
}

void read_moov(std::string_view moov, Mp4Info &info) {
  const auto boxes = children(moov);
  if (const Box *mvhd = find(boxes, "mvhd")) {
    auto [timescale, duration] = time_fields(mvhd->payload);
    if (timescale) info.duration_s = static_cast<double>(duration) / timescale;
  }
  for (const Box &b : boxes)
    if (b.type == "trak") read_track(b, info);
}

}  // namespace

Mp4Info read_mp4_info(const std::string &path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot open " + path);
  in.seekg(0, std::ios::end);
  Mp4Info info;
  info.file_size = static_cast<uint64_t>(in.tellg());
  try {
    for (uint64_t at = 0; at + 8 <= info.file_size;) {
      std::string head(16, '\0');
      in.seekg(static_cast<std::streamoff>(at));
      in.read(head.data(),
              static_cast<std::streamsize>(std::min<uint64_t>(16, info.file_size - at)));
      Reader r(head);
      uint64_t size = r.uint(4), header = 8;
      const std::string type = head.substr(4, 4);
      if (size == 1) {
        size = r.uint(8);
        header = 16;
      }
      if (size == 0) size = info.file_size - at;
      if (size < header || at + size > info.file_size)
        throw std::runtime_error("box '" + type + "' at byte " + std::to_string(at) +
                                 " runs past the end of the file");
      if (type == "ftyp" && size >= header + 4) info.brand = head.substr(header, 4);
      if (type == "mdat") info.has_mdat = true;
      if (type == "moov") {
        if (size > (64u << 20)) throw std::runtime_error("its moov box is over 64 MB");
        info.moov_before_mdat = !info.has_mdat;
        info.has_moov = true;
        std::string moov(size - header, '\0');
        in.seekg(static_cast<std::streamoff>(at + header));
        in.read(moov.data(), static_cast<std::streamsize>(moov.size()));
        read_moov(moov, info);
      }
      at += size;
    }
  } catch (const std::runtime_error &e) {
    throw std::runtime_error(path + " is not a well-formed MP4/MOV file: " + e.what());
  }
  return info;
}

}  // namespace instagram
