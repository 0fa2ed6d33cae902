// An upload's progress (http/upload_progress.hpp): which requests are uploads, the arithmetic
// of a bar spanning the pieces of one file (Content-Range), a piece sent again going back no
// further than its first byte, the speed over a sliding window; and through the
// automuse.http/1 table to the loopback fake, the job observer hearing "upload" on the job's
// strand, in order and before each request's completion, for pieces and for a body_file.
#include "http/upload_progress.hpp"

#include <automuse/http.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <future>
#include <mutex>
#include <string>
#include <vector>

#include "core/job.hpp"
#include "core/job_service.hpp"
#include "core/runtime.hpp"
#include "core/services.hpp"
#include "http/http_service.hpp"
#include "support/fake_server.hpp"
#include "support/temp_folder.hpp"

namespace automuse::http::test {
namespace {

using automuse::testing::FakeServer;
using automuse::testing::Reply;
using namespace std::chrono_literals;

Request with_range(const std::string &range, size_t body_size) {
  Request r;
  r.method = "PUT";
  r.headers = {{"Content-Range", range}};
  r.body.assign(body_size, 'x');
  return r;
}

TEST(UploadProgressRule, ContentRangeIsParsedOnlyInItsWholeForm) {
  auto r = parse_content_range("bytes 262144-524287/1000000");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->first, 262144u);
  EXPECT_EQ(r->last, 524287u);
  EXPECT_EQ(r->total, 1000000u);
  EXPECT_TRUE(parse_content_range(" BYTES 0-0/1 "));
  for (const char *bad : {"bytes */1000", "bytes 5-4/10", "bytes 0-10/10", "bytes 1-2",
                          "items 0-1/2", "bytes -1-2/3", "bytes 0-x/3", ""})
    EXPECT_FALSE(parse_content_range(bad)) << bad;
}

TEST(UploadProgressRule, PiecesAndFilesAreUploadsOtherBodiesAreNot) {
  auto span = upload_span(with_range("bytes 400-799/1000", 400), 400);
  ASSERT_TRUE(span);
  EXPECT_EQ(span->first, 400u);
  EXPECT_EQ(span->total, 1000u);
  // A range that is not this body's, a status query, an API call: no bar.
  EXPECT_FALSE(upload_span(with_range("bytes 400-799/1000", 300), 300));
  Request query = with_range("bytes */1000", 0);
  EXPECT_FALSE(upload_span(query, 0));
  Request json;
  json.method = "POST";
  json.body = R"({"title":"x"})";
  EXPECT_FALSE(upload_span(json, json.body.size()));
  // A file: the whole upload, whatever its method.
  Request file;
  file.method = "POST";
  file.body_file = "/tmp/video.mp4";
  span = upload_span(file, 5000);
  ASSERT_TRUE(span);
  EXPECT_EQ(span->first, 0u);
  EXPECT_EQ(span->total, 5000u);
}

TEST(UploadMeterTest, PiecesSpanTheWholeFileAndAreToldAtMostEvery100Ms) {
  UploadMeter m;
  const auto t0 = Clock::now();
  m.start(0, t0);
  auto p = m.sample(100, 1000, false, t0 + 10ms);  // the first is told at once
  ASSERT_TRUE(p);
  EXPECT_DOUBLE_EQ(p->fraction, 0.1);
  EXPECT_EQ(p->unit, "B/s");
  EXPECT_LT(p->per_second, 0) << "known after 250 ms of samples only";
  EXPECT_LT(p->eta_seconds, 0);
  EXPECT_FALSE(m.sample(200, 1000, false, t0 + 50ms));  // throttled
  p = m.sample(400, 1000, true, t0 + 60ms);             // the piece's end: always told
  ASSERT_TRUE(p);
  EXPECT_DOUBLE_EQ(p->fraction, 0.4);
  // The next piece starts where the last ended: the window (and the pause between) stays.
  m.start(400, t0 + 500ms);
  p = m.sample(600, 1000, false, t0 + 510ms);
  ASSERT_TRUE(p);
  EXPECT_DOUBLE_EQ(p->fraction, 0.6);
  EXPECT_NEAR(p->per_second, 600 / 0.51, 1e-6);
  EXPECT_NEAR(p->eta_seconds, 400 / (600 / 0.51), 1e-6);
  m.start(800, t0 + 600ms);
  p = m.sample(1000, 1000, false, t0 + 610ms);  // the upload's last byte: told, done
  ASSERT_TRUE(p);
  EXPECT_DOUBLE_EQ(p->fraction, 1.0);
  EXPECT_EQ(p->eta_seconds, 0);
}

TEST(UploadMeterTest, APieceSentAgainGoesBackToItsFirstByteNotBelow) {
  UploadMeter m;
  const auto t0 = Clock::now();
  m.start(400, t0);
  ASSERT_TRUE(m.sample(700, 1000, false, t0 + 400ms));
  // The piece failed at 700; the server holds 400 bytes: it goes again from 400.
  m.start(400, t0 + 600ms);
  auto p = m.sample(450, 1000, false, t0 + 700ms);
  ASSERT_TRUE(p);
  EXPECT_DOUBLE_EQ(p->fraction, 0.45);
  EXPECT_LT(p->per_second, 0) << "the window starts again with the resend";
  p = m.sample(800, 1000, true, t0 + 1000ms);
  ASSERT_TRUE(p);
  EXPECT_NEAR(p->per_second, 400 / 0.4, 1e-6);  // from 400 at 600 ms
}

TEST(UploadMeterTest, SpeedIsThatOfTheLastSecondsNotSinceTheStart) {
  UploadMeter m;
  const auto t0 = Clock::now();
  m.start(0, t0);
  std::optional<core::StepProgress> p;
  // 1000 B/s for 5 s, then 100 B/s for 3 s, told every 200 ms.
  for (int i = 1; i <= 40; ++i) {
    const uint64_t pos = i <= 25 ? 200u * i : 5000u + 20u * (i - 25);
    p = m.sample(pos, 100000, false, t0 + i * 200ms);
    ASSERT_TRUE(p) << i;
  }
  EXPECT_NEAR(p->per_second, 100, 1e-6);  // since start it would be 5300 / 8 = 662
  EXPECT_NEAR(p->eta_seconds, (100000 - 5300) / 100.0, 1e-6);
}

TEST(UploadMetersTest, PiecesOfOneUploadShareAMeterOthersDoNot) {
  UploadMeters meters;
  int job_a = 0, job_b = 0;
  auto m = meters.meter(&job_a, "http://h/s1", 1000);
  EXPECT_EQ(meters.meter(&job_a, "http://h/s1", 1000), m);
  const auto b = meters.meter(&job_b, "http://h/s1", 1000);
  EXPECT_NE(b, m);
  EXPECT_NE(meters.meter(&job_a, "http://h/s2", 1000), m);
  meters.finished(&job_a, "http://h/s1", 1000);
  EXPECT_NE(meters.meter(&job_a, "http://h/s1", 1000), m) << "a finished upload starts afresh";
  for (int i = 0; i < 40; ++i) meters.meter(&job_a, "http://h/x" + std::to_string(i), 1000);
  EXPECT_NE(meters.meter(&job_b, "http://h/s1", 1000), b);  // evicted, not kept forever
}

// What the observer heard, and when each request completed, in the order it happened.
struct Heard : core::JobObserver {
  struct Event {
    std::string what;  // "upload", another step's name, or "done"
    double fraction = 0;
    double per_second = -1;
    std::string unit;
    bool on_strand = false;
  };
  void logged(const am_job &, int, std::string_view) override {}
  void progress(const am_job &job, std::string_view step, const core::StepProgress &p) override {
    std::lock_guard lock(mutex);
    auto &j = const_cast<am_job &>(job);
    events.push_back({std::string(step), p.fraction, p.per_second, std::string(p.unit),
                      j.executor().running_in_this_thread()});
  }
  void done() {
    std::lock_guard lock(mutex);
    Event e;
    e.what = "done";
    events.push_back(std::move(e));
  }
  std::vector<Event> take() {
    std::lock_guard lock(mutex);
    return std::exchange(events, {});
  }
  std::mutex mutex;
  std::vector<Event> events;
};

class UploadProgressService : public ::testing::Test {
 protected:
  UploadProgressService() {
    registry_.add(AM_JOB_SERVICE_ID, core::job_service());
    registry_.add(AM_HTTP_SERVICE_ID, service_.table());
    core::set_job_observer(heard_);
    job_ = runtime_.make_job("upload-test");
  }
  ~UploadProgressService() override {
    core::set_job_observer(nullptr);
    runtime_.stop();
  }

