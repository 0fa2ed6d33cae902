// tests/images/remote_images_test.cpp — the network image providers through the service and
// the real HTTP service against loopback fakes: b64 and URL answers, Gemini inline data,
// Pexels photos and portrait clips, rate limits, corrupt and too-small answers that fall
// back to the next provider with the report saying so, and requests running concurrently.
#include "images/remote_images.hpp"

#include <gtest/gtest.h>
#include <openssl/evp.h>

#include <algorithm>
#include <boost/json.hpp>
#include <filesystem>
#include <fstream>
#include <future>
#include <sstream>

#include "cache/cache.hpp"
#include "core/runtime.hpp"
#include "http/http_client.hpp"
#include "images/images_service.hpp"
#include "images/title_card.hpp"
#include "support/images/fake_image_apis.hpp"
#include "support/released.hpp"
#include "support/temp_folder.hpp"

using namespace automuse;
using namespace automuse::images;
using automuse::testing::FakeImageApis;
using automuse::testing::FakeServer;
using automuse::testing::Reply;
namespace fs = std::filesystem;

namespace {

struct Outcome {
  am_status status = AM_INTERNAL;
  std::string error;
  ImageOutcome result;
};

class RemoteImagesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ImagesServiceConfig cfg;
    cfg.output_dir = dir_ / "out";
    service_ = std::make_unique<ImagesService>(cfg);
    OpenAiImagesConfig oa;
    oa.base_url = server_.url("/v1");
    oa.api_key = FakeImageApis::kOpenAiKey;
    service_->add_provider(make_openai_images_provider(*http_, oa));
    OpenAiImagesConfig venice = oa;  // an OpenAI-compatible service, by base URL and name
    venice.name = "venice";
    venice.model = "dall-e-3";
    service_->add_provider(make_openai_images_provider(*http_, venice));
    GeminiImagesConfig g;
    g.base_url = server_.url("/v1beta");
    g.api_key = FakeImageApis::kGeminiKey;
    service_->add_provider(make_gemini_images_provider(*http_, g));
    PexelsConfig p;
    p.base_url = server_.base_url();
    p.api_key = FakeImageApis::kPexelsKey;
    service_->add_provider(make_pexels_provider(*http_, p));
    job_ = runtime_.make_job("remote-images");
  }
  void TearDown() override { job_->wait_idle(); }

  std::shared_ptr<std::promise<Outcome>> start(std::vector<std::string> order,
                                               MediaKind kind = MediaKind::kImage,
                                               std::string prompt = "A lighthouse in a storm") {
    ImageRequest r;
    r.prompt = std::move(prompt);
    r.width = 1080;
    r.height = 1920;
    r.min_width = 300;
    r.min_height = 500;
    r.kind = kind;
    auto promise = std::make_shared<std::promise<Outcome>>();
    service_->generate(*job_, r, std::move(order), false,
                       [promise](am_status s, const std::string &e, const ImageOutcome *o) {
                         promise->set_value(Outcome{s, e, o ? *o : ImageOutcome{}});
                       });
    return promise;
  }
  Outcome run(std::vector<std::string> order, MediaKind kind = MediaKind::kImage) {
    auto f = start(std::move(order), kind)->get_future();
    EXPECT_EQ(f.wait_for(std::chrono::seconds(30)), std::future_status::ready);
    return f.get();
  }

  automuse::testing::TempFolder temp_;
  fs::path dir_ = temp_.path();
  FakeServer server_;
  FakeImageApis fake_{server_, dir_ / "served"};
  core::Runtime runtime_{1, 2};
  std::unique_ptr<http::HttpClient> http_ = std::make_unique<http::HttpClient>(runtime_.io());
  std::unique_ptr<ImagesService> service_;
  core::JobPtr job_;
};

}  // namespace

TEST_F(RemoteImagesTest, OpenAiBase64AndUrlAnswers) {
  Outcome o = run({"openai"});
  ASSERT_EQ(o.status, AM_OK) << o.error;
  EXPECT_EQ(o.result.provider, "openai");
  EXPECT_EQ(o.result.info.width, 1024);
  EXPECT_EQ(o.result.info.height, 1536);
  EXPECT_EQ(fs::path(o.result.path).extension(), ".png");
  auto body = server_.requests("/v1/images/generations").at(0).json();
  EXPECT_EQ(body.at("size"), "1024x1536");
  EXPECT_FALSE(body.as_object().contains("response_format"));

  fake_.openai_answers_with_url(true);
  Outcome v = run({"venice"});
  ASSERT_EQ(v.status, AM_OK) << v.error;
  EXPECT_EQ(v.result.provider, "venice");
  EXPECT_EQ(server_.requests("/files/generated.png").size(), 1u);
  EXPECT_EQ(server_.requests("/v1/images/generations").at(1).json().at("size"), "1024x1792");
}

