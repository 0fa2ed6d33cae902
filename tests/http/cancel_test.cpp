// Cancellation: a request completes exactly once with AM_CANCELLED, whether it is cancelled
// mid-body, while waiting to retry, or when the client shuts down; cancelling a finished id is
// a harmless no-op.
#include <filesystem>

#include "client_fixture.hpp"
#include "support/files.hpp"
#include "support/temp_folder.hpp"

namespace automuse::http::test {
namespace {

class CancelTest : public ClientFixture {
 protected:
  struct Tracker {
    std::atomic<int> completions{0};
    std::atomic<size_t> chunk_bytes{0};
    std::promise<Response> first;
  };
};

TEST_F(CancelTest, CancelMidBodyCompletesOnceWithCancelled) {
  FakeServer server;
  // 2 MB dribbled 16 KB every 20 ms: takes ~2.5 s unless cancelled.
  server.route("GET", "/big", Reply::pattern(2 << 20).with_dribble(0, 20ms));
  auto t = std::make_shared<Tracker>();
  std::promise<void> got_some;
  auto got_some_future = got_some.get_future();
  auto flagged = std::make_shared<std::atomic<bool>>(false);
  Request req = get(server.url("/big"));
  req.sink = SinkKind::callback;
  req.on_chunk = [t, flagged, &got_some](std::string_view chunk) {
    t->chunk_bytes += chunk.size();
    if (!flagged->exchange(true)) got_some.set_value();
  };
  uint64_t id = client_->send(req, job_, [t](Response r) {
    if (t->completions.fetch_add(1) == 0) t->first.set_value(std::move(r));
  });
  ASSERT_EQ(got_some_future.wait_for(5s), std::future_status::ready);
  client_->cancel(id);
  auto future = t->first.get_future();
  ASSERT_EQ(future.wait_for(5s), std::future_status::ready);
  Response r = future.get();
  EXPECT_EQ(r.status, AM_CANCELLED);
  size_t at_cancel = t->chunk_bytes;
  EXPECT_GT(at_cancel, 0u);
  EXPECT_LT(at_cancel, size_t(2 << 20));
  client_->cancel(id);  // again: no-op
  std::this_thread::sleep_for(300ms);
  EXPECT_EQ(t->completions, 1);
  EXPECT_EQ(t->chunk_bytes, at_cancel);  // nothing arrives after cancellation completed
  EXPECT_EQ(client_->in_flight(), 0u);
}

TEST_F(CancelTest, CancelMidDownloadToFileLeavesNoFile) {
  namespace fs = std::filesystem;
  automuse::testing::TempFolder tmp;
  fs::path dir = tmp.path();
  FakeServer server;
  server.route("GET", "/big", Reply::pattern(4 << 20).with_dribble(16 * 1024, 20ms));
  Request req = get(server.url("/big"));
  req.sink = SinkKind::file;
  req.response_file = dir / "big.bin";
  auto t = std::make_shared<Tracker>();
  uint64_t id = client_->send(req, job_, [t](Response r) {
    if (t->completions.fetch_add(1) == 0) t->first.set_value(std::move(r));
  });
  // Wait until part of the body is on disk, then cancel.
  auto part_size = [&] {
    std::error_code ec;
    auto parts = automuse::testing::part_files(req.response_file);
    return parts.size() == 1 ? fs::file_size(parts[0], ec) : 0;
  };
  for (int i = 0; i < 250 && part_size() < 64 * 1024; ++i) std::this_thread::sleep_for(20ms);
  ASSERT_GE(part_size(), 64u * 1024) << "no body arrived";
  client_->cancel(id);
  auto future = t->first.get_future();
  ASSERT_EQ(future.wait_for(5s), std::future_status::ready);
  Response r = future.get();
  EXPECT_EQ(r.status, AM_CANCELLED);
  EXPECT_FALSE(fs::exists(req.response_file)) << "a cancelled download must not look complete";
  EXPECT_TRUE(automuse::testing::part_files(req.response_file).empty())
      << "the partial file is removed";
  std::this_thread::sleep_for(100ms);
  EXPECT_EQ(t->completions, 1);
}

TEST_F(CancelTest, CancelWhileWaitingToRetry) {
  FakeServer server;
  server.route("GET", "/busy", Reply::too_many_requests(30));
  auto t = std::make_shared<Tracker>();
  uint64_t id = client_->send(get(server.url("/busy")), job_, [t](Response r) {
    if (t->completions.fetch_add(1) == 0) t->first.set_value(std::move(r));
  });
  ASSERT_TRUE(server.wait_for_requests(1));
  std::this_thread::sleep_for(50ms);
  auto started = Clock::now();
  client_->cancel(id);
  auto future = t->first.get_future();
  ASSERT_EQ(future.wait_for(5s), std::future_status::ready);
  EXPECT_EQ(future.get().status, AM_CANCELLED);
  EXPECT_LT(Clock::now() - started, 2s);  // did not sit out the 30 s wait
  std::this_thread::sleep_for(100ms);
  EXPECT_EQ(t->completions, 1);
  EXPECT_EQ(server.request_count(), 1u);
}

TEST_F(CancelTest, CancelAfterCompletionIsANoOp) {
  FakeServer server;
  server.route("GET", "/x", Reply::text("x"));
  auto t = std::make_shared<Tracker>();
  uint64_t id = client_->send(get(server.url("/x")), job_, [t](Response r) {
    if (t->completions.fetch_add(1) == 0) t->first.set_value(std::move(r));
  });
  EXPECT_EQ(t->first.get_future().get().status, AM_OK);
  client_->cancel(id);
  client_->cancel(987654321);  // never existed
  std::this_thread::sleep_for(100ms);
  EXPECT_EQ(t->completions, 1);
}

TEST_F(CancelTest, ShutdownCancelsEverythingExactlyOnce) {
  FakeServer server;
  server.route("GET", "/hang", Reply::text("late").with_latency(10s));
  auto count = std::make_shared<std::atomic<int>>(0);
  auto cancelled = std::make_shared<std::atomic<int>>(0);
  for (int i = 0; i < 20; ++i)
    client_->send(get(server.url("/hang")), job_, [count, cancelled](Response r) {
      ++*count;
      if (r.status == AM_CANCELLED) ++*cancelled;
    });
  ASSERT_TRUE(server.wait_for_requests(16));  // the default per-host cap is 16
  client_.reset();
  for (int i = 0; i < 100 && *count < 20; ++i) std::this_thread::sleep_for(20ms);
  EXPECT_EQ(*count, 20);
  EXPECT_EQ(*cancelled, 20);
}

}  // namespace
}  // namespace automuse::http::test
