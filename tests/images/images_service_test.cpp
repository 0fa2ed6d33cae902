// tests/images/images_service_test.cpp — automuse.images/1 through its C table on the real host
// core: provider fallback with a report, the cache, a local folder, clips, cancel, and many
// requests at once.
#include "images/images_service.hpp"

#include <automuse/images.h>
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <future>
#include <thread>

#include "cache/cache.hpp"
#include "core/runtime.hpp"
#include "core/services.hpp"
#include "images/title_card.hpp"
#include "support/temp_folder.hpp"

using namespace automuse;
using namespace automuse::images;
namespace fs = std::filesystem;

namespace {

struct Result {
  am_status status = AM_INTERNAL;
  std::string error, path, provider, report;
  int width = 0, height = 0;
  bool is_video = false, from_cache = false;
  double duration = 0;
};

struct Waiter {
  std::promise<Result> promise;
  std::atomic<int> calls{0};
  static void done(void *user, am_status status, am_str error, const am_image_result *r) {
    auto *w = static_cast<Waiter *>(user);
    if (w->calls.fetch_add(1) > 0) return;
    Result out;
    out.status = status;
    out.error.assign(error.data, error.len);
    if (r) {
      out.path.assign(r->path.data, r->path.len);
      out.provider.assign(r->provider.data, r->provider.len);
      out.report.assign(r->report_json.data, r->report_json.len);
      out.width = r->width;
      out.height = r->height;
      out.is_video = r->is_video;
      out.from_cache = r->from_cache;
      out.duration = r->duration;
    }
    w->promise.set_value(std::move(out));
  }
  Result wait() {
    auto f = promise.get_future();
    EXPECT_EQ(f.wait_for(std::chrono::seconds(30)), std::future_status::ready);
    return f.get();
  }
};

am_str S(const std::string &s) {
  return am_str{s.data(), s.size()};
}

class ImagesServiceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    fs::create_directories(dir_ / "mine");
    cache_ = std::make_unique<cache::Cache>(dir_ / "cache");
    ImagesServiceConfig cfg;
    cfg.output_dir = dir_ / "out";
    cfg.cache = cache_.get();
    cfg.default_order = {"folder", "cards"};
    service_ = std::make_unique<ImagesService>(cfg);
    service_->add_provider(make_folder_provider(dir_ / "mine"));
    registry_.add(AM_IMAGES_SERVICE_ID, service_->table());
    ctx_ = core::make_plugin_context("test", registry_, runtime_);
    images_ =
        static_cast<const am_images *>(ctx_->host.get_service(&ctx_->host, AM_IMAGES_SERVICE_ID));
    job_ = runtime_.make_job("images-test");
  }
  void TearDown() override { job_->wait_idle(); }
  Result run(am_image_request req) {
    Waiter w;
    images_->generate(&ctx_->host, job_.get(), &req, Waiter::done, &w);
    return w.wait();
  }
  am_image_request request(const std::string &prompt, const std::string &providers = "") {
    prompt_ = prompt;
    providers_ = providers;
    am_image_request r{};
    r.struct_size = sizeof r;
    r.prompt = S(prompt_);
    r.providers = S(providers_);
    r.width = 270;
    r.height = 480;
    return r;
  }

  automuse::testing::TempFolder temp_;
  fs::path dir_ = temp_.path();
  core::Runtime runtime_{1, 2};
  core::ServiceRegistry registry_;
  std::unique_ptr<cache::Cache> cache_;
  std::unique_ptr<ImagesService> service_;
  std::unique_ptr<core::PluginContext> ctx_;
  const am_images *images_ = nullptr;
  core::JobPtr job_;
  std::string prompt_, providers_;
};

boost::json::array report_of(const Result &r) {
  return boost::json::parse(r.report).as_array();
}

}  // namespace

TEST_F(ImagesServiceTest, EmptyFolderFallsBackToCardsAndSaysSo) {
  Result r = run(request("A calm lake at dawn"));
  ASSERT_EQ(r.status, AM_OK) << r.error;
  EXPECT_EQ(r.provider, "cards");
  EXPECT_EQ(r.width, 270);
  EXPECT_EQ(r.height, 480);
  EXPECT_TRUE(fs::exists(r.path));
  auto report = report_of(r);
  ASSERT_EQ(report.size(), 2u);
  EXPECT_EQ(report[0].at("provider"), "folder");
  EXPECT_EQ(report[0].at("status"), "not found");
  EXPECT_EQ(report[1].at("provider"), "cards");
  EXPECT_EQ(report[1].at("status"), "ok");

  // Cached by (provider, prompt, size): the same request is served from the cache.
  Result again = run(request("A calm lake at dawn", "cards"));
  ASSERT_EQ(again.status, AM_OK) << again.error;
  EXPECT_TRUE(again.from_cache);
  EXPECT_NE(again.path, r.path);
  EXPECT_EQ(fs::file_size(again.path), fs::file_size(r.path));
  // Another size is another entry.
  auto bigger = request("A calm lake at dawn", "cards");
  bigger.width = 360;
  bigger.height = 640;
  Result other = run(bigger);
  EXPECT_FALSE(other.from_cache);
  EXPECT_EQ(other.width, 360);
}

