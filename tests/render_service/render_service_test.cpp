// tests/render_service/render_service_test.cpp — automuse.render/1 on a job: the render runs
// in an automuse-render-worker child of this process (seen in /proc while its progress
// arrives), progress rises and it and the single completion arrive on the job's strand, the
// output reads back as a real MP4, a bad timeline names its field (the same words in the
// worker and in-process), and cancellation completes exactly once with AM_CANCELLED, leaves no
// file and reaps the worker. A worker killed mid-render is an AM_INTERNAL naming it and the
// signal, and the next render works. The configured encoder (automuse.json's
// render.encoder) reaches renders whose timeline names none, and the encoder used with every
// candidate tried is in the result. A runtime whose pool is niced renders at a lower CPU
// priority than the rest of the process, the worker's encoder threads included (/proc). With
// $AUTOMUSE_RENDER_WORKER naming no executable, renders run in this process.
#include "render_service/render_service.hpp"

#include <gtest/gtest.h>
#include <signal.h>
#include <stdlib.h>
#include <unistd.h>

#include <algorithm>
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

// The automuse-render-worker processes whose parent is this process (/proc/PID/stat's 4th
// field; the name before it may hold spaces and ends at the last ')').
std::vector<int> worker_children() {
  std::vector<int> pids;
  for (const auto &p : fs::directory_iterator("/proc")) {
    const std::string name = p.path().filename().string();
    if (name.find_first_not_of("0123456789") != std::string::npos) continue;
    std::error_code ec;
    if (fs::read_symlink(p.path() / "exe", ec).filename() != "automuse-render-worker") continue;
    std::ifstream in(p.path() / "stat");
    std::string stat((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    const size_t end = stat.rfind(')');
    if (end == std::string::npos) continue;
    std::istringstream fields(stat.substr(end + 2));
    std::string state;
    int ppid = 0;
    if (fields >> state >> ppid && ppid == ::getpid()) pids.push_back(std::stoi(name));
  }
  return pids;
}

struct Outcome {
  am_status status = AM_INTERNAL;
  std::string result, error;
  int progress_calls = 0;
  bool progress_after_done = false;
  bool off_strand = false;
  std::vector<double> fractions;
  std::vector<int> workers;  // render workers seen while progress arrived
};

struct Call {
  std::shared_ptr<am_job> job;
  std::promise<Outcome> promise;
  Outcome outcome;
  std::atomic<int> done_calls{0};
  std::atomic<int> progress_seen{0};  // for the test's thread (outcome is the strand's)
  bool done = false;
  static void progress(void *user, const am_render_progress *p) {
    auto *c = static_cast<Call *>(user);
    if (!c->job->executor().running_in_this_thread()) c->outcome.off_strand = true;
    if (c->done) c->outcome.progress_after_done = true;
    EXPECT_GE(p->fraction, 0.0);
    EXPECT_LE(p->fraction, 1.0);
    ++c->outcome.progress_calls;
    c->outcome.fractions.push_back(p->fraction);
    for (int pid : worker_children())
      if (std::find(c->outcome.workers.begin(), c->outcome.workers.end(), pid) ==
          c->outcome.workers.end())
        c->outcome.workers.push_back(pid);
    ++c->progress_seen;
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

namespace {

size_t open_fds() {
  return static_cast<size_t>(std::distance(fs::directory_iterator("/proc/self/fd"), {}));
}

}  // namespace

TEST_F(RenderService, RendersOnWorkerAndCompletesOnStrand) {
  const size_t fds_before = open_fds();
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
  EXPECT_TRUE(std::is_sorted(o.fractions.begin(), o.fractions.end()));
  EXPECT_DOUBLE_EQ(o.fractions.back(), 1.0);
  // One worker process rendered it, and it was reaped before the completion was delivered.
  ASSERT_EQ(o.workers.size(), 1u);
  EXPECT_NE(o.workers[0], ::getpid());
  EXPECT_FALSE(fs::exists("/proc/" + std::to_string(o.workers[0])));  // not even a zombie
  EXPECT_EQ(open_fds(), fds_before) << "the worker's socket or pipe was left open";
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

namespace {

// While alive, $AUTOMUSE_RENDER_WORKER names `value` (renders look it up as they start).
struct WorkerSetting {
  explicit WorkerSetting(const std::string &value) {
    ::setenv("AUTOMUSE_RENDER_WORKER", value.c_str(), 1);
  }
  ~WorkerSetting() { ::unsetenv("AUTOMUSE_RENDER_WORKER"); }
};

}  // namespace

TEST_F(RenderService, BadTimelineNamesTheFieldInTheWorkerAsInProcess) {
  std::string tl = R"({"canvas": {"width": 270, "height": 480},
                       "scenes": [{"image": "missing.png", "duration": 1}],
                       "output": {"path": "x.mp4"}})";
  auto bad = [&] {
    Call call;
    call.job = runtime_.make_job("render-test");
    svc_->render(call.job.get(), am::to_am_str(tl), am::to_am_str(dir_.string()), nullptr,
                 &Call::finished, &call);
    auto o = call.promise.get_future().get();
    call.job->wait_idle();
    return o;
  };
  const Outcome worker = bad();
  EXPECT_EQ(worker.status, AM_INVALID_ARGUMENT);
  EXPECT_NE(worker.error.find("scenes[0]"), std::string::npos) << worker.error;
  EXPECT_NE(worker.error.find("missing.png"), std::string::npos) << worker.error;
  EXPECT_FALSE(fs::exists(dir_ / "x.mp4"));
  WorkerSetting none((dir_ / "a.png").string());  // a file, not an executable
  const Outcome in_process = bad();
  EXPECT_EQ(in_process.status, AM_INVALID_ARGUMENT);
  EXPECT_EQ(in_process.error, worker.error);
}

TEST_F(RenderService, UnusableWorkerSettingRendersInThisProcess) {
  WorkerSetting none((dir_ / "no-such-worker").string());
  Call call;
  call.job = runtime_.make_job("render-test");
  std::string tl = timeline(1.0, "here.mp4");
  svc_->render(call.job.get(), am::to_am_str(tl), am::to_am_str(dir_.string()), &Call::progress,
               &Call::finished, &call);
  auto o = call.promise.get_future().get();
  call.job->wait_idle();
  ASSERT_EQ(o.status, AM_OK) << o.error;
  EXPECT_GT(o.progress_calls, 0);
  EXPECT_TRUE(o.workers.empty()) << "a worker ran although none was usable";
  EXPECT_EQ(probe(dir_ / "here.mp4").height, 480);
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
std::map<std::string, int> thread_nice_values(const fs::path &process = "/proc/self") {
  std::map<std::string, int> out;
  std::error_code ec;  // a worker may end while its threads are read
  for (const auto &t : fs::directory_iterator(process / "task", ec)) {
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
  int most_niced = 0;     // the most worker threads seen niced above the main thread
  int least_niced = 100;  // the least nice value seen of any worker thread
  int strand_nice = -100;
  static void progress(void *user, const am_render_progress *) {
    auto *w = static_cast<NiceWatch *>(user);
    for (int pid : worker_children()) {
      int niced = 0;
      for (const auto &[tid, nice] : thread_nice_values("/proc/" + std::to_string(pid))) {
        niced += nice >= w->main_nice + 10;
        w->least_niced = std::min(w->least_niced, nice);
      }
      w->most_niced = std::max(w->most_niced, niced);
    }
    w->strand_nice = thread_nice_values()[std::to_string(::gettid())];
  }
  static void finished(void *user, am_status s, am_str, am_str) {
    static_cast<NiceWatch *>(user)->done.set_value(s);
  }
};

}  // namespace

TEST_F(RenderService, WorkersRunBelowTheProcessPriorityEncoderThreadsIncluded) {
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
    // process's priority; the render worker, started from a pool thread, runs 10 below it
    // with every thread of its own (the encoder's included).
    EXPECT_EQ(thread_nice_values()[std::to_string(::gettid())], w.main_nice);
    EXPECT_EQ(w.strand_nice, w.main_nice);
    EXPECT_GT(w.most_niced, 2) << "the worker's encoder threads were not niced";
    EXPECT_EQ(w.least_niced, std::min(19, w.main_nice + 10)) << "a worker thread ran un-niced";
  }
}

TEST_F(RenderService, KilledWorkerIsAnInternalErrorAndTheNextRenderWorks) {
  struct Killer : Call {
    int killed = 0;
    static void progress(void *user, const am_render_progress *p) {
      auto *k = static_cast<Killer *>(user);
      Call::progress(user, p);
      if (k->killed == 0 && !k->outcome.workers.empty()) {
        k->killed = k->outcome.workers[0];
        ::kill(k->killed, SIGKILL);
      }
    }
  } call;
  call.job = runtime_.make_job("render-test");
  std::string tl = timeline(30.0, "killed.mp4");
  svc_->render(call.job.get(), am::to_am_str(tl), am::to_am_str(dir_.string()), &Killer::progress,
               &Call::finished, &call);
  auto o = call.promise.get_future().get();
  call.job->wait_idle();
  ASSERT_NE(call.killed, 0);
  EXPECT_EQ(o.status, AM_INTERNAL);
  EXPECT_NE(o.error.find("render worker"), std::string::npos) << o.error;
  EXPECT_NE(o.error.find("pid " + std::to_string(call.killed)), std::string::npos) << o.error;
  EXPECT_NE(o.error.find("killed by signal 9"), std::string::npos) << o.error;
  EXPECT_EQ(call.done_calls.load(), 1);
  EXPECT_FALSE(fs::exists("/proc/" + std::to_string(call.killed)));
  // Its temporary file was removed for it.
  for (auto &e : fs::directory_iterator(dir_))
    EXPECT_EQ(e.path().filename().string().find("killed"), std::string::npos)
        << "left behind: " << e.path();

  Outcome next = render_now(svc_, runtime_, timeline(0.5, "next.mp4"), dir_);
  EXPECT_EQ(next.status, AM_OK) << next.error;
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
  auto id = svc_->render(call.job.get(), am::to_am_str(tl), am::to_am_str(dir_.string()),
                         &Call::progress, &Call::finished, &call);
  // Mid-render: once frames are being encoded (the worker is up), however busy the machine.
  for (int i = 0; i < 3000 && call.progress_seen == 0; ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  ASSERT_GT(call.progress_seen.load(), 0) << "no progress in 15 s";
  svc_->cancel(call.job.get(), id);
  svc_->cancel(call.job.get(), id);  // twice: harmless
  auto o = call.promise.get_future().get();
  call.job->wait_idle();
  svc_->cancel(call.job.get(), id);  // after completion: a no-op
  EXPECT_EQ(o.status, AM_CANCELLED) << o.error;
  EXPECT_EQ(call.done_calls.load(), 1);
  EXPECT_FALSE(fs::exists(dir_ / "long.mp4"));
  // The worker that was rendering got the SIGTERM and was reaped.
  ASSERT_EQ(o.workers.size(), 1u);
  EXPECT_FALSE(fs::exists("/proc/" + std::to_string(o.workers[0])));
  for (auto &e : fs::directory_iterator(dir_))
    EXPECT_EQ(e.path().filename().string().find("long"), std::string::npos)
        << "left behind: " << e.path();
}
