// tests/render_service/render_service_test.cpp — automuse.render/1 on a job: the render runs
// on a worker thread, progress and the single completion arrive on the job's strand, the
// output reads back as a real MP4, a bad timeline names its field, and cancellation
// completes exactly once with AM_CANCELLED and leaves no file. The configured encoder
// (automuse.json's render.encoder) reaches renders whose timeline names none, and the encoder
// used with every candidate tried is in the result. A runtime whose pool is niced renders at a
// lower CPU priority than the rest of the process, encoder threads included (/proc/self/task).
#include "render_service/render_service.hpp"

#include <gtest/gtest.h>

#include <automuse/cpp/str.hpp>
#include <boost/json.hpp>
#include <fstream>
#include <future>
#include <iterator>
#include <map>
#include <sstream>
#include <thread>

#include "core/runtime.hpp"
#include "media_fixtures.h"
#include "support/temp_folder.hpp"

namespace fs = std::filesystem;
using namespace automuse::render::test;

namespace {

struct Outcome {
  am_status status = AM_INTERNAL;
  std::string result, error;
  int progress_calls = 0;
  bool progress_after_done = false;
  bool off_strand = false;
};

struct Call {
  std::shared_ptr<am_job> job;
  std::promise<Outcome> promise;
  Outcome outcome;
  std::atomic<int> done_calls{0};
  bool done = false;
  static void progress(void *user, const am_render_progress *p) {
    auto *c = static_cast<Call *>(user);
    if (!c->job->executor().running_in_this_thread()) c->outcome.off_strand = true;
    if (c->done) c->outcome.progress_after_done = true;
    EXPECT_GE(p->fraction, 0.0);
    EXPECT_LE(p->fraction, 1.0);
    ++c->outcome.progress_calls;
  }
  static void finished(void *user, am_status s, am_str result, am_str error) {
    auto *c = static_cast<Call *>(user);
    if (!c->job->executor().running_in_this_thread()) c->outcome.off_strand = true;
    if (c->done_calls++ != 0) return;
    c->done = true;
    c->outcome.status = s;
    c->outcome.result = am::to_string(result);
    c->outcome.error = am::to_string(error);
    c->promise.set_value(c->outcome);
  }
};

class RenderService : public ::testing::Test {
 protected:
  void SetUp() override {
    write_png(dir_ / "a.png", 320, 240, [](int x, int y) {
      return Rgb{uint8_t(x), uint8_t(y), 80};
    });
    write_tone_wav(dir_ / "voice.wav", 2.0, 330, 0.3);
  }
  std::string timeline(double seconds, const std::string &output) {
    return R"({"canvas": {"width": 270, "height": 480, "fps": 30},
               "scenes": [{"image": "a.png", "duration": )" +
           std::to_string(seconds) + R"(, "motion": "zoom_in"}],
               "audio": {"voice": "voice.wav"},
               "output": {"path": ")" +
           output + R"(", "preset": "ultrafast"}})";
  }
  const am_render_service *svc_ = automuse::render_service::render_service();
  automuse::core::Runtime runtime_{1, 2};
  automuse::testing::TempFolder temp_;
  fs::path dir_ = temp_.path();
};

}  // namespace

TEST_F(RenderService, RendersOnWorkerAndCompletesOnStrand) {
  Call call;
  call.job = runtime_.make_job("render-test");
  std::string tl = timeline(2.0, "out.mp4");
  auto id = svc_->render(call.job.get(), am::to_am_str(tl), am::to_am_str(dir_.string()),
                         &Call::progress, &Call::finished, &call);
  EXPECT_NE(id, 0u);
  auto o = call.promise.get_future().get();
  call.job->wait_idle();
  ASSERT_EQ(o.status, AM_OK) << o.error;
  EXPECT_GT(o.progress_calls, 0);
  EXPECT_FALSE(o.progress_after_done);
  EXPECT_FALSE(o.off_strand);
  auto result = boost::json::parse(o.result).as_object();
  fs::path out(std::string(result.at("output").as_string()));
  auto facts = probe(out);
  EXPECT_EQ(facts.width, 270);
  EXPECT_EQ(facts.height, 480);
  EXPECT_EQ(facts.video_codec, "h264");
  EXPECT_NEAR(facts.format_duration, 2.0, 1.0 / 30 + 0.05);
  EXPECT_TRUE(facts.has_audio);
  // The loudness as written (the default target), besides the voice's own and the gain.
  EXPECT_NEAR(result.at("final_lufs").to_number<double>(), -14.0, 0.2);
  EXPECT_NEAR(result.at("final_lufs").to_number<double>(),
              result.at("measured_lufs").to_number<double>() +
                  result.at("applied_gain_db").to_number<double>(),
              0.2);
  EXPECT_EQ(call.done_calls.load(), 1);
}