TEST_F(ImagesServiceTest, FolderPicksByNameAndSkipsBrokenOrSmallFiles) {
  render_title_card("ocean", dir_ / "mine" / "ocean_waves.png",
                    CardOptions{270, 480, "DejaVu Sans"});
  render_title_card("city", dir_ / "mine" / "city_night.png", CardOptions{270, 480, "DejaVu Sans"});
  render_title_card("tiny", dir_ / "mine" / "calm_ocean_waves_tiny.png",
                    CardOptions{64, 64, "DejaVu Sans"});
  std::ofstream(dir_ / "mine" / "calm_ocean_waves_dawn.jpg") << "not really a jpeg";
  Result r = run(request("Calm ocean waves at dawn"));
  ASSERT_EQ(r.status, AM_OK) << r.error;
  EXPECT_EQ(r.provider, "folder");
  EXPECT_EQ(fs::path(r.path).filename(), "ocean_waves.png");
  Result city = run(request("The city at night", "folder"));
  EXPECT_EQ(fs::path(city.path).filename(), "city_night.png");
}

TEST_F(ImagesServiceTest, ClipsComeFromTheFolderAndCardsCannotMakeThem) {
  fs::path clip = dir_ / "mine" / "running_track.mp4";
  std::string cmd =
      "ffmpeg -v error -y -f lavfi -i testsrc=size=270x480:rate=10 -t 1 "
      "-pix_fmt yuv420p " +
      clip.string();
  ASSERT_EQ(std::system(cmd.c_str()), 0);
  auto req = request("running on a track", "cards,folder");
  req.kind = AM_MEDIA_VIDEO;
  Result r = run(req);
  ASSERT_EQ(r.status, AM_OK) << r.error;
  EXPECT_TRUE(r.is_video);
  EXPECT_NEAR(r.duration, 1.0, 0.15);
  auto report = report_of(r);
  EXPECT_EQ(report[0].at("status"), "unsupported");

  auto only_cards = request("running", "cards,nosuch");
  only_cards.kind = AM_MEDIA_VIDEO;
  Result fail = run(only_cards);
  EXPECT_EQ(fail.status, AM_UNSUPPORTED);
  EXPECT_NE(fail.error.find("cards: does not supply"), std::string::npos) << fail.error;
  EXPECT_NE(fail.error.find("nosuch: no such provider"), std::string::npos) << fail.error;
}

TEST_F(ImagesServiceTest, BadRequestsAndCheck) {
  Result r = run(request(""));
  EXPECT_EQ(r.status, AM_INVALID_ARGUMENT);
  EXPECT_EQ(r.error, "prompt: is empty");
  std::string junk = (dir_ / "junk.png").string();
  std::ofstream(junk) << "junk";
  am_buffer err{};
  EXPECT_EQ(images_->check(&ctx_->host, S(junk), 10, 10, &err), AM_INVALID_ARGUMENT);
  std::string msg(reinterpret_cast<const char *>(err.data), err.size);
  am_buffer_release(&err);
  EXPECT_NE(msg.find(junk), std::string::npos);
}

TEST_F(ImagesServiceTest, ManyRequestsAtOnceAndCancel) {
  std::vector<std::string> prompts;
  for (int i = 0; i < 6; ++i) prompts.push_back("Scene number " + std::to_string(i));
  // The request's strings are borrowed for the call (the service copies them during it), so
  // they must outlive it: a temporary's would be gone before the call reads it.
  const std::string cards = "cards";
  std::vector<std::unique_ptr<Waiter>> waiters;
  for (const auto &p : prompts) {
    am_image_request req{};
    req.struct_size = sizeof req;
    req.prompt = S(p);
    req.providers = S(cards);
    req.width = 270;
    req.height = 480;
    waiters.push_back(std::make_unique<Waiter>());
    images_->generate(&ctx_->host, job_.get(), &req, Waiter::done, waiters.back().get());
  }
  std::set<std::string> paths;
  for (auto &w : waiters) {
    Result r = w->wait();
    ASSERT_EQ(r.status, AM_OK) << r.error;
    paths.insert(r.path);
  }
  EXPECT_EQ(paths.size(), prompts.size());

  auto req = request("Cancelled before it starts", "cards");
  req.no_cache = true;
  Waiter w;
  am_op_id id = images_->generate(&ctx_->host, job_.get(), &req, Waiter::done, &w);
  images_->cancel(&ctx_->host, job_.get(), id);
  EXPECT_EQ(w.wait().status, AM_CANCELLED);
  job_->wait_idle();
  EXPECT_EQ(w.calls.load(), 1);
}
