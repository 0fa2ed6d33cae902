// plugins/plugin_support/mp4_sample_entry.cpp — reading video and audio sample entries and the
// codec configurations inside them (avcC, hvcC, esds).
#include "mp4_sample_entry.hpp"

#include <iterator>

namespace plugin_support::mp4 {
namespace {

// avcC: High profiles carry chroma_format_idc after the parameter sets; the others are 4:2:0.
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
// DecoderSpecificInfo): the true sample rate and channels.
void read_esds(std::string_view esds, Mp4Track &t) {
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
  if (index < std::size(kRates)) t.sample_rate = kRates[index];
  if (index != 0xf) {
    const int channels = static_cast<int>((config >> 3) & 0xf);
    if (channels >= 1 && channels <= 6) t.channels = channels;
    if (channels == 7) t.channels = 8;
  }
}

}  // namespace

void read_video_entry(const Box &entry, Mp4Track &t) {
  t.codec = entry.type;
  Reader r(entry.payload);
  r.skip(24);  // reserved, data reference index, pre-defined and reserved fields
  t.width = static_cast<uint32_t>(r.uint(2));
  t.height = static_cast<uint32_t>(r.uint(2));
  r.skip(50);  // resolutions, frame count, compressor name, depth, pre-defined
  const auto boxes = children(r.rest());
  if (const Box *c = find(boxes, "avcC")) t.chroma_format = avc_chroma(c->payload);
  if (const Box *c = find(boxes, "hvcC"); c && c->payload.size() > 16)
    t.chroma_format = static_cast<unsigned char>(c->payload[16]) & 3;
}

void read_audio_entry(const Box &entry, Mp4Track &t) {
  t.codec = entry.type;
  Reader r(entry.payload);
  r.skip(16);  // reserved, data reference index, version and reserved fields
  t.channels = static_cast<int>(r.uint(2));
  r.skip(6);  // sample size, pre-defined, reserved
  t.sample_rate = static_cast<int>(r.uint(4) >> 16);
  if (const Box *esds = find(children(r.rest()), "esds")) read_esds(esds->payload, t);
}

}  // namespace plugin_support::mp4
