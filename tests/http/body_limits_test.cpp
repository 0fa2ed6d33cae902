// Size caps of the network edge, over loopback: a response body past its cap is refused when its
// Content-Length declares it and cut off when nothing declares it (chunked, endless, or ended
// by closing the connection); downloads to files are capped by their kind, separately from
// bodies in memory; an upload over its cap is refused before a byte is sent. Every error names
// the host and the automuse.json setting to raise.
#include "http/body_limits.hpp"

#include <fstream>

#include "client_fixture.hpp"
#include "support/files.hpp"
#include "support/temp_folder.hpp"

namespace automuse::http::test {
namespace {

constexpr uint64_t kKiB = 1024;

class BodyLimitsTest : public ClientFixture {
 protected:
  void SetUp() override {
    ClientConfig config;
    config.limits.memory.bytes = 256 * kKiB;
    config.limits.image.bytes = 128 * kKiB;
    config.limits.video.bytes = 512 * kKiB;
    config.limits.file.bytes = 512 * kKiB;
    config.limits.upload.bytes = 4 * kKiB;
    start_client(config);
  }

  static void expect_names(const Response &r, const std::string &setting) {
    EXPECT_EQ(r.status, AM_ERROR) << r.error;
    EXPECT_NE(r.error.find("127.0.0.1"), std::string::npos) << r.error;
    EXPECT_NE(r.error.find(setting), std::string::npos) << r.error;
    EXPECT_NE(r.error.find("raise " + setting + " in automuse.json"), std::string::npos) << r.error;
  }
};

TEST_F(BodyLimitsTest, DeclaredOversizeBodyIsRefusedBeforeItArrives) {
  FakeServer server;
  server.route("GET", "/big", Reply::pattern(1 << 20));
  Response r = send(get(server.url("/big")));
  expect_names(r, "limits.response_body_mb");
  EXPECT_NE(r.error.find("declares 1048576 bytes"), std::string::npos) << r.error;
  EXPECT_NE(r.error.find("(256 KB)"), std::string::npos) << r.error;
  EXPECT_TRUE(r.body.empty());
  EXPECT_EQ(r.attempts, 1);  // a cap is not retried
}

TEST_F(BodyLimitsTest, ChunkedBodyWithoutLengthIsCutOffAtTheCap) {
  FakeServer server;
  server.route("GET", "/big", Reply::pattern(1 << 20).with_framing(Reply::Framing::chunked));
  Response r = send(get(server.url("/big")));
  expect_names(r, "limits.response_body_mb");
  EXPECT_NE(r.error.find("cut off"), std::string::npos) << r.error;
  EXPECT_LE(r.body.size(), 256 * kKiB);
}

TEST_F(BodyLimitsTest, EndlessChunkedBodyEnds) {
  FakeServer server;
  server.route("GET", "/endless", Reply::pattern(UINT64_MAX).with_framing(Reply::Framing::chunked));
  Response r = send(get(server.url("/endless")));
  expect_names(r, "limits.response_body_mb");
  EXPECT_LE(r.body.size(), 256 * kKiB);
}

TEST_F(BodyLimitsTest, BodyEndedByClosingIsCutOffAtTheCap) {
  FakeServer server;
  server.route("GET", "/big", Reply::pattern(1 << 20).with_framing(Reply::Framing::close));
  Response r = send(get(server.url("/big")));
  expect_names(r, "limits.response_body_mb");
  EXPECT_LE(r.body.size(), 256 * kKiB);
}

// A HEAD's Content-Length describes a body that never comes: no cap applies to it.
TEST_F(BodyLimitsTest, HeadOfALargeResourceIsNotRefused) {
  FakeServer server;
  server.route("HEAD", "/big", Reply::text("").with_header("Content-Length", "1073741824"));
  Request req = get(server.url("/big"));
  req.method = "HEAD";
  Response r = send(req);
  EXPECT_TRUE(r.ok()) << r.error;
  EXPECT_EQ(r.header("content-length"), "1073741824");
}

TEST_F(BodyLimitsTest, BodiesWithinTheCapArriveWhole) {
  FakeServer server;
  server.route("GET", "/ok", Reply::pattern(256 * kKiB).with_framing(Reply::Framing::chunked));
  Response r = send(get(server.url("/ok")));
  EXPECT_TRUE(r.ok()) << r.error;
  ASSERT_EQ(r.body.size(), 256 * kKiB);
  EXPECT_EQ(r.body[1000], Reply::pattern_byte(1000));
}

// A download to a file is capped by its kind, not by the memory cap: a 384 KiB video passes
// (more than the 256 KiB memory cap), the same bytes as an image do not, and nothing is left.
TEST_F(BodyLimitsTest, DownloadsAreCappedByTheirKind) {
  automuse::testing::TempFolder tmp;
  FakeServer server;
  server.route("GET", "/media", Reply::pattern(384 * kKiB).with_framing(Reply::Framing::chunked));
  Request video = get(server.url("/media"));
  video.sink = SinkKind::file;
  video.body_kind = BodyKind::video;
  video.response_file = tmp.path() / "clip.mp4";
  Response v = send(video);
  EXPECT_TRUE(v.ok()) << v.error;
  EXPECT_EQ(std::filesystem::file_size(tmp.path() / "clip.mp4"), 384 * kKiB);

  Request image = get(server.url("/media"));
  image.sink = SinkKind::file;
  image.body_kind = BodyKind::image;
  image.response_file = tmp.path() / "photo.jpg";
  Response i = send(image);
  expect_names(i, "limits.downloads_mb.image");
  EXPECT_FALSE(std::filesystem::exists(tmp.path() / "photo.jpg"));
  EXPECT_TRUE(automuse::testing::part_files(tmp.path() / "photo.jpg").empty());
}

TEST_F(BodyLimitsTest, RequestsOwnCapWins) {
  FakeServer server;
  server.route("GET", "/answer", Reply::pattern(8 * kKiB).with_framing(Reply::Framing::chunked));
  Request req = get(server.url("/answer"));
  req.body_limit = BodyLimit{4 * kKiB, "limits.llm_answer_kb"};
  Response r = send(req);
  expect_names(r, "limits.llm_answer_kb");
  EXPECT_NE(r.error.find("(4 KB)"), std::string::npos) << r.error;
}

TEST_F(BodyLimitsTest, OversizeUploadIsRefusedBeforeAnyByteIsSent) {
  automuse::testing::TempFolder tmp;
  const auto file = tmp.path() / "video.mp4";
  std::ofstream(file) << std::string(5 * kKiB, 'v');
  FakeServer server;
  server.route("PUT", "/upload", Reply::text("stored"));
  Request req = get(server.url("/upload"));
  req.method = "PUT";
  req.body_file = file;
  Response r = send(req);
  EXPECT_EQ(r.status, AM_INVALID_ARGUMENT) << r.error;
  EXPECT_NE(r.error.find(file.string()), std::string::npos) << r.error;
  EXPECT_NE(r.error.find("127.0.0.1"), std::string::npos) << r.error;
  EXPECT_NE(r.error.find("limits.upload_mb"), std::string::npos) << r.error;
  EXPECT_TRUE(server.requests("/upload").empty());

  std::ofstream(file, std::ios::trunc) << std::string(4 * kKiB, 'v');  // at the cap: fine
  EXPECT_TRUE(send(req).ok());
}

// A resumable upload says its whole size when it starts (X-Upload-Content-Length) and with each
// chunk (Content-Range): the session is refused before it is opened, a chunk before it is sent.
TEST_F(BodyLimitsTest, DeclaredUploadSizeIsCheckedBeforeTheUploadStarts) {
  FakeServer server;
  server.route("POST", "/upload", Reply::text("session"));
  server.route("PUT", "/upload", Reply::text("chunk"));
  Request start = get(server.url("/upload"));
  start.method = "POST";
  start.body = R"({"snippet":{}})";
  start.headers = {{"X-Upload-Content-Length", "1048576"}};
  Response r = send(start);
  EXPECT_EQ(r.status, AM_INVALID_ARGUMENT) << r.error;
  EXPECT_NE(r.error.find("is 1048576 bytes"), std::string::npos) << r.error;
  EXPECT_NE(r.error.find("127.0.0.1"), std::string::npos) << r.error;
  EXPECT_NE(r.error.find("limits.upload_mb (4 KB)"), std::string::npos) << r.error;

  Request chunk = get(server.url("/upload"));
  chunk.method = "PUT";
  chunk.body = std::string(1024, 'v');
  chunk.headers = {{"Content-Range", "bytes 0-1023/1048576"}};
  EXPECT_EQ(send(chunk).status, AM_INVALID_ARGUMENT);
  chunk.headers = {{"Content-Range", "bytes */99999999999999999999999"}};  // past uint64
  EXPECT_TRUE(send(chunk).ok());  // unreadable: not a size (the server judges it)
  EXPECT_TRUE(server.requests("/upload").size() == 1u);

  start.headers = {{"X-Upload-Content-Length", "4096"}};
  EXPECT_TRUE(send(start).ok());
}

TEST(ContentLength, ParsedWithRangeChecks) {
  EXPECT_EQ(parse_content_length("0"), 0u);
  EXPECT_EQ(parse_content_length(" 1048576 "), 1048576u);
  EXPECT_EQ(parse_content_length("18446744073709551615"), UINT64_MAX);
  EXPECT_FALSE(parse_content_length("18446744073709551616"));  // past uint64
  EXPECT_FALSE(parse_content_length("-1"));
  EXPECT_FALSE(parse_content_length("+5"));
  EXPECT_FALSE(parse_content_length("1e300"));
  EXPECT_FALSE(parse_content_length("12, 12"));
  EXPECT_FALSE(parse_content_length(""));
}

}  // namespace
}  // namespace automuse::http::test
