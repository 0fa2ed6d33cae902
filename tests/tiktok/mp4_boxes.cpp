// tests/tiktok/mp4_boxes.cpp — writing the boxes.
#include "mp4_boxes.hpp"

namespace tiktok_test {

std::string be32(uint64_t v) {
  std::string s(4, '\0');
  for (int i = 0; i < 4; ++i) s[3 - i] = static_cast<char>((v >> (8 * i)) & 0xff);
  return s;
}

std::string box(const std::string &type, const std::string &payload) {
  return be32(payload.size() + 8) + type + payload;
}

namespace {

std::string header(uint32_t timescale, uint32_t duration) {
  // version 0, flags, creation and modification times, timescale, duration.
  return std::string(4, '\0') + be32(0) + be32(0) + be32(timescale) + be32(duration) +
         std::string(20, '\0');
}

std::string video_track(const Mp4Spec &s) {
  std::string entry = std::string(6, '\0') + std::string("\0\1", 2) + std::string(16, '\0') +
                      std::string(1, static_cast<char>(s.width >> 8)) +
                      std::string(1, static_cast<char>(s.width & 0xff)) +
                      std::string(1, static_cast<char>(s.height >> 8)) +
                      std::string(1, static_cast<char>(s.height & 0xff)) + std::string(50, '\0');
  std::string stsd = box("stsd", std::string(4, '\0') + be32(1) + box(s.codec, entry));
  std::string stts = box("stts", std::string(4, '\0') + be32(1) + be32(s.frames) +
                                     be32(s.frames ? s.duration / s.frames : 0));
  std::string stbl = box("stbl", stsd + stts);
  std::string hdlr = box("hdlr", std::string(4, '\0') + be32(0) + "vide" + std::string(13, '\0'));
  std::string mdia =
      box("mdia", box("mdhd", header(s.timescale, s.duration)) + hdlr + box("minf", stbl));
  return box("trak", mdia);
}

}  // namespace

std::string mp4_file(const Mp4Spec &s) {
  std::string ftyp = box("ftyp", "isom" + be32(512) + "isomavc1");
  std::string moov = box("moov", box("mvhd", header(s.timescale, s.duration)) + video_track(s));
  std::string mdat = box("mdat", std::string(4096, '\x42'));
  std::string file = ftyp + (s.moov_first ? moov + mdat : mdat + moov);
  if (s.pad_to > file.size() + 8)
    file += be32(s.pad_to - file.size()) + "free" + std::string(s.pad_to - file.size() - 8, '\0');
  return file;
}

}  // namespace tiktok_test
