// tests/render_service/render_wire_test.cpp — the render worker's messages (render_wire.hpp):
// each kind of line reads back as written, a request keeps its timeline text byte for byte,
// bytes that are not UTF-8 in an FFmpeg message or a result survive, and anything else is
// refused (a line the host cannot read, a request naming its missing field).
#include "render_service/render_wire.hpp"

#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <stdexcept>

using namespace automuse::render_service;

TEST(RenderWire, ARequestReadsBackAsWritten) {
  const RenderRequest sent{"{\"scenes\": [\n]}", "/tmp/a b", "auto"};
  const std::string text = wire::encode_request(sent);
  EXPECT_EQ(text.find('\n'), std::string::npos);
  const RenderRequest got = wire::decode_request(text);
  EXPECT_EQ(got.timeline_json, sent.timeline_json);
  EXPECT_EQ(got.base_dir, sent.base_dir);
  EXPECT_EQ(got.encoder, sent.encoder);
  try {
    wire::decode_request(R"({"timeline": "{}", "base_dir": 3, "encoder": ""})");
    FAIL() << "a bad request was accepted";
  } catch (const std::runtime_error &e) {
    EXPECT_NE(std::string(e.what()).find("\"base_dir\""), std::string::npos) << e.what();
  }
}

TEST(RenderWire, ProgressAndLogLinesReadBack) {
  automuse::render::RenderProgress p{0.25, 31.5, 2.5, 15, 60};
  auto m = wire::decode_line(wire::progress_line(p));
  ASSERT_TRUE(m);
  ASSERT_EQ(m->kind, wire::Message::Kind::kProgress);
  EXPECT_DOUBLE_EQ(m->progress.fraction, 0.25);
  EXPECT_DOUBLE_EQ(m->progress.fps, 31.5);
  EXPECT_DOUBLE_EQ(m->progress.eta_seconds, 2.5);
  EXPECT_EQ(m->progress.frames_done, 15);
  EXPECT_EQ(m->progress.frames_total, 60);

  const std::string said = "[mp3 @ 0x1] title: caf\xe9 (Latin-1)\nsecond line";
  const std::string line = wire::log_line(automuse::render::LogLevel::kWarning, said);
  EXPECT_EQ(line.find('\n'), std::string::npos);
  m = wire::decode_line(line);
  ASSERT_TRUE(m);
  ASSERT_EQ(m->kind, wire::Message::Kind::kLog);
  EXPECT_EQ(m->level, automuse::render::LogLevel::kWarning);
  EXPECT_EQ(m->message, said);
}

TEST(RenderWire, OutcomesReadBackWithTheirStatus) {
  const std::string result = R"({"output":"/o/a\u00ff.mp4","warnings":["scenes[0].image: small"]})";
  auto m = wire::decode_line(wire::outcome_line(RenderOutcome::success(result, {})));
  ASSERT_TRUE(m);
  ASSERT_EQ(m->kind, wire::Message::Kind::kOutcome);
  EXPECT_EQ(m->outcome.status, AM_OK);
  EXPECT_EQ(boost::json::parse(m->outcome.result), boost::json::parse(result));
  EXPECT_EQ(m->outcome.warnings, std::vector<std::string>{"scenes[0].image: small"});
  for (am_status s : {AM_INVALID_ARGUMENT, AM_CANCELLED, AM_IO, AM_ERROR, AM_INTERNAL}) {
    m = wire::decode_line(wire::outcome_line(RenderOutcome::failure(s, "scenes[1].clip: gone")));
    ASSERT_TRUE(m);
    EXPECT_EQ(m->outcome.status, s);
    EXPECT_EQ(m->outcome.result, "null");
    EXPECT_EQ(m->outcome.error, "scenes[1].clip: gone");
  }
}

TEST(RenderWire, OtherLinesAreRefused) {
  for (const char *line : {"", "frame=  10 fps=0.0", "[]", R"({"progress": {"fraction": 1}})",
                           R"({"log": {"level": "loud", "message": "x"}})",
                           R"({"error": {"kind": "oops", "message": "x"}})", R"({"result": 3})"})
    EXPECT_FALSE(wire::decode_line(line)) << line;
}