TEST_F(RenderService, BadTimelineNamesTheField) {
  Call call;
  call.job = runtime_.make_job("render-test");
  std::string tl = R"({"canvas": {"width": 270, "height": 480},
                       "scenes": [{"image": "missing.png", "duration": 1}],
                       "output": {"path": "x.mp4"}})";
  svc_->render(call.job.get(), am::to_am_str(tl), am::to_am_str(dir_.string()), nullptr,
               &Call::finished, &call);
  auto o = call.promise.get_future().get();
  EXPECT_EQ(o.status, AM_INVALID_ARGUMENT);
  EXPECT_NE(o.error.find("scenes[0]"), std::string::npos) << o.error;
  EXPECT_NE(o.error.find("missing.png"), std::string::npos) << o.error;
  EXPECT_FALSE(fs::exists(dir_ / "x.mp4"));
}

TEST_F(RenderService, ResultCarriesTheRenderersWarnings) {
  // a.png (320x240) covering 298x528 (the canvas and the zoom's margin) is enlarged 2.2x.
  Call call;
  call.job = runtime_.make_job("render-test");
  std::string tl = timeline(0.2, "small.mp4");
  svc_->render(call.job.get(), am::to_am_str(tl), am::to_am_str(dir_.string()), nullptr,
               &Call::finished, &call);
  auto o = call.promise.get_future().get();
  call.job->wait_idle();
  ASSERT_EQ(o.status, AM_OK) << o.error;
  const boost::json::value result = boost::json::parse(o.result);
  const auto &warnings = result.at("warnings").as_array();
  ASSERT_EQ(warnings.size(), 1u) << o.result;
  const std::string w(warnings[0].as_string());
  EXPECT_EQ(w.rfind("scenes[0].image: ", 0), 0u) << w;
  EXPECT_NE(w.find("a.png is 320x240, enlarged 2.2x"), std::string::npos) << w;
}

TEST_F(RenderService, CancelStopsPromptlyExactlyOnceAndLeavesNoFile) {
  Call call;
  call.job = runtime_.make_job("render-test");
  std::string tl = timeline(30.0, "long.mp4");  // far longer than the test waits
  std::atomic<bool> started{false};
  auto id = svc_->render(
      call.job.get(), am::to_am_str(tl), am::to_am_str(dir_.string()),
      [](void *user, const am_render_progress *p) { Call::progress(user, p); }, &Call::finished,
      &call);
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  svc_->cancel(call.job.get(), id);
  svc_->cancel(call.job.get(), id);  // twice: harmless
  auto o = call.promise.get_future().get();
  call.job->wait_idle();
  svc_->cancel(call.job.get(), id);  // after completion: a no-op
  EXPECT_EQ(o.status, AM_CANCELLED) << o.error;
  EXPECT_EQ(call.done_calls.load(), 1);
  EXPECT_FALSE(fs::exists(dir_ / "long.mp4"));
  for (auto &e : fs::directory_iterator(dir_))
    EXPECT_EQ(e.path().filename().string().find("long"), std::string::npos)
        << "left behind: " << e.path();
  (void)started;
}

namespace {

// Renders `tl` and returns the outcome.
Outcome render_now(const am_render_service *svc, automuse::core::Runtime &runtime,
                   const std::string &tl, const fs::path &dir) {
  Call call;
  call.job = runtime.make_job("render-test");
  svc->render(call.job.get(), am::to_am_str(tl), am::to_am_str(dir.string()), nullptr,
              &Call::finished, &call);
  Outcome o = call.promise.get_future().get();
  call.job->wait_idle();
  return o;
}

std::vector<std::string> candidate_names(const boost::json::object &result) {
  std::vector<std::string> names;
  for (const auto &c : result.at("encoder_candidates").as_array())
    names.emplace_back(c.at("encoder").as_string());
  return names;
}

}  // namespace

TEST_F(RenderService, ResultNamesTheEncoderAndItsCandidates) {
  automuse::render_service::configure({});
  Outcome o = render_now(svc_, runtime_, timeline(0.5, "plain.mp4"), dir_);
  ASSERT_EQ(o.status, AM_OK) << o.error;
  auto result = boost::json::parse(o.result).as_object();
  EXPECT_EQ(result.at("encoder"), "libx264");
  const auto &only = result.at("encoder_candidates").as_array();
  ASSERT_EQ(only.size(), 1u);
  EXPECT_EQ(only[0].at("encoder"), "libx264");
  EXPECT_EQ(only[0].at("opened"), true);
  EXPECT_TRUE(only[0].at("reason").is_null());
}

