// bench/workers — the job queue (host/schedule/job_queue.hpp) on one throw-away PostgreSQL, as
// many hosts share it:
//   1. no-op jobs: N jobs (default 1,000) of 100 accounts claimed by 3 worker processes with 16
//      slots each (a thread and a connection per slot); each claim is finished at once. Prints
//      claims per second, claim latency (p50, p99, max: the claim call, a transaction with
//      FOR UPDATE SKIP LOCKED), and double claims (a job claimed twice: must be 0) and jobs
//      never claimed (must be 0). These workers are forked processes calling the queue
//      directly, so claims cross processes as they cross hosts.
//   2. latency-bound jobs, for real (x_jobs_round.hpp): X accounts and schedules added with
//      the built automuse-host, their slots enqueued by `daemon --slots 0`, and run by real
//      `automuse-host worker --slots 4` processes (1, then 3, each on a fresh database): each
//      job is the X plugin's `run`, its post written by the fake LLM (1.5-3 s an answer) and
//      posted to the fake X (200-400 ms a request), both behind a LatencyFront. Prints jobs
//      per minute side by side and their ratio. Fails (exit 1) unless every job succeeded and
//      the fake X holds exactly one post per job, matching the publication ledger.
#include <sys/wait.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <map>
#include <string>
#include <thread>
#include <vector>

#include "schedule/job_queue.hpp"
#include "schedule/schedule_store.hpp"
#include "store/store.hpp"
#include "support/host_process.hpp"
#include "support/postgres_server.hpp"
#include "x_jobs_round.hpp"

