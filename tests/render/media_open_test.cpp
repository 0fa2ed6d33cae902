// Inputs are opened with the file protocol and known demuxers only: a "clip", "picture" or
// "voice" that is really a playlist (HLS, ffconcat) naming another file is refused with the
// file named, where FFmpeg's defaults would open it and follow the reference.
#include "automuse_render/media_open.h"

#include <fstream>

#include "media_input.h"
#include "render_fixture.h"

namespace automuse::render::test {
namespace {

class MediaOpen : public RenderFixture {
 protected:
  void SetUp() override {
    RenderFixture::SetUp();
    write_clip(
        at("real.mov"), 64, 64, 10, 10, [](int) { return uint8_t{128}; }, true);
    solid_png("real.png", {10, 200, 30});
    write_tone_wav(at("real.wav"), 0.5, 440, 0.3);
  }
  void write_text(const std::string &name, const std::string &text) {
    std::ofstream(at(name), std::ios::binary) << text;
  }
  std::string validate_error(const std::string &json) {
    Timeline t = parse(json);
    auto e = validate_timeline(t);
    EXPECT_TRUE(e.has_value()) << "validated: " << json;
    return e ? e->to_string() : "";
  }
};

const char kHls[] =
    "#EXTM3U\n#EXT-X-VERSION:3\n#EXT-X-TARGETDURATION:1\n#EXTINF:1.0,\nreal.mov\n"
    "#EXT-X-ENDLIST\n";

TEST_F(MediaOpen, HlsPlaylistPosingAsAClipIsRefused) {
  write_text("clip.mp4", kHls);
  std::string error;
  EXPECT_FALSE(detail::probe_media(at("clip.mp4"), error)) << "the playlist was followed";
  EXPECT_NE(error.find(at("clip.mp4").string()), std::string::npos) << error;
  EXPECT_NE(error.find("'hls'"), std::string::npos) << error;
  const std::string e = validate_error(
      R"({"scenes": [{"video": "clip.mp4", "duration": 1}], "output": {"path": "o.mp4"}})");
  EXPECT_EQ(e.rfind("scenes[0].video: ", 0), 0u) << e;
  EXPECT_NE(e.find(at("clip.mp4").string()), std::string::npos) << e;
}

TEST_F(MediaOpen, ConcatScriptsPosingAsPictureOrVoiceAreRefused) {
  write_text("picture.png", "ffconcat version 1.0\nfile real.png\n");
  write_text("voice.wav", "ffconcat version 1.0\nfile real.wav\n");
  std::string error;
  EXPECT_FALSE(detail::decode_image(at("picture.png"), error)) << "the script was followed";
  EXPECT_NE(error.find(at("picture.png").string()), std::string::npos) << error;
  EXPECT_NE(error.find("'concat'"), std::string::npos) << error;
  error.clear();
  EXPECT_FALSE(detail::decode_audio(at("voice.wav"), 0, -1, error)) << "the script was followed";
  EXPECT_NE(error.find(at("voice.wav").string()), std::string::npos) << error;
  EXPECT_NE(error.find("'concat'"), std::string::npos) << error;
  const std::string e = validate_error(
      R"({"scenes": [{"image": "picture.png", "duration": 1}], "output": {"path": "o.mp4"}})");
  EXPECT_EQ(e.rfind("scenes[0].image: ", 0), 0u) << e;
}

TEST_F(MediaOpen, RealFilesOfEachKindStillOpen) {
  std::string error;
  auto clip = detail::probe_media(at("real.mov"), error);
  ASSERT_TRUE(clip) << error;
  EXPECT_TRUE(clip->has_video);
  EXPECT_TRUE(detail::decode_image(at("real.png"), error)) << error;
  auto voice = detail::decode_audio(at("real.wav"), 0, -1, error);
  ASSERT_TRUE(voice) << error;
  EXPECT_NEAR(voice->seconds(), 0.5, 0.05);
}

// An image-sequence pattern in a file name stays the one file it names (image2, which would
// expand it, is not among the demuxers).
TEST_F(MediaOpen, PatternInAFileNameIsNotExpanded) {
  solid_png("frame1.png", {200, 10, 30});
  write_text("frame%d.png", "not a picture");
  std::string error;
  EXPECT_FALSE(detail::decode_image(at("frame%d.png"), error)) << "frame1.png was read instead";
  EXPECT_NE(error.find(at("frame%d.png").string()), std::string::npos) << error;
}

TEST(MediaOpenPolicy, OnlyTheFileProtocolAndNoPlaylistDemuxers) {
  const std::string all = allowed_demuxers(kImageFile | kVideoFile | kAudioFile);
  for (const char *refused : {"hls", "concat", "image2", "dash", "tee"})
    EXPECT_EQ((',' + all + ',').find(',' + std::string(refused) + ','), std::string::npos)
        << refused;
  EXPECT_EQ(allowed_demuxers(kAudioFile).find("png_pipe"), std::string::npos);
}

}  // namespace
}  // namespace automuse::render::test