TEST_F(RenderService, ConfiguredEncoderReachesTimelinesThatNameNone) {
  automuse::render_service::configure({.encoder = "auto"});
  Outcome o = render_now(svc_, runtime_, timeline(0.5, "auto.mp4"), dir_);
  ASSERT_EQ(o.status, AM_OK) << o.error;
  auto result = boost::json::parse(o.result).as_object();
  const std::vector<std::string> tried = candidate_names(result);
  ASSERT_FALSE(tried.empty());
  EXPECT_EQ(tried[0], "h264_nvenc");  // auto's order: the configured setting was used
  EXPECT_EQ(std::string(result.at("encoder").as_string()), tried.back());
  for (const auto &c : result.at("encoder_candidates").as_array()) {
    if (c.at("opened").as_bool()) continue;
    EXPECT_FALSE(c.at("reason").as_string().empty()) << boost::json::serialize(c);
  }
  EXPECT_EQ(probe(dir_ / "auto.mp4").video_codec, "h264");

  // A timeline's own encoder wins over the setting.
  std::string own = timeline(0.5, "own.mp4");
  own.replace(own.find(R"("preset")"), 0, R"("encoder": "libx264", )");
  o = render_now(svc_, runtime_, own, dir_);
  ASSERT_EQ(o.status, AM_OK) << o.error;
  EXPECT_EQ(candidate_names(boost::json::parse(o.result).as_object()),
            std::vector<std::string>{"libx264"});
  automuse::render_service::configure({});
}

TEST_F(RenderService, UnknownConfiguredEncoderFailsNamingTheSetting) {
  automuse::render_service::configure({.encoder = "nvenc"});
  Outcome o = render_now(svc_, runtime_, timeline(0.5, "bad.mp4"), dir_);
  automuse::render_service::configure({});
  EXPECT_EQ(o.status, AM_INVALID_ARGUMENT);
  EXPECT_EQ(o.error,
            "automuse.json render.encoder: unknown encoder \"nvenc\" (expected one of: auto, "
            "libx264, h264_nvenc, h264_vaapi, h264_qsv)");
  EXPECT_FALSE(fs::exists(dir_ / "bad.mp4"));
}

namespace {

// The nice value of each thread of this process (field 19 of /proc/self/task/TID/stat; the
// name before it may hold spaces, and ends at the last ')').
std::map<std::string, int> thread_nice_values() {
  std::map<std::string, int> out;
  for (const auto &t : fs::directory_iterator("/proc/self/task")) {
    std::ifstream in(t.path() / "stat");
    std::string stat((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    const size_t end = stat.rfind(')');
    if (end == std::string::npos) continue;  // gone meanwhile
    std::istringstream fields(stat.substr(end + 2));
    std::string f;
    for (int i = 3; i <= 19 && fields >> f; ++i)
      if (i == 19) out[t.path().filename().string()] = std::stoi(f);
  }
  return out;
}

struct NiceWatch {
  std::shared_ptr<am_job> job;
  std::promise<am_status> done;
  int main_nice = 0;
  int most_niced = 0;  // the most threads seen niced above the main thread during the render
  int strand_nice = -100;
  static void progress(void *user, const am_render_progress *) {
    auto *w = static_cast<NiceWatch *>(user);
    int niced = 0;
    for (const auto &[tid, nice] : thread_nice_values()) niced += nice >= w->main_nice + 10;
    w->most_niced = std::max(w->most_niced, niced);
    w->strand_nice = thread_nice_values()[std::to_string(::gettid())];
  }
  static void finished(void *user, am_status s, am_str, am_str) {
    static_cast<NiceWatch *>(user)->done.set_value(s);
  }
};

}  // namespace

TEST_F(RenderService, RendersRunBelowTheProcessPriorityEncoderThreadsIncluded) {
  NiceWatch w;
  w.main_nice = thread_nice_values()[std::to_string(::gettid())];
  {
    automuse::core::Runtime niced{1, 2, 10};  // the host's runtime: limits.worker_nice 10
    w.job = niced.make_job("nice-test");
    const std::string tl = timeline(3.0, "nice.mp4");
    svc_->render(w.job.get(), am::to_am_str(tl), am::to_am_str(dir_.string()), &NiceWatch::progress,
                 &NiceWatch::finished, &w);
    ASSERT_EQ(w.done.get_future().get(), AM_OK);
    w.job->wait_idle();
    // This thread (the server's, in `serve`) and the job's strand (the I/O thread) keep the
    // process's priority; the pool's two threads and the encoder threads the render started
    // from one of them run 10 below it.
    EXPECT_EQ(thread_nice_values()[std::to_string(::gettid())], w.main_nice);
    EXPECT_EQ(w.strand_nice, w.main_nice);
    EXPECT_GT(w.most_niced, 2) << "only the pool's threads were niced: the encoder's were not";
  }
}
