// tests/soak/soak_world.hpp — the world the chaos soak runs in: the loopback fakes of every
// remote service (an LLM that never answers the same thing twice, Google's token endpoint and
// the YouTube resumable upload, X, Amazon's Creators API), a sandbox with the real host's
// config pointing at them, and the accounts and schedules a user would set up with the CLI:
// two YouTube channels whose runs cross-post to their own X accounts, two X accounts that post
// on their own, and an affiliate shop sharing to a fifth. Every schedule is yearly (cron
// `0 0 1 1 *`), so it fires only when the soak backdates it: one slot per round.
#pragma once

#include <atomic>
#include <boost/json.hpp>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <regex>
#include <string>
#include <vector>

#include "support/amazon/fake_amazon.hpp"
#include "support/host_process.hpp"
#include "support/llm/fake_openai.hpp"
#include "support/oauth/fake_oauth.hpp"
#include "support/sandbox_store.hpp"
#include "support/temp_folder.hpp"
#include "support/x/fake_x.hpp"
#include "support/youtube/fake_youtube_upload.hpp"

namespace automuse::testing::soak {

namespace fs = std::filesystem;
namespace json = boost::json;

constexpr const char *kClientId = "5678-soak.apps.googleusercontent.com";
constexpr const char *kClientSecret = "GOCSPX-soak-secret";
constexpr const char *kAsin = "B07XJ8C8F5";

struct Channel {  // a YouTube account and the X account its Shorts are shared to
  std::string nickname, niche, title_prefix, refresh_token, x_nickname, x_user_id;
};
struct Poster {  // an X account with its own `run` schedule, or the shop's share target
  std::string nickname, topic, user_id;
};

inline const std::vector<Channel> &channels() {
  static const std::vector<Channel> c = {
      {"yt-ocean", "ocean animals", "Ocean animals short", "1//soak-rt-ocean", "xv-ocean", "2001"},
      {"yt-desert", "desert plants", "Desert plants short", "1//soak-rt-desert", "xv-desert",
       "2002"}};
  return c;
}
inline const std::vector<Poster> &posters() {
  static const std::vector<Poster> p = {{"tw-bread", "baking bread", "2003"},
                                        {"tw-chess", "chess openings", "2004"}};
  return p;
}
inline const Poster &shop_target() {
  static const Poster p{"xv-shop", "kitchen things", "2005"};
  return p;
}

// Words drawn by `n` (an LCG over a vocabulary), so no two answers are near-duplicates.
inline std::string varied_words(uint64_t n, int count) {
  static const char *kWords[] = {
      "amber",   "brisk",   "copper",  "dusky",   "ember",  "fable",  "gusty",   "hollow",
      "ivory",   "jolly",   "kindle",  "lunar",   "mellow", "nimble", "opal",    "prism",
      "quartz",  "russet",  "silver",  "tidal",   "umber",  "velvet", "willow",  "zephyr",
      "anchor",  "basalt",  "cinder",  "delta",   "echo",   "fern",   "glacier", "harbor",
      "island",  "juniper", "kelp",    "lagoon",  "meadow", "nectar", "orchid",  "pebble",
      "quiver",  "ripple",  "saffron", "thistle", "upland", "vortex", "wander",  "yonder",
      "bramble", "canyon",  "drift",   "flint",   "grove",  "heron",  "inlet",   "jasper",
      "lantern", "marble",  "north",   "oasis",   "pine",   "reef",   "spruce",  "timber"};
  std::string out;
  uint64_t x = n * 2654435761u + 12345;
  for (int i = 0; i < count; ++i) {
    x = x * 6364136223846793005ull + 1442695040888963407ull;
    out += (i ? " " : "") + std::string(kWords[(x >> 33) % 64]);
  }
  return out;
}

// Every chat answered by step (the plugins' system prompts tell them apart), each answer new.
class SoakLlm {
 public:
  explicit SoakLlm(FakeOpenAI &llm) {
    llm.set_answer([this](const json::array &messages) { return answer(messages); });
  }

