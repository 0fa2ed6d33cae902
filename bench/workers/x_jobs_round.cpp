// bench/workers/x_jobs_round.cpp — the round: fakes and their fronts, the hosts it starts, and
// the checks after.
#include "x_jobs_round.hpp"

#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <boost/json.hpp>
#include <chrono>
#include <fstream>
#include <map>
#include <mutex>
#include <random>
#include <set>
#include <thread>

#include "accounts/latency_front.hpp"
#include "schedule/job_queue.hpp"
#include "schedule/schedule_store.hpp"
#include "store/store.hpp"
#include "support/host_process.hpp"
#include "support/llm/fake_openai.hpp"
#include "support/x/fake_x.hpp"

namespace automuse::bench {
namespace {

namespace fs = std::filesystem;
namespace json = boost::json;
using Clock = std::chrono::steady_clock;
using testing::Ms;

// Delays drawn in [lo, hi] ms from a seeded generator, one per request in the order they
// arrive: the same spread of delays in every round.
class SpreadDelays {
 public:
  SpreadDelays(int lo, int hi) : lo_(lo), hi_(hi) {}
  Ms next() {
    std::lock_guard lock(mutex_);
    return Ms(std::uniform_int_distribution<int>(lo_, hi_)(rng_));
  }

 private:
  int lo_, hi_;
  std::mt19937 rng_{20261207};
  std::mutex mutex_;
};

// The n-th post the fake model writes: three parts from lists of 17, 19 and 23 entries, so two
// posts share at most one part (and are far from the plugin's near-repeat threshold) unless
// their numbers differ by a multiple of 323.
std::string post_text(size_t n) {
  static const char *kWhat[] = {"Morning light", "Cast iron",      "Old maps",     "Wild honey",
                                "Paper cranes",  "Sourdough",      "Granite",      "Vinyl records",
                                "Desert rain",   "Copper kettles", "Night trains", "Moss gardens",
                                "Glass floats",  "Winter markets", "Clay pots",    "Harbor fog",
                                "Letterpress"};
  static const char *kDoes[] = {
      "rewards patience",         "hides small surprises",    "ages better than expected",
      "tells long stories",       "needs gentle care",        "outlasts every trend",
      "teaches quiet lessons",    "shifts with seasons",      "reveals tiny details",
      "invites slow mornings",    "connects far places",      "carries family history",
      "sparks odd questions",     "deserves attention",       "travels surprisingly far",
      "survives careless owners", "looks different up close", "holds warmth for hours",
      "sounds richer live"};
  static const char *kThen[] = {
      "Notice one today.",           "Ask an elder about it.",       "Sketch it before lunch.",
      "Share yours below.",          "Start small this week.",       "Look twice tomorrow.",
      "Write down what changes.",    "Compare notes with a friend.", "Try it at dawn.",
      "Keep a little journal.",      "Listen before judging.",       "Photograph it at dusk.",
      "Visit a local museum.",       "Borrow a library book.",       "Walk there instead.",
      "Teach it to a child.",        "Measure it for fun.",          "Repair before replacing.",
      "Trade tips with neighbours.", "Plan a weekend trip.",         "Read the history first.",
      "Count the colours.",          "Smell it after rain."};
  return std::string(kWhat[n % 17]) + " " + kDoes[n % 19] + ". " + kThen[n % 23];
}

const char *kTopics[] = {"cooking", "gardening", "local history", "astronomy",
                         "cycling", "ceramics",  "birdwatching",  "photography"};

std::string nickname(int a) {
  return "x" + std::to_string(a);
}

// A host process started in the background: `automuse-host ARGS` with its own XDG folders
// under FOLDER/NAME (a host of its own), the round's config, output to FOLDER/NAME.log.
pid_t spawn_host(const XJobsOptions &o, const fs::path &folder, const std::string &name,
                 const std::string &args) {
  const fs::path home = folder / name;
  const std::string cmd = "exec env XDG_DATA_HOME=" + (home / "data").string() +
                          " XDG_CONFIG_HOME=" + (home / "config").string() +
                          " XDG_CACHE_HOME=" + (home / "cache").string() + " " + o.host_exe +
                          " --plugin-dir " + o.plugin_dir + " --config " +
                          (folder / "automuse.json").string() + " " + args + " >>" +
                          (folder / (name + ".log")).string() + " 2>&1 </dev/null";
  const pid_t pid = ::fork();
  if (pid == 0) {
    ::prctl(PR_SET_PDEATHSIG, SIGKILL);
    ::execl("/bin/sh", "sh", "-c", cmd.c_str(), static_cast<char *>(nullptr));
    ::_exit(127);
  }
  if (pid < 0) throw std::runtime_error("cannot start " + name);
  return pid;
}

// Stops a host with SIGTERM; its exit code (negative: the signal that ended it).
int stop_host(pid_t pid) {
  ::kill(pid, SIGTERM);
  int status = 0;
  ::waitpid(pid, &status, 0);
  return WIFEXITED(status) ? WEXITSTATUS(status) : -WTERMSIG(status);
}

class Round {
 public:
  Round(const XJobsOptions &o, int workers, const std::string &store_url)
      : o_(o),
        workers_(workers),
        store_url_(store_url),
        folder_(o.work / (std::to_string(workers) + "-workers")),
        llm_delays_(o.llm_min_ms, o.llm_max_ms),
        x_delays_(o.x_min_ms, o.x_max_ms),
        llm_front_(llm_.server().base_url(), [this](const auto &) { return llm_delays_.next(); }),
        x_front_(x_.base_url(), [this](const auto &) { return x_delays_.next(); }) {
    llm_.set_answer([this](const json::array &) { return post_text(answers_++); });
    fs::remove_all(folder_);
    fs::create_directories(folder_);
    write_config();
  }

