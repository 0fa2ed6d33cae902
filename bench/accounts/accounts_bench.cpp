// bench/accounts/accounts_bench.cpp — five youtube accounts, one after another and then all at
// once (`--accounts all`, one process), against loopback fakes with the latencies of the real
// services: the LLM (fake OpenAI chat completions) answers in 2–5 s, each image (fake OpenAI
// images) takes 3 s, and the upload (fake YouTube resumable upload, with the fake Google token
// endpoint) is throttled to take 10 s: each chunk is held back for its share of the 10 s.
// Real espeak-ng speech and real FFmpeg renders. Each phase starts from
// empty data folders, so nothing is cached. Prints the wall times, their ratio, and where the
// time goes: each step's median duration from the Shorts' metadata.json, and the most requests
// the fakes had in flight at once.
//
// usage: accounts_bench --host automuse-host --plugin-dir DIR [--work DIR] [--accounts 5]
//        [--width 540 --height 960] [--sentences 5] [--llm-ms 2000-5000] [--image-ms 3000]
//        [--upload-ms 10000] [--publish youtube|outbox] [--per-host N
//        (http.max_connections_per_host)]
//        [--upload-ms 10000] [--publish youtube|outbox]
#include <sys/wait.h>

#include <algorithm>
#include <array>
#include <boost/json.hpp>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iomanip>
#include <iostream>
#include <map>
#include <mutex>
#include <random>
#include <regex>
#include <string>
#include <vector>

#include "latency_front.hpp"
#include "support/images/fake_image_apis.hpp"
#include "support/llm/fake_openai.hpp"
#include "support/oauth/fake_oauth.hpp"
#include "support/youtube/fake_youtube_upload.hpp"

namespace fs = std::filesystem;
namespace json = boost::json;
using automuse::testing::Ms;

namespace {

struct Options {
  std::string host, plugin_dir;
  fs::path work = fs::temp_directory_path() / "automuse-accounts-bench";
  int accounts = 5, width = 540, height = 960, sentences = 5;
  int llm_min_ms = 2000, llm_max_ms = 5000, image_ms = 3000, upload_ms = 10000;
  std::string publish = "youtube";
  int per_host = 0;  // http.max_connections_per_host; 0: the host's default (8)
};

constexpr const char *kClientId = "1234-bench.apps.googleusercontent.com";
constexpr const char *kClientSecret = "GOCSPX-bench-secret";
constexpr const char *kRefreshToken = "1//bench-refresh-token";

// A chunk's share of the whole upload's time, from `Content-Range: bytes F-L/TOTAL`.
Ms upload_share(const automuse::testing::ReceivedRequest &r, int upload_ms) {
  auto range = r.header("Content-Range");
  std::smatch m;
  static const std::regex kRange(R"(bytes (\d+)-(\d+)/(\d+))");
  if (r.method != "PUT" || !range || !std::regex_search(*range, m, kRange)) return Ms(0);
  double part = (std::stod(m[2]) - std::stod(m[1]) + 1) / std::stod(m[3]);
  return Ms(static_cast<int64_t>(upload_ms * part));
}

const char *kNiches[] = {"deep sea animals", "ancient Rome", "volcanoes", "honey bees",
                         "the Moon",         "board games",  "bridges",   "desert plants"};

// What the fake model answers to each of the youtube plugin's prompts (llm_steps.cpp).
std::string answer(const json::array &messages) {
  const std::string system(messages.at(0).at("content").as_string());
  const std::string user(messages.back().at("content").as_string());
  std::smatch m;
  if (system.find("You plan YouTube Shorts") != std::string::npos) {
    std::regex niche("niche '([^']*)'");
    std::string n = std::regex_search(user, m, niche) ? m[1].str() : "things";
    return "Why " + n + " are stranger than you think.";
  }
  if (system.find("voice-over scripts") != std::string::npos) {
    std::regex count("exactly ([0-9]+) short sentences");
    int n = std::regex_search(user, m, count) ? std::stoi(m[1]) : 5;
    static const char *kSentences[] = {"Here is something most people never notice.",
                                       "It started long before anyone wrote it down.",
                                       "Scientists are still arguing about the details.",
                                       "The numbers involved are hard to believe.",
                                       "One small change made all the difference.",
                                       "It happens again every single year.",
                                       "Nobody planned it, yet it works.",
                                       "Now you will see it everywhere."};
    std::string script;
    for (int i = 0; i < n; ++i) script += std::string(i ? " " : "") + kSentences[i % 8];
    return script;
  }
  if (system.find("YouTube metadata") != std::string::npos)
    return R"({"title": "Stranger than you think", "description": "A short look at something )"
           R"(surprising. #shorts #facts", "tags": ["facts", "shorts", "science", "history", "nature"]})";
  if (system.find("image generator") != std::string::npos) {
    std::regex count("Scenes \\(([0-9]+)\\)"), niche("Niche: ([^\\n]*)");
    int n = std::regex_search(user, m, count) ? std::stoi(m[1]) : 1;
    // Each account's own pictures: the host's image cache must not serve one to another.
    std::string about = std::regex_search(user, m, niche) ? m[1].str() : "things";
    json::array prompts;
    for (int i = 0; i < n; ++i)
      prompts.emplace_back("A vivid documentary photo about " + about + ", scene " +
                           std::to_string(i + 1) + ", soft morning light");
    return json::serialize(json::object{{"prompts", prompts}});
  }
  return "I am not sure what you want.";
}