TEST_F(RemoteImagesTest, GeminiInlineDataAfterARateLimit) {
  fake_.inject("gemini", 1, Reply::too_many_requests(1));
  Outcome o = run({"gemini"});
  ASSERT_EQ(o.status, AM_OK) << o.error;
  EXPECT_EQ(o.result.info.codec, "png");
  auto reqs = server_.requests("/v1beta/models/gemini-2.5-flash-image:generateContent");
  EXPECT_EQ(reqs.size(), 2u);
  EXPECT_EQ(reqs.back().header("x-goog-api-key"), std::string(FakeImageApis::kGeminiKey));
}

TEST_F(RemoteImagesTest, PexelsPhotosAndPortraitClips) {
  Outcome photo = run({"pexels"});
  ASSERT_EQ(photo.status, AM_OK) << photo.error;
  auto search = server_.requests("/v1/search").at(0);
  EXPECT_EQ(search.header("Authorization"), std::string(FakeImageApis::kPexelsKey));
  EXPECT_EQ(search.query_param("query"), std::string("A lighthouse in a storm"));

  Outcome clip = run({"pexels"}, MediaKind::kVideo);
  ASSERT_EQ(clip.status, AM_OK) << clip.error;
  EXPECT_TRUE(clip.result.info.is_video);
  EXPECT_EQ(clip.result.info.width, 360);  // the portrait mp4, not HLS nor the landscape one
  EXPECT_EQ(clip.result.info.height, 640);
  EXPECT_TRUE(server_.requests("/files/landscape.mp4").empty());
}

TEST_F(RemoteImagesTest, CorruptOrSmallAnswersFallBackAndTheReportSaysSo) {
  // OpenAI sends bytes that are not a picture; Gemini sends a picture that is too small.
  fake_.inject(
      "openai", 1,
      Reply::json(R"({"created":1,"data":[{"b64_json":"bm90IGFuIGltYWdlIGF0IGFsbA=="}]})"));
  fs::path tiny = dir_ / "tiny.png";
  render_title_card("tiny", tiny, CardOptions{64, 64, "DejaVu Sans"});
  std::ifstream in(tiny, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  std::string b64;
  {
    std::string bytes = ss.str();
    std::string out(4 * ((bytes.size() + 2) / 3) + 1, '\0');
    out.resize(static_cast<size_t>(EVP_EncodeBlock(
        reinterpret_cast<unsigned char *>(out.data()),
        reinterpret_cast<const unsigned char *>(bytes.data()), static_cast<int>(bytes.size()))));
    b64 = out;
  }
  fake_.inject(
      "gemini", 1,
      Reply::json(
          R"({"candidates":[{"content":{"parts":[{"inlineData":{"mimeType":"image/png","data":")" +
          b64 + R"("}}]}}]})"));
  fake_.inject("pexels", 1, Reply::json(R"({"error":"Rate limit exceeded"})", 403));
  Outcome o = run({"openai", "gemini", "pexels", "cards"});
  ASSERT_EQ(o.status, AM_OK) << o.error;
  EXPECT_EQ(o.result.provider, "cards");
  auto report = boost::json::parse(attempts_json(o.result.attempts)).as_array();
  ASSERT_EQ(report.size(), 4u);
  EXPECT_EQ(report[0].at("provider"), "openai");
  EXPECT_EQ(report[0].at("status"), "invalid argument");
  EXPECT_NE(std::string(report[0].at("error").as_string()).find("decode"), std::string::npos);
  EXPECT_NE(std::string(report[1].at("error").as_string()).find("too small: 64x64"),
            std::string::npos);
  EXPECT_EQ(report[2].at("status"), "permission denied");
  EXPECT_EQ(report[3].at("status"), "ok");
  // Rejected downloads are not left behind in the output folder.
  size_t files = 0;
  for (const auto &e : fs::directory_iterator(dir_ / "out")) files += e.is_regular_file();
  EXPECT_EQ(files, 1u);
}