  XJobsResult run() {
    XJobsResult r;
    r.workers = workers_;
    r.folder = folder_;
    add_accounts_and_schedules();
    const std::vector<std::string> job_ids = enqueue_by_daemon();
    const auto started = Clock::now();
    std::vector<pid_t> pids;
    for (int w = 0; w < workers_; ++w)
      pids.push_back(spawn_host(o_, folder_, "worker" + std::to_string(w),
                                "worker --slots " + std::to_string(o_.slots)));
    const bool all_ended = wait_until_no_open_job();
    r.seconds = std::chrono::duration<double>(Clock::now() - started).count();
    for (int w = 0; w < workers_; ++w)
      if (int code = stop_host(pids[w]); code != 0)
        r.problems.push_back("worker" + std::to_string(w) + " exited with " + std::to_string(code));
    if (!all_ended) r.problems.push_back("jobs were still open after the time allowed");
    check(job_ids, r);
    r.llm_requests = llm_.chat_count();
    r.x_requests = x_.server().request_count();
    r.llm_peak = llm_front_.server().peak_in_flight();
    r.warnings = log_warnings();
    return r;
  }

 private:
  void write_config() {
    json::object llm = llm_.host_config();
    llm["providers"].as_object()["fake"].as_object()["base_url"] = llm_front_.base_url() + "/v1";
    json::object config{{"store", {{"url", store_url_}}},
                        {"llm", llm},
                        {"plugins", {{"twitter", {{"api_base", x_front_.base_url()}}}}},
                        {"log", {{"file", false}}}};
    testing::write_file(folder_ / "automuse.json", json::serialize(config));
  }

  // The admin's host: the round's folder itself (run_host's sandbox).
  testing::HostResult host(const std::string &args) const {
    return testing::run_host(o_.host_exe, o_.plugin_dir, folder_, args);
  }
  void host_ok(const std::string &args) const {
    if (auto r = host(args); r.code != 0)
      throw std::runtime_error("automuse-host " + args + " failed: " + r.err);
  }

  // X users at the fake, their accounts, and one yearly schedule per job round the accounts,
  // backdated so that each has one slot due now. The accounts use OAuth 2 user tokens: an
  // OAuth 1.0a signature covers the URL the client calls (the front's), which the fake X,
  // behind the front, would check against its own.
  void add_accounts_and_schedules() {
    for (int a = 0; a < o_.accounts; ++a) {
      const std::string n = std::to_string(a);
      x_.add_user({std::to_string(3000 + a), "bench" + n, "", "", "", "", "bt-" + n, "rt-" + n});
      host_ok("accounts add --plugin twitter --nickname " + nickname(a) + " --set " +
              testing::shell_quote(std::string("topic=") + kTopics[a % 8]) +
              " --set client_id=bench-client --set bearer_token=bt-" + n +
              " --set refresh_token=rt-" + n);
    }
    for (int j = 0; j < o_.jobs; ++j)
      host_ok("schedule add --plugin twitter --account " + nickname(j % o_.accounts) +
              " --action run --cron '0 0 1 1 *'");
    schedule::ScheduleStore schedules(store::Location::postgresql(store_url_));
    for (auto &s : schedules.list())
      schedules.set_last_fire(s.id, schedule::now_seconds() - 2 * 366 * 24 * 3600);
  }