struct Shell {
  int code = -1;
  std::string out;
};

Shell shell(const std::string &cmd) {
  Shell r;
  FILE *p = ::popen(cmd.c_str(), "r");
  std::array<char, 4096> buf{};
  size_t n;
  while ((n = fread(buf.data(), 1, buf.size(), p)) > 0) r.out.append(buf.data(), n);
  int status = ::pclose(p);
  r.code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return r;
}

double seconds_since(std::chrono::steady_clock::time_point t) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t).count();
}

double median(std::vector<double> v) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  return v.size() % 2 ? v[v.size() / 2] : (v[v.size() / 2 - 1] + v[v.size() / 2]) / 2;
}

struct Phase {
  std::string name;
  double wall = 0;
  std::vector<double> job_seconds;                   // each job's own total
  std::map<std::string, std::vector<double>> steps;  // step -> durations over the jobs
  std::map<std::string, int> image_providers;
  int failures = 0;
};

class Bench {
 public:
  explicit Bench(Options o)
      : o_(std::move(o)),
        rng_(20261128),
        llm_front_(llm_.server().base_url(), [this](const auto &) { return llm_delay(); }),
        images_(images_server_, o_.work / "fake-images"),
        images_front_(images_server_.base_url(),
                      [this](const automuse::testing::ReceivedRequest &r) {
                        return r.path == "/v1/images/generations" ? Ms(o_.image_ms) : Ms(0);
                      }),
        oauth_(automuse::testing::FakeOAuth::google_client(kClientId, kClientSecret)),
        upload_(oauth_),
        upload_front_(upload_.server().base_url(),
                      [this](const automuse::testing::ReceivedRequest &r) {
                        return upload_share(r, o_.upload_ms);
                      }) {
    llm_.set_answer(answer);
    oauth_.add_refresh_token(kRefreshToken);
  }

  Phase run(const std::string &name, bool all_at_once) {
    Phase phase;
    phase.name = name;
    const fs::path root = o_.work / name;
    fs::remove_all(root);
    fs::create_directories(root / "config" / "automuse");
    write_config(root);
    const std::string env = "env XDG_DATA_HOME=" + (root / "data").string() +
                            " XDG_CONFIG_HOME=" + (root / "config").string() +
                            " XDG_CACHE_HOME=" + (root / "cache").string() + " ";
    const std::string host = env + o_.host + " -q --plugin-dir " + o_.plugin_dir + " ";
    for (int i = 0; i < o_.accounts; ++i) {
      auto r = shell(host + "accounts add --plugin youtube --nickname acct" + std::to_string(i) +
                     " --set 'niche=" + kNiches[i % 8] +
                     "' --set image_providers=openai,cards --set refresh_token=" + kRefreshToken +
                     " 2>&1");
      if (r.code != 0) throw std::runtime_error("accounts add failed: " + r.out);
    }
    const std::string action = "--plugin youtube run --publish " + o_.publish + " --width " +
                               std::to_string(o_.width) + " --height " + std::to_string(o_.height) +
                               " --sentences " + std::to_string(o_.sentences);
    std::vector<std::string> results;
    auto t0 = std::chrono::steady_clock::now();
    if (all_at_once) {
      auto r = shell(host + action + " --accounts all 2>>" + (root / "stderr.txt").string());
      for (std::string line; auto c : r.out) {
        if (c != '\n') {
          line += c;
          continue;
        }
        auto v = json::parse(line);
        if (v.at("status") == "ok")
          results.push_back(json::serialize(v.at("result")));
        else
          ++phase.failures;
        line.clear();
      }
    } else {
      for (int i = 0; i < o_.accounts; ++i) {
        auto r = shell(host + action + " --account acct" + std::to_string(i) + " 2>>" +
                       (root / "stderr.txt").string());
        if (r.code == 0)
          results.push_back(r.out);
        else
          ++phase.failures;
      }
    }
    phase.wall = seconds_since(t0);
    for (auto &text : results) read_metadata(json::parse(text), phase);
    if (phase.failures)
      std::cerr << name << ": " << phase.failures << " job(s) failed; see " << (root / "stderr.txt")
                << "\n";
    return phase;
  }

