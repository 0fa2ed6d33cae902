// tests/images/images_setup_test.cpp — the images section of automuse.json: the configured
// provider is tried first with cards behind it, settings and keys reach the real requests
// (against the fakes), the folder provider comes from its path, bad settings are named.
#include "images/images_setup.hpp"

#include <gtest/gtest.h>

#include <automuse/cpp/error.hpp>
#include <boost/json.hpp>
#include <filesystem>
#include <future>

#include "core/runtime.hpp"
#include "http/http_client.hpp"
#include "images/images_service.hpp"
#include "images/title_card.hpp"
#include "support/images/fake_image_apis.hpp"
#include "support/temp_folder.hpp"

using namespace automuse;
using namespace automuse::images;
using automuse::testing::FakeImageApis;
using automuse::testing::FakeServer;
using automuse::testing::Reply;
namespace fs = std::filesystem;
namespace json = boost::json;

namespace {

struct Got {
  am_status status = AM_INTERNAL;
  std::string error;
  ImageOutcome outcome;
};

Got generate(ImagesService &service, am_job &job, const std::string &prompt) {
  ImageRequest r;
  r.prompt = prompt;
  r.min_width = 300;
  r.min_height = 500;
  std::promise<Got> p;
  service.generate(job, r, {}, false,  // no order: the configured default
                   [&p](am_status s, const std::string &e, const ImageOutcome *o) {
                     p.set_value(Got{s, e, o ? *o : ImageOutcome{}});
                   });
  return p.get_future().get();
}

}  // namespace

TEST(ImagesSetup, ConfiguredProviderFirstThenCards) {
  automuse::testing::TempFolder tmp;
  fs::path dir = tmp.path();
  FakeServer server;
  FakeImageApis fake(server, dir / "served");
  core::Runtime runtime{1, 2};
  http::HttpClient http(runtime.io());
  json::value section = json::parse(R"({"provider": "pexels", "providers": {
      "pexels": {"base_url": ")" + server.base_url() +
                                    R"("},
      "folder": {"path": ")" + (dir / "mine").string() +
                                    R"("}}})");
  ImagesServiceConfig cfg;
  cfg.output_dir = dir / "out";
  cfg.default_order = default_image_order(&section);
  EXPECT_EQ(cfg.default_order, (std::vector<std::string>{"pexels", "cards"}));
  ImagesService service(cfg);
  add_configured_image_providers(service, http, &section, [](const char *name) -> const char * {
    return std::string(name) == "PEXELS_API_KEY" ? FakeImageApis::kPexelsKey : nullptr;
  });
  auto job = runtime.make_job("images-setup");

  Got photo = generate(service, *job, "A harbour at dawn");
  ASSERT_EQ(photo.status, AM_OK) << photo.error;
  EXPECT_EQ(photo.outcome.provider, "pexels");
  EXPECT_EQ(server.requests("/v1/search").at(0).header("Authorization"),
            std::string(FakeImageApis::kPexelsKey));

  // Pexels out of allowance: the cards make it, and the report says why.
  fake.inject("pexels", 1,
              Reply::text("Too Many Requests", 429).with_header("Retry-After", "3600"));
  Got card = generate(service, *job, "A harbour at dusk");
  ASSERT_EQ(card.status, AM_OK) << card.error;
  EXPECT_EQ(card.outcome.provider, "cards");
  ASSERT_EQ(card.outcome.attempts.size(), 2u);
  EXPECT_EQ(card.outcome.attempts[0].status, AM_RATE_LIMITED);

  // The folder provider is there because its path is configured.
  fs::create_directories(dir / "mine");
  render_title_card("harbour", dir / "mine" / "harbour.png", CardOptions{540, 960, "DejaVu Sans"});
  ImageRequest r;
  r.prompt = "harbour";
  r.min_width = 300;
  r.min_height = 500;
  std::promise<Got> p;
  service.generate(*job, r, {"folder"}, false,
                   [&p](am_status s, const std::string &e, const ImageOutcome *o) {
                     p.set_value(Got{s, e, o ? *o : ImageOutcome{}});
                   });
  Got mine = p.get_future().get();
  ASSERT_EQ(mine.status, AM_OK) << mine.error;
  EXPECT_EQ(fs::path(mine.outcome.path).filename(), "harbour.png");
  job->wait_idle();
}

TEST(ImagesSetup, DefaultsAndBadSettings) {
  EXPECT_EQ(default_image_order(nullptr), (std::vector<std::string>{"cards"}));
  json::value title = json::parse(R"({"provider": "title-cards"})");
  EXPECT_EQ(default_image_order(&title), (std::vector<std::string>{"cards"}));
  json::value unknown = json::parse(R"({"provider": "midjourney"})");
  try {
    default_image_order(&unknown);
    FAIL();
  } catch (const am::error &e) {
    EXPECT_NE(std::string(e.what()).find("images.provider: unknown provider 'midjourney'"),
              std::string::npos);
  }
  core::Runtime runtime{1, 1};
  http::HttpClient http(runtime.io());
  ImagesService service(ImagesServiceConfig{});
  json::value bad = json::parse(R"({"providers": {"gemini": {"api_key": ["x"]}}})");
  try {
    add_configured_image_providers(service, http, &bad, [](const char *) { return nullptr; });
    FAIL();
  } catch (const am::error &e) {
    EXPECT_NE(std::string(e.what()).find("images.providers.gemini.api_key"), std::string::npos);
    EXPECT_EQ(std::string(e.what()).find("\"x\""), std::string::npos);  // no secret echoed
  }
}