  // `daemon --slots 0` until every slot is in the queue; the queued jobs' ids.
  std::vector<std::string> enqueue_by_daemon() {
    schedule::JobQueue queue(store::Location::postgresql(store_url_));
    const pid_t daemon = spawn_host(o_, folder_, "daemon", "daemon --slots 0");
    std::vector<schedule::Job> open;
    for (auto end = Clock::now() + std::chrono::seconds(60); Clock::now() < end;) {
      open = queue.open_jobs();
      if (open.size() >= static_cast<size_t>(o_.jobs)) break;
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    if (int code = stop_host(daemon); code != 0)
      throw std::runtime_error("the daemon exited with " + std::to_string(code) + "; see " +
                               (folder_ / "daemon.log").string());
    if (open.size() != static_cast<size_t>(o_.jobs))
      throw std::runtime_error("the daemon enqueued " + std::to_string(open.size()) + " of " +
                               std::to_string(o_.jobs) + " slots");
    std::vector<std::string> ids;
    for (auto &j : open) ids.push_back(j.id);
    return ids;
  }

  // Polls the queue until no job is open (the last one ended); false on timeout.
  bool wait_until_no_open_job() {
    schedule::JobQueue queue(store::Location::postgresql(store_url_));
    const auto end = Clock::now() + std::chrono::seconds(120) +
                     o_.jobs * std::chrono::milliseconds(o_.llm_max_ms + 4 * o_.x_max_ms);
    while (Clock::now() < end) {
      if (queue.open_jobs().empty()) return true;
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    return false;
  }

  // The warning and error lines of every host's log (daemon, workers), but for the one each
  // says when the bench stops it.
  std::vector<std::string> log_warnings() const {
    std::vector<std::string> out;
    for (auto &e : fs::directory_iterator(folder_)) {
      if (e.path().extension() != ".log") continue;
      std::ifstream in(e.path());
      for (std::string line; std::getline(in, line);)
        if ((line.find("] warning ") != std::string::npos ||
             line.find("] error ") != std::string::npos) &&
            line.find("SIGTERM: taking no new jobs") == std::string::npos)
          out.push_back(e.path().stem().string() + ": " + line);
    }
    return out;
  }

  void check(const std::vector<std::string> &job_ids, XJobsResult &r) {
    auto fail = [&r](std::string what) { r.problems.push_back(std::move(what)); };
    const std::set<std::string> ids(job_ids.begin(), job_ids.end());
    const auto where = store::Location::postgresql(store_url_);
    schedule::JobQueue queue(where);
    for (auto &id : ids)
      if (auto j = queue.get(id); !j || j->state != "done")
        fail("job " + id + " ended " + (j ? j->state + " " + j->error.value_or("") : "missing"));

    std::map<std::string, int> succeeded;
    for (auto &run : schedule::ScheduleStore(where).list_runs(0)) {
      ++r.attempts;
      if (!ids.count(run.job_id)) fail("a run of an unknown job " + run.job_id);
      if (run.status == "succeeded") ++succeeded[run.job_id];
    }
    for (auto &id : ids)
      if (succeeded[id] != 1)
        fail("job " + id + " has " + std::to_string(succeeded[id]) + " succeeded runs");

    // At the platform: one post per job, each account its share, no text twice.
    const auto posts = x_.posts();
    if (posts.size() != ids.size())
      fail(std::to_string(posts.size()) + " posts at X for " + std::to_string(ids.size()) +
           " jobs");
    std::map<std::string, int> per_user;
    std::set<std::pair<std::string, std::string>> texts;
    std::set<std::string> post_ids;
    for (auto &p : posts) {
      ++per_user[p.user_id];
      if (!texts.emplace(p.user_id, p.text).second) fail("posted twice: " + p.text);
      post_ids.insert(p.id);
    }
    for (int a = 0; a < o_.accounts; ++a) {
      const int want = o_.jobs / o_.accounts + (a < o_.jobs % o_.accounts ? 1 : 0);
      if (int got = per_user[std::to_string(3000 + a)]; got != want)
        fail(nickname(a) + " has " + std::to_string(got) + " posts, " + std::to_string(want) +
             " jobs");
    }
    if (!x_.auth_failures().empty()) fail("X refused a signature: " + x_.auth_failures()[0]);

    // In the ledger: one published row per job, naming the posts X holds.
    auto ledger = host("publications --json --target twitter --state published");
    if (ledger.code != 0) return fail("publications failed: " + ledger.err);
    std::set<std::string> ledger_jobs, remote_ids;
    const auto rows = json::parse(ledger.out).as_array();
    for (auto &row : rows) {
      ledger_jobs.emplace(row.at("job_id").as_string());
      remote_ids.emplace(row.at("remote_id").as_string());
    }
    if (rows.size() != ids.size() || ledger_jobs != ids)
      fail(std::to_string(rows.size()) + " published ledger rows for " +
           std::to_string(ledger_jobs.size()) + " of the " + std::to_string(ids.size()) + " jobs");
    if (remote_ids != post_ids) fail("the ledger's post ids are not those X holds");
  }

  const XJobsOptions &o_;
  const int workers_;
  const std::string store_url_;
  const fs::path folder_;
  std::atomic<size_t> answers_{0};
  SpreadDelays llm_delays_, x_delays_;
  testing::FakeOpenAI llm_;
  testing::FakeX x_;
  LatencyFront llm_front_, x_front_;  // after the fakes: they stop first
};

}  // namespace

XJobsResult run_x_jobs(const XJobsOptions &o, int workers, const std::string &store_url) {
  return Round(o, workers, store_url).run();
}

}  // namespace automuse::bench