  size_t llm_peak() { return llm_front_.server().peak_in_flight(); }
  size_t images_peak() { return images_front_.server().peak_in_flight(); }
  void reset_peaks() {
    llm_front_.server().clear_requests();
    images_front_.server().clear_requests();
  }
  size_t llm_requests() const { return llm_.chat_count(); }
  size_t upload_sessions() {
    size_t n = 0;
    for (auto &r : upload_.server().requests())
      if (r.method == "POST") ++n;
    return n;
  }
  size_t image_requests() const { return images_server_.requests("/v1/images/generations").size(); }

 private:
  Ms llm_delay() {
    std::lock_guard lock(rng_mutex_);
    return Ms(std::uniform_int_distribution<int>(o_.llm_min_ms, o_.llm_max_ms)(rng_));
  }

  void write_config(const fs::path &root) {
    json::object config{
        {"llm",
         {{"provider", "fake"},
          {"providers",
           {{"fake",
             {{"api", "openai"},
              {"base_url", llm_front_.base_url() + "/v1"},
              {"model", "gpt-test"},
              {"api_key", "sk-test-0123456789"}}}}}}},
        {"images",
         {{"provider", "openai"},
          {"providers",
           {{"openai",
             {{"base_url", images_front_.base_url() + "/v1"},
              {"api_key", automuse::testing::FakeImageApis::kOpenAiKey},
              {"model", "gpt-image-1"}}}}}}},
        {"plugins",
         {{"youtube",
           {{"client_id", kClientId},
            {"client_secret", kClientSecret},
            {"token_url", oauth_.token_url()},
            {"upload_url", upload_front_.base_url() + "/upload/youtube/v3/videos"}}}}},
        {"log", {{"file", false}}}};
    if (o_.per_host > 0) config["http"] = json::object{{"max_connections_per_host", o_.per_host}};
    std::ofstream(root / "config" / "automuse" / "automuse.json") << json::serialize(config);
  }

  static void read_metadata(const json::value &result, Phase &phase) {
    std::ifstream in(std::string(result.at("metadata").as_string()));
    json::value meta = json::parse(std::string((std::istreambuf_iterator<char>(in)), {}));
    double end = 0;
    for (auto &s : meta.at("steps").as_array()) {
      double secs = s.at("seconds").to_number<double>();
      phase.steps[std::string(s.at("name").as_string())].push_back(secs);
      end = std::max(end, s.at("started_at").to_number<double>() + secs);
    }
    phase.job_seconds.push_back(end);
    for (auto &scene : meta.at("scenes").as_array())
      if (auto *p = scene.as_object().if_contains("provider"); p && p->is_string())
        ++phase.image_providers[std::string(p->as_string())];
  }

  Options o_;
  std::mt19937 rng_;
  std::mutex rng_mutex_;
  automuse::testing::FakeOpenAI llm_;
  automuse::bench::LatencyFront llm_front_;
  automuse::testing::FakeServer images_server_;
  automuse::testing::FakeImageApis images_;
  automuse::bench::LatencyFront images_front_;
  automuse::testing::FakeOAuth oauth_;
  automuse::testing::FakeYouTubeUpload upload_;
  automuse::bench::LatencyFront upload_front_;
};