  struct Sent {
    Heard *heard;
    std::promise<int> status;
  };
  // Sends through the C table, as a plugin does; returns the HTTP status.
  int send(const std::string &method, const std::string &path, const std::string &range,
           const std::string &body, const std::string &body_file = "") {
    const std::string url = server_.url(path);
    am_http_header headers[] = {{s("Content-Range"), s(range)}};
    am_http_request req{};
    req.struct_size = sizeof req;
    req.method = s(method);
    req.url = s(url);
    req.headers = headers;
    req.header_count = range.empty() ? 0 : 1;
    req.body = s(body);
    req.body_file = s(body_file);
    req.max_attempts = 1;
    Sent sent{heard_.get(), {}};
    service_.table()->send(
        service_.table(), job_.get(), &req,
        [](void *user, const am_http_response *r) {
          auto *sent = static_cast<Sent *>(user);
          sent->heard->done();
          sent->status.set_value(r->http_status);
        },
        &sent);
    auto f = sent.status.get_future();
    EXPECT_EQ(f.wait_for(10s), std::future_status::ready);
    const int status = f.get();
    job_->wait_idle();
    return status;
  }
  static am_str s(std::string_view v) { return am_str{v.data(), v.size()}; }

  std::shared_ptr<Heard> heard_ = std::make_shared<Heard>();
  core::Runtime runtime_{1, 1};
  HttpClient client_{runtime_.io()};
  HttpService service_{client_};
  core::ServiceRegistry registry_;
  core::JobPtr job_;
  FakeServer server_;
};

// The fractions of "upload" heard up to each "done".
std::vector<std::vector<double>> per_request(const std::vector<Heard::Event> &events) {
  std::vector<std::vector<double>> out(1);
  for (const auto &e : events) {
    if (e.what == "done") {
      out.emplace_back();
      continue;
    }
    EXPECT_EQ(e.what, "upload");
    EXPECT_EQ(e.unit, "B/s");
    EXPECT_TRUE(e.on_strand) << "told off the job's strand";
    out.back().push_back(e.fraction);
  }
  out.pop_back();  // after the last done: nothing
  return out;
}

TEST_F(UploadProgressService, PiecesOfAFileFillOneBarOnTheJobsStrandBeforeEachCompletion) {
  // Each answer waits, so the next piece's first bytes are told too (100 ms apart).
  server_.route("PUT", "/session/*", Reply::text("", 308).with_latency(150ms)).discard_body();
  server_.route("POST", "/start", Reply::json(R"({"ok":true})"));
  constexpr size_t kPiece = 256 * 1024, kTotal = 3 * kPiece;
  const std::string piece(kPiece, 'v');
  auto range = [&](size_t i) {
    return "bytes " + std::to_string(i * kPiece) + "-" + std::to_string((i + 1) * kPiece - 1) +
           "/" + std::to_string(kTotal);
  };
  EXPECT_EQ(send("POST", "/start", "", R"({"title":"t"})"), 200);  // not an upload
  EXPECT_EQ(send("PUT", "/session/1", "bytes */" + std::to_string(kTotal), ""), 308);  // query
  EXPECT_EQ(send("PUT", "/session/1", range(0), piece), 308);
  EXPECT_EQ(send("PUT", "/session/1", range(1), piece), 308);
  EXPECT_EQ(send("PUT", "/session/1", range(1), piece), 308);  // sent again
  EXPECT_EQ(send("PUT", "/session/1", range(2), piece), 308);
  const auto heard = per_request(heard_->take());
  ASSERT_EQ(heard.size(), 6u);
  EXPECT_TRUE(heard[0].empty() && heard[1].empty()) << "a JSON call or a query has no bar";
  for (size_t i = 2; i < 6; ++i) {
    const size_t piece_index = i == 2 ? 0 : i <= 4 ? 1 : 2;
    ASSERT_GE(heard[i].size(), 2u) << i << ": its first bytes and its end";
    EXPECT_TRUE(std::is_sorted(heard[i].begin(), heard[i].end())) << i;
    EXPECT_GT(heard[i].front(), piece_index / 3.0) << i;  // never behind the piece's first byte
    EXPECT_DOUBLE_EQ(heard[i].back(), (piece_index + 1) / 3.0) << i;
  }
  EXPECT_LT(heard[4].front(), heard[3].back()) << "the resend went back, to its piece";
}

TEST_F(UploadProgressService, AFileBodyIsAWholeUpload) {
  automuse::testing::TempFolder dir;
  const auto file = dir.path() / "video.mp4";
  automuse::testing::write_file(file, std::string(600 * 1024, 'm'));
  server_.route("POST", "/rupload", Reply::json(R"({"success":true})")).discard_body();
  EXPECT_EQ(send("POST", "/rupload", "", "", file.string()), 200);
  const auto heard = per_request(heard_->take());
  ASSERT_EQ(heard.size(), 1u);
  ASSERT_FALSE(heard[0].empty());
  EXPECT_TRUE(std::is_sorted(heard[0].begin(), heard[0].end()));
  EXPECT_GT(heard[0].front(), 0);
  EXPECT_DOUBLE_EQ(heard[0].back(), 1.0);
}

TEST_F(UploadProgressService, NoObserverNoProgress) {
  core::set_job_observer(nullptr);
  server_.route("PUT", "/session/*", Reply::text("", 308)).discard_body();
  EXPECT_EQ(send("PUT", "/session/2", "bytes 0-9/20", "0123456789"), 308);
  core::set_job_observer(heard_);
  const auto events = heard_->take();
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].what, "done");
}

}  // namespace
}  // namespace automuse::http::test