 private:
  static std::string part(const json::array &messages, const char *role) {
    for (const auto &m : messages)
      if (m.at("role") == role) return std::string(m.at("content").as_string());
    return {};
  }

  std::string answer(const json::array &messages) {
    const std::string system = part(messages, "system"), user = part(messages, "user");
    const uint64_t n = ++count_;
    const std::string words = varied_words(n, 5), no = std::to_string(n);
    auto has = [&](const char *s) { return system.find(s) != std::string::npos; };
    if (has("You plan YouTube Shorts")) return "Idea " + no + ": the " + words + " secret";
    if (has("You write voice-over scripts") || has("You edit voice-over scripts"))
      return "Fact " + no + " is " + varied_words(n, 3) + ".\nFollow for more.";
    if (has("You write YouTube metadata")) {
      std::string prefix = "Unknown short";
      for (const auto &c : channels())
        if (user.find("Niche: " + c.niche) != std::string::npos) prefix = c.title_prefix;
      return json::serialize(json::object{
          {"title", prefix + " " + no + ": " + words},
          {"description", "Short number " + no + " about " + words + ". #shorts #soak"},
          {"tags", json::array{"soak", "short", "test"}}});
    }
    if (has("You write prompts for an image generator")) {
      std::smatch m;
      std::regex_search(user, m, std::regex(R"(Scenes \((\d+)\))"));
      const int scenes = m.empty() ? 1 : std::stoi(m[1]);
      json::array prompts;
      for (int i = 1; i <= scenes; ++i)
        prompts.emplace_back("A " + varied_words(n + i, 2) + " scene, number " + std::to_string(i));
      return json::serialize(json::object{{"prompts", prompts}});
    }
    if (has("social media post that makes people want to watch"))
      return "New short " + no + ": " + words + ". Watch it now!";
    if (has("You write single posts for X")) return "Post " + no + " on " + words + ".";
    if (has("pitches for products"))
      return "Pitch " + no + ": a matte blue stoneware mug for " + varied_words(n, 2) +
             " mornings.";
    return "unexpected request " + no;
  }

  std::atomic<uint64_t> count_{0};
};

// The fakes, the sandbox and its accounts and schedules.
class SoakWorld {
 public:
  SoakWorld() {
    for (const auto &c : channels()) {
      oauth_.add_refresh_token(c.refresh_token);
      add_x_user(c.x_user_id, c.x_nickname);
    }
    for (const auto &p : posters()) add_x_user(p.user_id, p.nickname);
    add_x_user(shop_target().user_id, shop_target().nickname);
    amazon_.add_credentials("cid-soak", "csecret-soak", "3.x");
    amazon_.add_partner_tag("shop-20");
    amazon_.add_item({kAsin,
                      "Stoneware Coffee Mug, 16 oz, Matte Blue",
                      {"Holds 16 oz (470 ml)", "Dishwasher and microwave safe"},
                      "$18.99",
                      18.99,
                      "USD"});
    write_config();
  }

  // Runs `automuse-host ARGS` in the sandbox to its end.
  HostResult host(const std::string &args) const {
    return run_host(host_exe(HOST_EXE), PLUGIN_DIR, root_, args);
  }
  // The shell command that runs the daemon (exec'd: its pid is the host's), output appended
  // to daemon.log.
  std::string daemon_command() const {
    use_test_store(root_);
    return "exec env XDG_DATA_HOME=" + (root_ / "data").string() +
           " XDG_CONFIG_HOME=" + (root_ / "config").string() + " " + host_exe(HOST_EXE) +
           " --plugin-dir " + PLUGIN_DIR + " --config " + (root_ / "automuse.json").string() +
           " daemon --grace 20 >>" + (root_ / "daemon.log").string() + " 2>&1 </dev/null";
  }
  // The sandbox's store, wherever the host keeps it (sandbox_store.hpp).
  automuse::store::Location store_location() const { return sandbox_store(root_); }
  const fs::path &root() const { return root_; }