TEST_F(RemoteImagesTest, MalformedAnswersAndBadKeysAreClearErrors) {
  fake_.inject("openai", 1, Reply::json(R"({"created":1,"data":[]})"));
  Outcome empty = run({"openai"});
  EXPECT_EQ(empty.status, AM_ERROR);
  EXPECT_NE(empty.error.find("openai: malformed answer"), std::string::npos) << empty.error;

  fake_.inject(
      "gemini", 1,
      Reply::json(R"({"candidates":[{"content":{"parts":[{"text":"I cannot draw that"}]}}]})"));
  Outcome text_only = run({"gemini"});
  EXPECT_NE(text_only.error.find("text only"), std::string::npos) << text_only.error;

  ImagesServiceConfig cfg;
  cfg.output_dir = dir_ / "out2";
  ImagesService other(cfg);
  OpenAiImagesConfig bad;
  bad.base_url = server_.url("/v1");
  bad.api_key = "sk-wrong";
  other.add_provider(make_openai_images_provider(*http_, bad));
  ImageRequest r;
  r.prompt = "x";
  std::promise<std::pair<am_status, std::string>> p;
  other.generate(*job_, r, {"openai"}, false,
                 [&p](am_status s, const std::string &e, const ImageOutcome *) {
                   p.set_value({s, e});
                 });
  auto [status, error] = p.get_future().get();
  EXPECT_EQ(status, AM_UNAUTHENTICATED);
  EXPECT_EQ(error.find("sk-wrong"), std::string::npos);
}

TEST_F(RemoteImagesTest, RequestsRunConcurrently) {
  server_.route(
      "POST", "/v1/images/generations", [this](const automuse::testing::ReceivedRequest &) {
        return Reply::json(boost::json::value(
                               boost::json::object{{"data", boost::json::array{boost::json::object{
                                                                {"b64_json", std::string()}}}}}))
            .with_latency(automuse::testing::Ms(400));
      });
  std::vector<std::shared_ptr<std::promise<Outcome>>> all;
  for (int i = 0; i < 4; ++i)
    all.push_back(start({"openai"}, MediaKind::kImage, "scene " + std::to_string(i)));
  for (auto &p : all) p->get_future().wait();
  auto reqs = server_.requests("/v1/images/generations");
  ASSERT_EQ(reqs.size(), 4u);
  auto [first, last] = std::minmax_element(
      reqs.begin(), reqs.end(), [](auto &a, auto &b) { return a.received_at < b.received_at; });
  // One after another they would arrive at least 3 x 400 ms apart.
  EXPECT_LT(last->received_at - first->received_at, std::chrono::milliseconds(500));
}

// A job is freed once its requests have completed, whichever way they went: a host that runs
// job after job (the daemon) must not keep every finished one alive.
TEST_F(RemoteImagesTest, FinishedJobsAreFreed) {
  fake_.inject("gemini", 1, Reply::error(400, "{\"error\": {\"message\": \"bad request\"}}"));
  std::vector<std::weak_ptr<am_job>> finished;
  for (const char *provider : {"openai", "gemini"}) {
    job_ = runtime_.make_job(std::string("remote-images-") + provider);
    Outcome o = run({provider, "openai"});
    ASSERT_EQ(o.status, AM_OK) << o.error;
    job_->wait_idle();
    finished.push_back(job_);
  }
  job_ = runtime_.make_job("remote-images");
  for (const auto &job : finished) EXPECT_TRUE(automuse::testing::released(job));
}

TEST_F(RemoteImagesTest, PexelsHourlyLimitFallsBackAtOnceAndMalformedResultsAreClear) {
  // Pexels' 429 once the hourly allowance is spent: waiting an hour is no use to a run, so
  // the next provider makes the picture and the report says why.
  fake_.inject("pexels", 1,
               Reply::text("Too Many Requests", 429).with_header("Retry-After", "3600"));
  auto t0 = std::chrono::steady_clock::now();
  Outcome o = run({"pexels", "cards"});
  ASSERT_EQ(o.status, AM_OK) << o.error;
  EXPECT_LT(std::chrono::steady_clock::now() - t0, std::chrono::seconds(20));  // did not wait
  EXPECT_EQ(o.result.provider, "cards");
  auto report = boost::json::parse(attempts_json(o.result.attempts)).as_array();
  ASSERT_EQ(report.size(), 2u);
  EXPECT_EQ(report[0].at("provider"), "pexels");
  EXPECT_EQ(report[0].at("status"), "rate limited");
  EXPECT_EQ(server_.requests("/v1/search").size(), 1u);

  fake_.inject("pexels", 1, Reply::json(R"({"page":1,"per_page":15,"photos":[]})"));
  Outcome none = run({"pexels"});
  EXPECT_EQ(none.status, AM_NOT_FOUND);
  EXPECT_NE(none.error.find("no photo for \"A lighthouse in a storm\""), std::string::npos)
      << none.error;

  fake_.inject("pexels", 1, Reply::json(R"({"photos":[{"id":1,"src":{"portrait":null}}]})"));
  Outcome no_src = run({"pexels"});
  EXPECT_EQ(no_src.status, AM_ERROR);
  EXPECT_NE(no_src.error.find("pexels"), std::string::npos) << no_src.error;

  fake_.inject("pexels", 1, Reply::text("<html>maintenance</html>", 200, "text/html"));
  Outcome html = run({"pexels"}, MediaKind::kVideo);
  EXPECT_EQ(html.status, AM_ERROR);
  EXPECT_NE(html.error.find("pexels: malformed answer"), std::string::npos) << html.error;
}