namespace {

using namespace automuse;
using Clock = std::chrono::steady_clock;

constexpr int kAccounts = 100;  // one job per account runs at a time: spread the jobs

// Enqueues `jobs` slots spread over kAccounts accounts' schedules.
void enqueue(const store::Location &where, int jobs) {
  store::Store store(where);
  schedule::ScheduleStore schedules(where);
  schedule::JobQueue queue(where);
  std::vector<schedule::Schedule> per_account;
  for (int a = 0; a < kAccounts; ++a) {
    store::Account acc =
        store.add_account({"bench", "acct-" + std::to_string(a), {}, {}, {}, {}, {}}, nullptr);
    schedule::Schedule s;
    s.plugin_id = "bench";
    s.account_id = acc.id;
    s.action = "noop";
    s.cron = "* * * * *";
    per_account.push_back(schedules.add(s));
  }
  for (int j = 0; j < jobs; ++j) {
    schedule::Schedule &s = per_account[j % kAccounts];
    const int64_t slot = 60 * (j / kAccounts + 1);
    if (!queue.enqueue_slot(s, slot, slot)) throw std::runtime_error("slot not enqueued");
    s.last_fire_at = slot;
  }
}

// One worker process: `slots` threads claim until the queue is empty, each finishing its claim
// at once. Writes "job_id claim_micros" lines to `out`.
void worker(const store::Location &where, int slots, const std::string &out) {
  std::vector<std::vector<std::pair<std::string, int64_t>>> got(slots);
  std::vector<std::thread> threads;
  const std::string owner = schedule::worker_id();
  for (int t = 0; t < slots; ++t) {
    threads.emplace_back([&, t] {
      schedule::JobQueue queue(where);
      int idle = 0;
      while (idle < 20) {  // the queue stays empty for 20 polls of 5 ms: done
        const auto t0 = Clock::now();
        auto claim = queue.claim(owner + "/" + std::to_string(t), 60'000);
        const auto micros =
            std::chrono::duration_cast<std::chrono::microseconds>(Clock::now() - t0).count();
        if (!claim) {
          ++idle;
          std::this_thread::sleep_for(std::chrono::milliseconds(5));
          continue;
        }
        idle = 0;
        got[t].emplace_back(claim->job.id, micros);
        queue.finish(claim->job.id, owner + "/" + std::to_string(t), "done");
      }
    });
  }
  for (auto &th : threads) th.join();
  std::ofstream f(out);
  for (auto &v : got)
    for (auto &[id, us] : v) f << id << ' ' << us << '\n';
}

struct Round {
  double seconds = 0;
  std::map<std::string, int> claims;  // job id -> times claimed
  std::vector<int64_t> latencies_us;
};

Round run_workers(const store::Location &where, int workers, int slots) {
  const std::string dir = "/tmp/automuse-workers-bench-" + std::to_string(::getpid());
  std::filesystem::create_directories(dir);
  const auto t0 = Clock::now();
  std::vector<pid_t> pids;
  for (int w = 0; w < workers; ++w) {
    const pid_t pid = ::fork();
    if (pid == 0) {
      int code = 0;
      try {
        worker(where, slots, dir + "/w" + std::to_string(w));
      } catch (const std::exception &e) {
        std::fprintf(stderr, "worker %d: %s\n", w, e.what());
        code = 1;
      }
      std::_Exit(code);
    }
    pids.push_back(pid);
  }
  for (pid_t p : pids) {
    int status = 0;
    ::waitpid(p, &status, 0);
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) throw std::runtime_error("a worker failed");
  }
  Round r;
  // The last 20 empty polls of each slot are not work: leave them out of the time.
  r.seconds = std::chrono::duration<double>(Clock::now() - t0).count() - 20 * 0.005;
  for (int w = 0; w < workers; ++w) {
    std::ifstream f(dir + "/w" + std::to_string(w));
    std::string id;
    int64_t us = 0;
    while (f >> id >> us) {
      ++r.claims[id];
      r.latencies_us.push_back(us);
    }
  }
  std::filesystem::remove_all(dir);
  std::sort(r.latencies_us.begin(), r.latencies_us.end());
  return r;
}

double percentile(const std::vector<int64_t> &sorted, double p) {
  if (sorted.empty()) return 0;
  const size_t i = std::min(sorted.size() - 1, static_cast<size_t>(p * (sorted.size() - 1) + 0.5));
  return sorted[i] / 1000.0;
}

int doubles(const Round &r) {
  int n = 0;
  for (auto &[id, count] : r.claims) n += count > 1 ? count - 1 : 0;
  return n;
}

// Part 1; false when a job was claimed twice or never.
bool noop_jobs(testing::PostgresServer &pg, int jobs) {
  const auto where = store::Location::postgresql(pg.fresh_database());
  enqueue(where, jobs);
  Round r = run_workers(where, 3, 16);
  const int lost = jobs - static_cast<int>(r.claims.size());
  std::printf("no-op jobs: %d claimed by 3 workers x 16 slots in %.2f s: %.0f claims/s\n",
              static_cast<int>(r.latencies_us.size()), r.seconds,
              r.latencies_us.size() / r.seconds);
  std::printf("claim latency: p50 %.1f ms, p99 %.1f ms, max %.1f ms\n",
              percentile(r.latencies_us, 0.5), percentile(r.latencies_us, 0.99),
              percentile(r.latencies_us, 1.0));
  std::printf("double claims: %d (must be 0); jobs never claimed: %d (must be 0)\n", doubles(r),
              lost);
  return !doubles(r) && !lost;
}

// Part 2; false when a check of a round failed.
bool x_jobs(testing::PostgresServer &pg, const bench::XJobsOptions &o) {
  std::printf(
      "latency-bound jobs: %d X posts (twitter run) for %d accounts, LLM %d-%d ms an answer, X "
      "%d-%d ms a request, workers of %d slots:\n",
      o.jobs, o.accounts, o.llm_min_ms, o.llm_max_ms, o.x_min_ms, o.x_max_ms, o.slots);
  std::fflush(stdout);
  std::vector<bench::XJobsResult> rounds;
  for (int workers : {1, 3}) {
    rounds.push_back(bench::run_x_jobs(o, workers, pg.fresh_database()));
    const auto &r = rounds.back();
    std::printf(
        "  %d worker%s x %d slots: %.1f s, %.1f jobs/minute (%d job runs, %zu LLM requests, "
        "at most %zu at once, %zu X requests)\n",
        workers, workers > 1 ? "s" : "", o.slots, r.seconds, o.jobs / r.seconds * 60, r.attempts,
        r.llm_requests, r.llm_peak, r.x_requests);
    if (!r.warnings.empty())
      std::printf("    %zu warning/error lines in the hosts' logs, the first: %s\n",
                  r.warnings.size(), r.warnings.front().c_str());
    for (auto &p : r.problems) std::printf("    FAILED: %s\n", p.c_str());
    if (!r.problems.empty() || !r.warnings.empty()) std::printf("    logs: %s\n", r.folder.c_str());
    std::fflush(stdout);
  }
  std::printf("jobs/minute: 1 worker %.1f | 3 workers %.1f | ratio %.2fx\n",
              o.jobs / rounds[0].seconds * 60, o.jobs / rounds[1].seconds * 60,
              rounds[0].seconds / rounds[1].seconds);
  return rounds[0].problems.empty() && rounds[1].problems.empty();
}

// "LO-HI" (or one number) in milliseconds.
void parse_range(const std::string &text, int &lo, int &hi) {
  const auto dash = text.find('-');
  lo = std::stoi(text.substr(0, dash));
  hi = dash == std::string::npos ? lo : std::stoi(text.substr(dash + 1));
  if (lo < 0 || hi < lo) throw std::invalid_argument("bad range " + text);
}

}  // namespace