  // Accounts, the product and the schedules, as a user adds them. Returns "" or what failed.
  std::string set_up() {
    for (const auto &c : channels()) {
      if (auto e = ok(host("accounts add --plugin youtube --nickname " + c.nickname +
                           " --set niche=" + shell_quote(c.niche) + " --set refresh_token=" +
                           c.refresh_token + " --set image_providers=cards"));
          !e.empty())
        return e;
      if (auto e = add_x_account(c.x_nickname, c.x_user_id, c.niche); !e.empty()) return e;
    }
    for (const auto &p : posters())
      if (auto e = add_x_account(p.nickname, p.user_id, p.topic); !e.empty()) return e;
    const Poster &t = shop_target();
    if (auto e = add_x_account(t.nickname, t.user_id, t.topic); !e.empty()) return e;
    if (auto e = ok(host("accounts add --plugin afm --nickname shop --set partner_tag=shop-20 "
                         "--set share_with=twitter:" +
                         t.nickname +
                         " --set creators_credential_id=cid-soak "
                         "--set creators_credential_secret=csecret-soak "
                         "--set creators_version=3.x"));
        !e.empty())
      return e;
    if (auto e = ok(host("--plugin afm add --asin " + std::string(kAsin))); !e.empty()) return e;

    const std::string yearly = " --cron '0 0 1 1 *'";
    for (const auto &c : channels())
      if (auto e = ok(host("schedule add --plugin youtube --account " + c.nickname +
                           " --action run" + yearly +
                           " --option publish=youtube --option width=270 --option height=480"
                           " --option sentences=2 --option also-publish=twitter:" +
                           c.x_nickname));
          !e.empty())
        return e;
    for (const auto &p : posters())
      if (auto e = ok(host("schedule add --plugin twitter --account " + p.nickname +
                           " --action run" + yearly));
          !e.empty())
        return e;
    return ok(host("schedule add --plugin afm --account shop --action run" + yearly));
  }

  FakeOpenAI llm_;
  SoakLlm answers_{llm_};
  FakeOAuth oauth_{FakeOAuth::google_client(kClientId, kClientSecret)};
  FakeYouTubeUpload yt_{oauth_};
  FakeX x_;
  FakeAmazon amazon_;

 private:
  static std::string ok(const HostResult &r) {
    return r.code == 0 ? std::string() : "exit " + std::to_string(r.code) + ": " + r.err;
  }
  void add_x_user(const std::string &id, const std::string &nickname) {
    x_.add_user({id, nickname, "ck-" + id, "cs-" + id, "at-" + id, "as-" + id, "", ""});
  }
  std::string add_x_account(const std::string &nickname, const std::string &id,
                            const std::string &topic) {
    return ok(host("accounts add --plugin twitter --nickname " + nickname +
                   " --set topic=" + shell_quote(topic) + " --set consumer_key=ck-" + id +
                   " --set consumer_secret=cs-" + id + " --set access_token=at-" + id +
                   " --set access_token_secret=as-" + id));
  }

  void write_config() {
    json::object config{
        {"plugins",
         {{"youtube",
           {{"client_id", kClientId},
            {"client_secret", kClientSecret},
            {"token_url", oauth_.token_url()},
            {"upload_url", yt_.upload_url()},
            {"chunk_kib", 256},
            {"max_duration", 10}}},
          {"twitter", {{"api_base", x_.base_url()}, {"media_segment_bytes", 65536}}},
          {"afm", amazon_.plugin_config()}}},
        {"llm", llm_.host_config()},
        // Retries come quickly, so a round settles in seconds.
        {"schedule", {{"retry_base_seconds", 1}, {"max_attempts", 4}, {"grace_seconds", 20}}},
        // A killed daemon's jobs are resumed once their leases lapse: two seconds here.
        {"queue", {{"lease_seconds", 2}, {"poll_seconds", 0.2}}},
        {"log", {{"file", false}}}};
    std::ofstream(root_ / "automuse.json") << json::serialize(config);
  }

  TempFolder sandbox_;  // kept, and named, when the soak failed
  fs::path root_ = sandbox_.path();
};

}  // namespace automuse::testing::soak
