// tests/tiktok/logic_test.cpp — the TikTok plugin's pure parts: the chunk planner with TikTok's
// real constants (50,000,123 bytes: 5 chunks, the last 10,000,123), the position after a 416
// under both readings of Content-Range, the caption's UTF-16 length and cut, the MP4 box reader
// and TikTok's video rules on files written box by box, and TikTok's error words.
#include <gtest/gtest.h>

#include <automuse/cpp/error.hpp>
#include <filesystem>

#include "api_errors.hpp"
#include "caption.hpp"
#include "chunk_plan.hpp"
#include "mp4_boxes.hpp"
#include "mp4_probe.hpp"
#include "support/files.hpp"
#include "support/temp_folder.hpp"
#include "video_rules.hpp"

namespace {

using tiktok::ChunkPlan;
using tiktok::plan_chunks;
using tiktok_test::Mp4Spec;

TEST(ChunkPlan, TikToksOwnExampleIsFiveChunksTheLastTakingTheRest) {
  const ChunkPlan p = plan_chunks(50'000'123);
  EXPECT_EQ(p.chunk_size, 10'000'000u);
  EXPECT_EQ(p.count, 5u);
  EXPECT_EQ(p.first_byte(4), 40'000'000u);
  EXPECT_EQ(p.bytes(4), 10'000'123u);
  uint64_t total = 0;
  for (uint64_t i = 0; i < p.count; ++i) total += p.bytes(i);
  EXPECT_EQ(total, 50'000'123u);
}

TEST(ChunkPlan, RoundsDownAndNeverMakesAChunkLargerThanTheVideo) {
  EXPECT_EQ(plan_chunks(19'999'999).count, 1u) << "rounded down: one chunk of almost twice";
  EXPECT_EQ(plan_chunks(19'999'999).bytes(0), 19'999'999u);
  const ChunkPlan small = plan_chunks(3'000'000);  // a usual Short: one chunk of its own size
  EXPECT_EQ(small.chunk_size, 3'000'000u);
  EXPECT_EQ(small.count, 1u);
  EXPECT_EQ(plan_chunks(30'000'000).count, 3u);
  EXPECT_EQ(plan_chunks(30'000'000).bytes(2), 10'000'000u);
  // A video over 64 MB is split; the last chunk stays under 128,000,000.
  const ChunkPlan big = plan_chunks(127'999'999, tiktok::kMaxChunk);
  EXPECT_EQ(big.count, 2u);
  EXPECT_LE(big.chunk_size, tiktok::kMaxChunk);
  EXPECT_LE(big.bytes(big.count - 1), tiktok::kMaxLastChunk);
  EXPECT_THROW(plan_chunks(0), am::error);
  EXPECT_THROW(plan_chunks(4'000'000'001), am::error);
  EXPECT_THROW(plan_chunks(50'000'123, 1'000'000), am::error) << "under 5 MiB";
}

TEST(ChunkPlan, ContentRangeAfterA416IsReadBothWays) {
  const ChunkPlan p = plan_chunks(50'000'123);
  // The count of bytes held, as the documentation prints it.
  EXPECT_EQ(tiktok::held_bytes("bytes 0-20000000/50000123", p), 20'000'000u);
  // The last byte held, as HTTP ranges are usually written.
  EXPECT_EQ(tiktok::held_bytes("bytes 0-19999999/50000123", p), 20'000'000u);
  EXPECT_EQ(tiktok::held_bytes("bytes */50000123", p), 0u);
  EXPECT_EQ(tiktok::held_bytes("bytes 0-50000123/50000123", p), 50'000'123u);
  EXPECT_EQ(tiktok::held_bytes("bytes 0-50000122/50000123", p), 50'000'123u);
  EXPECT_FALSE(tiktok::held_bytes("bytes 0-12345/50000123", p)) << "not on a chunk boundary";
  EXPECT_FALSE(tiktok::held_bytes("", p));
  EXPECT_FALSE(tiktok::held_bytes("bytes 5-9/10", p));
}

TEST(Caption, CountsUtf16UnitsAndCutsAtABoundary) {
  EXPECT_EQ(tiktok::utf16_units("abc"), 3u);
  EXPECT_EQ(tiktok::utf16_units("\xC3\xA9"), 1u);          // é
  EXPECT_EQ(tiktok::utf16_units("\xF0\x9F\x90\x99"), 2u);  // 🐙 outside the BMP
  EXPECT_FALSE(tiktok::utf16_units("\xC3"));
  std::string octopus;
  for (int i = 0; i < 1200; ++i) octopus += "\xF0\x9F\x90\x99";
  const std::string cut = tiktok::fit_caption(octopus);
  EXPECT_EQ(tiktok::utf16_units(cut), 2200u);
  EXPECT_EQ(tiktok::fit_caption("three hearts and blue blood", 14), "three hearts");
}

class VideoRules : public ::testing::Test {
 protected:
  std::string write(const Mp4Spec &spec) {
    const auto path = temp_.path() / ("v" + std::to_string(++n_) + ".mp4");
    automuse::testing::write_file(path, tiktok_test::mp4_file(spec));
    return path.string();
  }
  std::string problem(const Mp4Spec &spec, int max_duration = 600) {
    return tiktok::video_rule_problem(plugin_support::probe_mp4(write(spec)), max_duration);
  }
  automuse::testing::TempFolder temp_;
  int n_ = 0;
};

TEST_F(VideoRules, TheBoxReaderSeesWhatTheFileSays) {
  Mp4Spec spec;
  spec.pad_to = 100'000;
  const auto path = write(spec);
  plugin_support::Mp4Facts f = plugin_support::probe_mp4(path);
  EXPECT_EQ(f.file_size, 100'000u);
  EXPECT_EQ(f.major_brand, "isom");
  EXPECT_TRUE(f.moov_before_mdat);
  EXPECT_DOUBLE_EQ(f.duration_seconds, 10.0);
  ASSERT_NE(f.track("vide"), nullptr);
  EXPECT_EQ(f.track("vide")->codec, "avc1");
  EXPECT_EQ(f.track("vide")->width, 720u);
  EXPECT_EQ(f.track("vide")->height, 1280u);
  EXPECT_DOUBLE_EQ(f.track("vide")->frame_rate, 30.0);
  EXPECT_EQ((std::vector<std::string>{"ftyp", "moov", "mdat", "free"}), f.top_level);
  EXPECT_EQ(problem(spec), "");
}

TEST_F(VideoRules, EachBrokenRuleIsNamed) {
  Mp4Spec late;
  late.moov_first = false;
  EXPECT_NE(problem(late).find("moov at the front"), std::string::npos);
  Mp4Spec tiny;
  tiny.width = 270;
  tiny.height = 480;
  EXPECT_NE(problem(tiny).find("resolution: 270x480"), std::string::npos);
  Mp4Spec odd;
  odd.codec = "mp4v";
  EXPECT_NE(problem(odd).find("codec: 'mp4v'"), std::string::npos);
  Mp4Spec slow;
  slow.frames = 100;  // 10 fps
  EXPECT_NE(problem(slow).find("frame rate: 10 fps"), std::string::npos);
  EXPECT_NE(problem(Mp4Spec{}, 5).find("duration: 10 s, over the 5 s"), std::string::npos);
  // check_video says which file and that it is TikTok's rule.
  try {
    tiktok::check_video(write(tiny), 600);
    ADD_FAILURE() << "a 270x480 video passed";
  } catch (const am::error &e) {
    EXPECT_EQ(e.status(), AM_INVALID_ARGUMENT);
    EXPECT_NE(std::string(e.what()).find("breaks TikTok's rules: resolution"), std::string::npos);
  }
  // Not an MP4 at all.
  const auto text = temp_.path() / "notes.mp4";
  automuse::testing::write_file(text, "just some text, no boxes here");
  EXPECT_THROW(plugin_support::probe_mp4(text.string()), am::error);
}

TEST(ApiErrors, EnvelopesAndCodesAreExplained) {
  auto ok = tiktok::read_answer(
      R"({"data":{"publish_id":"v_pub_file~v2-1.1"},"error":{"code":"ok","message":"","log_id":"L1"}})");
  EXPECT_TRUE(ok.ok);
  EXPECT_EQ(ok.data.at("publish_id"), "v_pub_file~v2-1.1");
  auto spam = tiktok::read_answer(
      R"({"data":{},"error":{"code":"spam_risk_too_many_posts","message":"cap","log_id":"L2"}})");
  EXPECT_FALSE(spam.ok);
  auto e = tiktok::explain_error(200, spam, "TikTok account 'chef'");
  EXPECT_EQ(e.status, AM_QUOTA_EXCEEDED);
  EXPECT_NE(e.message.find("daily posting cap"), std::string::npos) << e.message;
  EXPECT_NE(e.message.find("log_id L2"), std::string::npos);
  auto unaudited = tiktok::read_answer(
      R"({"error":{"code":"unaudited_client_can_only_post_to_private_accounts","message":"","log_id":""}})");
  e = tiktok::explain_error(403, unaudited, "A");
  EXPECT_EQ(e.status, AM_PERMISSION_DENIED);
  EXPECT_NE(e.message.find("SELF_ONLY"), std::string::npos);
  EXPECT_NE(e.message.find("private"), std::string::npos);
  EXPECT_FALSE(tiktok::read_answer("<html>").ok);
  EXPECT_EQ(tiktok::explain_error(502, tiktok::read_answer(""), "A").status, AM_UNAVAILABLE);
  auto failed = tiktok::explain_fail_reason("frame_rate_check_failed", "A");
  EXPECT_EQ(failed.status, AM_INVALID_ARGUMENT);
  EXPECT_FALSE(failed.worth_retrying);
  EXPECT_TRUE(tiktok::explain_fail_reason("internal", "A").worth_retrying);
}

}  // namespace