int main(int argc, char **argv) {
  CLI::App app(
      "The job queue on PostgreSQL: claims across worker processes, and real X jobs "
      "run by 1 and by 3 automuse-host workers");
  int jobs = 1000;
  bench::XJobsOptions o;
  o.host_exe = testing::host_exe(HOST_EXE);
  o.plugin_dir = PLUGIN_DIR;
  std::string llm_ms = "1500-3000", x_ms = "200-400", work;
  app.add_option("--jobs", jobs, "no-op jobs (0: skip part 1)");
  app.add_option("--x-jobs", o.jobs, "latency-bound jobs (X posts) per round")
      ->check(CLI::PositiveNumber);
  app.add_option("--accounts", o.accounts, "X accounts the jobs go round")
      ->check(CLI::PositiveNumber);
  app.add_option("--slots", o.slots, "slots of each worker")->check(CLI::PositiveNumber);
  app.add_option("--llm-ms", llm_ms, "LLM answer delay, LO-HI ms");
  app.add_option("--x-ms", x_ms, "X request delay, LO-HI ms");
  app.add_option("--host", o.host_exe, "automuse-host to run (default: this build's)");
  app.add_option("--plugin-dir", o.plugin_dir, "plugin folder (default: this build's)");
  app.add_option("--work", work, "folder for the rounds' hosts (default: a temporary one)");
  CLI11_PARSE(app, argc, argv);
  try {
    parse_range(llm_ms, o.llm_min_ms, o.llm_max_ms);
    parse_range(x_ms, o.x_min_ms, o.x_max_ms);
  } catch (const std::exception &e) {
    std::fprintf(stderr, "workers_bench: --llm-ms/--x-ms: %s\n", e.what());
    return 2;
  }
  o.work = work.empty() ? std::filesystem::temp_directory_path() /
                              ("automuse-workers-bench-x-" + std::to_string(::getpid()))
                        : std::filesystem::path(work);

  auto &pg = testing::PostgresServer::get();
  if (jobs > 0 && !noop_jobs(pg, jobs)) return 1;
  try {
    if (!x_jobs(pg, o)) return 1;  // the work folder stays, with the hosts' logs
  } catch (const std::exception &e) {
    std::fprintf(stderr, "workers_bench: %s (logs in %s)\n", e.what(), o.work.c_str());
    return 1;
  }
  if (work.empty()) std::filesystem::remove_all(o.work);
  return 0;
}