TEST_F(RemoteImagesTest, NetworkResultsAreCachedByProviderPromptAndSize) {
  cache::Cache cache(dir_ / "cache");
  ImagesServiceConfig cfg;
  cfg.output_dir = dir_ / "cached-out";
  cfg.cache = &cache;
  ImagesService cached(cfg);
  OpenAiImagesConfig oa;
  oa.base_url = server_.url("/v1");
  oa.api_key = FakeImageApis::kOpenAiKey;
  cached.add_provider(make_openai_images_provider(*http_, oa));
  OpenAiImagesConfig venice = oa;
  venice.name = "venice";
  cached.add_provider(make_openai_images_provider(*http_, venice));
  auto ask = [&](const std::string &provider, const std::string &prompt, int w, int h) {
    ImageRequest r;
    r.prompt = prompt;
    r.width = w;
    r.height = h;
    r.min_width = 300;
    r.min_height = 500;
    std::promise<Outcome> p;
    cached.generate(*job_, r, {provider}, true,
                    [&p](am_status s, const std::string &e, const ImageOutcome *o) {
                      p.set_value(Outcome{s, e, o ? *o : ImageOutcome{}});
                    });
    return p.get_future().get();
  };
  auto generations = [&] { return server_.requests("/v1/images/generations").size(); };
  Outcome first = ask("openai", "A red kite", 1080, 1920);
  ASSERT_EQ(first.status, AM_OK) << first.error;
  EXPECT_FALSE(first.result.from_cache);
  EXPECT_EQ(generations(), 1u);
  Outcome again = ask("openai", "A red kite", 1080, 1920);
  ASSERT_EQ(again.status, AM_OK) << again.error;
  EXPECT_TRUE(again.result.from_cache);
  EXPECT_EQ(generations(), 1u);  // no new request
  EXPECT_EQ(probe_media(again.result.path).width, 1024);
  // Another prompt, size or provider is another entry.
  EXPECT_FALSE(ask("openai", "A blue kite", 1080, 1920).result.from_cache);
  EXPECT_FALSE(ask("openai", "A red kite", 720, 1280).result.from_cache);
  EXPECT_FALSE(ask("venice", "A red kite", 1080, 1920).result.from_cache);
  EXPECT_EQ(generations(), 4u);
  EXPECT_TRUE(ask("venice", "A red kite", 1080, 1920).result.from_cache);
  EXPECT_EQ(generations(), 4u);
}

// Downloads are capped by their kind (limits.downloads_mb): a Pexels photo over the image cap
// is cut off, the provider fails naming the host and the setting, nothing is left behind; the
// video cap, larger, is not what applies to a photo.
TEST_F(RemoteImagesTest, PhotoDownloadOverTheImageCapFailsNamingTheSetting) {
  http::ClientConfig small;
  small.limits.image.bytes = 1024;  // less than any photo the fake serves
  small.limits.video.bytes = 64ull << 20;
  http::HttpClient http(runtime_.io(), small);
  ImagesServiceConfig cfg;
  cfg.output_dir = dir_ / "capped";
  ImagesService capped(cfg);
  PexelsConfig p;
  p.base_url = server_.base_url();
  p.api_key = FakeImageApis::kPexelsKey;
  capped.add_provider(make_pexels_provider(http, p));
  ImageRequest r;
  r.prompt = "A lighthouse in a storm";
  r.width = 1080;
  r.height = 1920;
  std::promise<std::pair<am_status, std::string>> done;
  capped.generate(*job_, r, {"pexels"}, false,
                  [&done](am_status s, const std::string &e, const ImageOutcome *) {
                    done.set_value({s, e});
                  });
  auto future = done.get_future();
  ASSERT_EQ(future.wait_for(std::chrono::seconds(30)), std::future_status::ready);
  auto [status, error] = future.get();
  EXPECT_NE(status, AM_OK);
  EXPECT_NE(error.find("pexels"), std::string::npos) << error;
  EXPECT_NE(error.find("127.0.0.1"), std::string::npos) << error;
  EXPECT_NE(error.find("more than limits.downloads_mb.image (1 KB)"), std::string::npos) << error;
  job_->wait_idle();
  for (const auto &f : fs::directory_iterator(dir_ / "capped"))
    ADD_FAILURE() << "left behind: " << f.path();
}
