// Streaming bodies: download to a file with constant memory, upload from a file without
// loading it, and SSE / NDJSON chunks delivered in order to a callback on the job's strand.
#include <cstdio>
#include <filesystem>

#include "client_fixture.hpp"
#include "support/files.hpp"
#include "support/sanitizers.hpp"
#include "support/temp_folder.hpp"

namespace automuse::http::test {
namespace {

namespace fs = std::filesystem;

class StreamingTest : public ClientFixture {
 protected:
  // Largest memory in use seen while `work` runs, minus that before it (the resident set, or
  // the heap under a sanitizer: see memory_in_use).
  template <class F>
  size_t peak_memory_growth(F &&work) {
    using automuse::testing::memory_in_use;
    size_t before = memory_in_use();
    std::atomic<bool> stop{false};
    std::atomic<size_t> peak{before};
    std::thread sampler([&] {
      while (!stop) {
        size_t now = memory_in_use();
        if (now > peak) peak = now;
        std::this_thread::sleep_for(5ms);
      }
    });
    work();
    stop = true;
    sampler.join();
    return peak > before ? peak - before : 0;
  }

  automuse::testing::TempFolder temp_;
  fs::path dir_ = temp_.path();
};

TEST_F(StreamingTest, LargeDownloadGoesToFileWithConstantMemory) {
  constexpr uint64_t kSize = 128ull << 20;  // 128 MB
  FakeServer server;
  server.route("GET", "/video.mp4", Reply::pattern(kSize, "video/mp4"));
  Request req = get(server.url("/video.mp4"));
  req.sink = SinkKind::file;
  req.response_file = dir_ / "video.mp4";
  Response r;
  size_t growth = peak_memory_growth([&] { r = send(req, 120s); });
  ASSERT_EQ(r.status, AM_OK) << r.error;
  EXPECT_EQ(r.http_status, 200);
  EXPECT_EQ(r.body_bytes, kSize);
  EXPECT_TRUE(r.body.empty());
  EXPECT_LT(growth, size_t(24) << 20) << "memory grew by " << (growth >> 20) << " MB";
  ASSERT_EQ(fs::file_size(req.response_file), kSize);
  EXPECT_TRUE(automuse::testing::part_files(req.response_file).empty());
  // Check the content at a few places without reading it all into memory.
  FILE *f = std::fopen(req.response_file.c_str(), "rb");
  ASSERT_NE(f, nullptr);
  for (uint64_t at : {uint64_t(0), uint64_t(12345678), kSize - 4096}) {
    char buf[4096];
    fseeko(f, static_cast<off_t>(at), SEEK_SET);
    ASSERT_EQ(std::fread(buf, 1, sizeof buf, f), sizeof buf);
    for (size_t i = 0; i < sizeof buf; ++i)
      ASSERT_EQ(buf[i], Reply::pattern_byte(at + i)) << "offset " << at + i;
  }
  std::fclose(f);
}

TEST_F(StreamingTest, FailedDownloadLeavesNoFileAndKeepsErrorBody) {
  FakeServer server;
  server.route("GET", "/gone", Reply::json(R"({"error":"expired link"})", 410));
  server.route("GET", "/cut", Reply::pattern(1 << 20).with_close_after(1000));
  Request req = get(server.url("/gone"));
  req.sink = SinkKind::file;
  req.response_file = dir_ / "out.bin";
  Response r = send(req);
  EXPECT_EQ(r.http_status, 410);
  EXPECT_EQ(r.body, R"({"error":"expired link"})");
  EXPECT_FALSE(fs::exists(req.response_file));
  EXPECT_TRUE(automuse::testing::part_files(req.response_file).empty());

  req.url = server.url("/cut");
  req.retry.max_attempts = 2;
  req.retry.base_delay = 10ms;
  r = send(req);
  EXPECT_EQ(r.status, AM_UNAVAILABLE) << r.error;
  EXPECT_FALSE(fs::exists(req.response_file));
  EXPECT_TRUE(automuse::testing::part_files(req.response_file).empty());
}

// A download's part file has an unpredictable name created exclusively: a link planted at
// the name it once had ("<file>.part") is not followed, so what it points at stays as it was.
TEST_F(StreamingTest, PlantedLinkAtThePartNameIsNotFollowed) {
  FakeServer server;
  server.route("GET", "/photo.jpg", Reply::pattern(4096, "image/jpeg"));
  automuse::testing::write_file(dir_ / "victim.txt", "not the download's to write");
  fs::create_symlink(dir_ / "victim.txt", dir_ / "photo.jpg.part");
  Request req = get(server.url("/photo.jpg"));
  req.sink = SinkKind::file;
  req.response_file = dir_ / "photo.jpg";
  Response r = send(req);
  ASSERT_EQ(r.status, AM_OK) << r.error;
  EXPECT_EQ(automuse::testing::read_file(dir_ / "victim.txt"), "not the download's to write");
  EXPECT_FALSE(fs::is_symlink(req.response_file));
  EXPECT_EQ(fs::file_size(req.response_file), 4096u);
}

TEST_F(StreamingTest, UploadStreamsFromFile) {
  constexpr size_t kSize = 64u << 20;  // 64 MB
  fs::path file = dir_ / "upload.bin";
  uint32_t crc = 0;
  {
    FILE *f = std::fopen(file.c_str(), "wb");
    std::string block(1 << 20, '\0');
    for (size_t b = 0; b < kSize / block.size(); ++b) {
      for (size_t i = 0; i < block.size(); ++i)
        block[i] = Reply::pattern_byte(b * block.size() + i);
      std::fwrite(block.data(), 1, block.size(), f);
      crc = automuse::testing::crc32(block, crc);
    }
    std::fclose(f);
  }
  FakeServer server;
  server.route("PUT", "/upload/*", Reply::json(R"({"id":"v1"})")).discard_body();
  Request req = get(server.url("/upload/session-1"));
  req.method = "PUT";
  req.body_file = file;
  req.headers = {{"Content-Type", "video/mp4"}};
  Response r;
  size_t growth = peak_memory_growth([&] { r = send(req, 120s); });
  ASSERT_EQ(r.status, AM_OK) << r.error;
  EXPECT_EQ(r.body, R"({"id":"v1"})");
  auto seen = server.requests();
  ASSERT_EQ(seen.size(), 1u);
  EXPECT_TRUE(seen[0].complete);
  EXPECT_EQ(seen[0].body_size, kSize);
  EXPECT_EQ(seen[0].body_crc32, crc);
  EXPECT_EQ(seen[0].header("content-length"), std::to_string(kSize));
  EXPECT_LT(growth, size_t(24) << 20) << "memory grew by " << (growth >> 20) << " MB";
}

TEST_F(StreamingTest, PostBodyFromFileWithCustomMethod) {
  fs::path file = dir_ / "form.json";
  {
    FILE *f = std::fopen(file.c_str(), "wb");
    std::fputs(R"({"from":"file"})", f);
    std::fclose(f);
  }
  FakeServer server;
  server.route("*", "/p",
               [](const ReceivedRequest &req) { return Reply::text(req.method + " " + req.body); });
  Request req = get(server.url("/p"));
  req.method = "POST";
  req.body_file = file;
  EXPECT_EQ(send(req).body, R"(POST {"from":"file"})");
  req.method = "PATCH";
  EXPECT_EQ(send(req).body, R"(PATCH {"from":"file"})");
}

TEST_F(StreamingTest, RetriedUploadFromFileSendsTheWholeFileAgain) {
  // A 3 MB chunk of a resumable upload (safe to re-send) meets a 503: the retry must read
  // the file again from its first byte, not continue where the first attempt stopped.
  constexpr size_t kSize = 3u << 20;
  fs::path file = dir_ / "chunk.bin";
  std::string content(kSize, '\0');
  for (size_t i = 0; i < kSize; ++i) content[i] = Reply::pattern_byte(i);
  {
    FILE *f = std::fopen(file.c_str(), "wb");
    std::fwrite(content.data(), 1, content.size(), f);
    std::fclose(f);
  }
  FakeServer server;
  server.route("PUT", "/chunk", FakeServer::sequence({Reply::error(503), Reply::text("stored")}))
      .discard_body();
  Request req = get(server.url("/chunk"));
  req.method = "PUT";
  req.body_file = file;
  req.retry.base_delay = 10ms;
  Response r = send(req);
  EXPECT_EQ(r.http_status, 503) << "not marked safe: the body went out once, no retry";
  EXPECT_EQ(r.attempts, 1);

  server.route("PUT", "/chunk2", FakeServer::sequence({Reply::error(503), Reply::text("stored")}))
      .discard_body();
  req.url = server.url("/chunk2");
  req.retry.safe_to_resend_body = true;
  r = send(req);
  ASSERT_EQ(r.status, AM_OK) << r.error;
  EXPECT_EQ(r.body, "stored");
  EXPECT_EQ(r.attempts, 2);
  auto seen = server.requests("/chunk2");
  ASSERT_EQ(seen.size(), 2u);
  for (const auto &q : seen) {
    EXPECT_TRUE(q.complete);
    EXPECT_EQ(q.body_size, kSize);
    EXPECT_EQ(q.body_crc32, automuse::testing::crc32(content));
  }
}

TEST_F(StreamingTest, ServerSentEventsArriveInOrderOnTheJobStrand) {
  FakeServer server;
  std::vector<std::string> events;
  for (int i = 0; i < 20; ++i)
    events.push_back(R"({"choices":[{"delta":{"content":"tok)" + std::to_string(i) + R"("}}]})");
  events.push_back("[DONE]");
  server.route("POST", "/v1/chat/completions", Reply::sse(events, 15ms));
  auto received = std::make_shared<std::string>();
  auto chunks = std::make_shared<int>(0);
  auto off_strand = std::make_shared<std::atomic<int>>(0);
  Request req = get(server.url("/v1/chat/completions"));
  req.method = "POST";
  req.body = R"({"stream":true})";
  req.sink = SinkKind::callback;
  auto strand = job_;
  req.on_chunk = [=](std::string_view c) {
    if (!strand.running_in_this_thread()) ++*off_strand;
    received->append(c);
    ++*chunks;
  };
  Response r = send(req);
  ASSERT_EQ(r.status, AM_OK) << r.error;
  EXPECT_EQ(r.header("content-type"), "text/event-stream");
  std::string expected;
  for (const auto &e : events) expected += "data: " + e + "\n\n";
  // `done` ran after every chunk (same strand, posted in order), so this read is safe.
  EXPECT_EQ(*received, expected);
  EXPECT_GE(*chunks, 10);  // streamed as the events came, not in one piece at the end
  EXPECT_EQ(*off_strand, 0);
  EXPECT_TRUE(r.body.empty());
  EXPECT_EQ(r.body_bytes, expected.size());
}

TEST_F(StreamingTest, SlowConsumerPausesTheTransferInsteadOfBuffering) {
  constexpr uint64_t kSize = 64ull << 20;
  FakeServer server;
  server.route("GET", "/ndjson", Reply::pattern(kSize, "application/x-ndjson"));
  // The consumer's strand runs on its own thread, so the engine keeps reading while the
  // consumer lags: only the pause/unpause backpressure keeps the queue of chunks bounded.
  boost::asio::io_context consumer_io;
  auto consumer_work = boost::asio::make_work_guard(consumer_io);
  std::thread consumer_thread([&] { consumer_io.run(); });
  auto consumer = boost::asio::make_strand(consumer_io);
  struct State {
    uint64_t total = 0;
    uint64_t wrong = 0;
  };
  auto st = std::make_shared<State>();
  Request req = get(server.url("/ndjson"));
  req.sink = SinkKind::callback;
  req.on_chunk = [st](std::string_view c) {
    for (size_t i = 0; i < c.size(); i += 997)  // spot-check order and content
      if (c[i] != Reply::pattern_byte(st->total + i)) ++st->wrong;
    st->total += c.size();
    std::this_thread::sleep_for(std::chrono::microseconds(200));  // slower than loopback
  };
  std::promise<Response> done;
  Response r;
  size_t growth = peak_memory_growth([&] {
    client_->send(req, consumer, [&](Response resp) { done.set_value(std::move(resp)); });
    auto f = done.get_future();
    ASSERT_EQ(f.wait_for(120s), std::future_status::ready);
    r = f.get();
  });
  consumer_work.reset();
  consumer_thread.join();
  ASSERT_EQ(r.status, AM_OK) << r.error;
  EXPECT_EQ(st->total, kSize);
  EXPECT_EQ(st->wrong, 0u);
  EXPECT_EQ(r.body_bytes, kSize);
  // The backlog is capped at 4 MB of chunks (plus allocator slack), far below the 64 MB body.
  EXPECT_LT(growth, size_t(24) << 20) << "memory grew by " << (growth >> 20) << " MB";
}

}  // namespace
}  // namespace automuse::http::test