void print(const Phase &serial, const Phase &all) {
  std::cout << std::fixed << std::setprecision(1);
  std::cout << "\nwall time: one after another " << serial.wall << " s, --accounts all " << all.wall
            << " s: " << std::setprecision(2) << serial.wall / all.wall << "x faster\n"
            << std::setprecision(1);
  std::cout << "median job until the upload (its own clock): one after another "
            << median(serial.job_seconds) << " s, --accounts all " << median(all.job_seconds)
            << " s\n";
  std::cout << "\nmedian step durations (s)        serial   all-at-once\n";
  for (auto &[step, v] : serial.steps) {
    auto it = all.steps.find(step);
    std::cout << "  " << std::left << std::setw(28) << step << std::right << std::setw(8)
              << median(v) << std::setw(12) << (it == all.steps.end() ? 0.0 : median(it->second))
              << "\n";
  }
  for (auto *p : {&serial, &all}) {
    std::cout << p->name << ": scene images from";
    for (auto &[provider, n] : p->image_providers) std::cout << " " << provider << " (" << n << ")";
    std::cout << (p->failures ? ", " + std::to_string(p->failures) + " failed" : "") << "\n";
  }
}

}  // namespace

int main(int argc, char **argv) {
  Options o;
  const std::map<std::string, std::string Options::*> texts = {
      {"--host", &Options::host},
      {"--plugin-dir", &Options::plugin_dir},
      {"--publish", &Options::publish}};
  const std::map<std::string, int Options::*> numbers = {
      {"--accounts", &Options::accounts}, {"--width", &Options::width},
      {"--height", &Options::height},     {"--sentences", &Options::sentences},
      {"--image-ms", &Options::image_ms}, {"--upload-ms", &Options::upload_ms},
      {"--per-host", &Options::per_host}};
  for (int i = 1; i + 1 < argc; i += 2) {
    std::string k = argv[i], v = argv[i + 1];
    if (auto t = texts.find(k); t != texts.end())
      o.*(t->second) = v;
    else if (auto n = numbers.find(k); n != numbers.end())
      o.*(n->second) = std::stoi(v);
    else if (k == "--work")
      o.work = v;
    else if (k == "--llm-ms") {
      auto dash = v.find('-');
      o.llm_min_ms = std::stoi(v.substr(0, dash));
      o.llm_max_ms = dash == std::string::npos ? o.llm_min_ms : std::stoi(v.substr(dash + 1));
    } else {
      std::cerr << "accounts_bench: unknown option " << k << "\n";
      return 2;
    }
  }
  if (o.host.empty() || o.plugin_dir.empty()) {
    std::cerr
        << "usage: accounts_bench --host automuse-host --plugin-dir DIR [--work DIR] "
           "[--accounts 5] [--width 540 --height 960] [--sentences 5] [--llm-ms 2000-5000] "
           "[--image-ms 3000] [--upload-ms 10000] [--publish youtube|outbox] [--per-host N]\n";
    return 2;
  }
  try {
    fs::create_directories(o.work);
    Bench bench(o);
    std::cout << o.accounts << " youtube accounts, " << o.width << "x" << o.height << ", "
              << o.sentences << " sentences; LLM " << o.llm_min_ms << "-" << o.llm_max_ms
              << " ms per answer, " << o.image_ms << " ms per image, publish: " << o.publish
              << (o.publish == "youtube" ? " (" + std::to_string(o.upload_ms) + " ms per upload)"
                                         : "")
              << ", http.max_connections_per_host "
              << (o.per_host > 0 ? std::to_string(o.per_host) : std::string("8 (default)")) << "\n";
    std::cout << "one after another..." << std::endl;
    Phase serial = bench.run("serial", false);
    size_t serial_llm_peak = bench.llm_peak(), serial_img_peak = bench.images_peak();
    bench.reset_peaks();
    std::cout << "all at once (--accounts all)..." << std::endl;
    Phase all = bench.run("all", true);
    print(serial, all);
    std::cout << "most requests in flight at the LLM fake: serial " << serial_llm_peak
              << ", all at once " << bench.llm_peak() << "; at the images fake: serial "
              << serial_img_peak << ", all at once " << bench.images_peak() << "\n";
    std::cout << "requests: " << bench.llm_requests() << " LLM, " << bench.image_requests()
              << " images, " << bench.upload_sessions() << " upload sessions\n";
    return serial.failures || all.failures ? 1 : 0;
  } catch (const std::exception &e) {
    std::cerr << "accounts_bench: " << e.what() << "\n";
    return 1;
  }
}
