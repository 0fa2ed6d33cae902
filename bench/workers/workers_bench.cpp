// bench/workers — the job queue (host/schedule/job_queue.hpp) on one throw-away PostgreSQL, as
// many hosts share it:
//   1. no-op jobs: N jobs (default 1,000) of 100 accounts claimed by 3 worker processes with 16
//      slots each (a thread and a connection per slot); each claim is finished at once. Prints
//      claims per second, claim latency (p50, p99, max: the claim call, a transaction with
//      FOR UPDATE SKIP LOCKED), and double claims (a job claimed twice: must be 0) and jobs
//      never claimed (must be 0).
//   2. latency-bound jobs: each holds its slot for --latency-ms (default 1,500 ms, the order of
//      an LLM call or an upload) without using the CPU, as jobs that wait on remote services
//      do; 1 worker of 4 slots, then 3 workers of 4 slots. Prints jobs per minute side by side.
// Workers are forked processes, so claims cross processes as they cross hosts.
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
#include "support/postgres_server.hpp"

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

// One worker process: `slots` threads claim until the queue is empty, each holding a claimed
// job `hold_ms`. Writes "job_id claim_micros" lines to `out`.
void worker(const store::Location &where, int slots, int hold_ms, const std::string &out) {
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
        if (hold_ms) std::this_thread::sleep_for(std::chrono::milliseconds(hold_ms));
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

Round run_workers(const store::Location &where, int workers, int slots, int hold_ms) {
  const std::string dir = "/tmp/automuse-workers-bench-" + std::to_string(::getpid());
  std::filesystem::create_directories(dir);
  const auto t0 = Clock::now();
  std::vector<pid_t> pids;
  for (int w = 0; w < workers; ++w) {
    const pid_t pid = ::fork();
    if (pid == 0) {
      int code = 0;
      try {
        worker(where, slots, hold_ms, dir + "/w" + std::to_string(w));
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

}  // namespace

int main(int argc, char **argv) {
  CLI::App app("The job queue on PostgreSQL: claims across worker processes");
  int jobs = 1000, latency_jobs = 48, latency_ms = 1500;
  app.add_option("--jobs", jobs, "no-op jobs");
  app.add_option("--latency-jobs", latency_jobs, "latency-bound jobs per run");
  app.add_option("--latency-ms", latency_ms, "how long a latency-bound job waits");
  CLI11_PARSE(app, argc, argv);

  auto &pg = testing::PostgresServer::get();
  {
    const auto where = store::Location::postgresql(pg.fresh_database());
    enqueue(where, jobs);
    Round r = run_workers(where, 3, 16, 0);
    const int lost = jobs - static_cast<int>(r.claims.size());
    std::printf("no-op jobs: %d claimed by 3 workers x 16 slots in %.2f s: %.0f claims/s\n",
                static_cast<int>(r.latencies_us.size()), r.seconds,
                r.latencies_us.size() / r.seconds);
    std::printf("claim latency: p50 %.1f ms, p99 %.1f ms, max %.1f ms\n",
                percentile(r.latencies_us, 0.5), percentile(r.latencies_us, 0.99),
                percentile(r.latencies_us, 1.0));
    std::printf("double claims: %d (must be 0); jobs never claimed: %d (must be 0)\n", doubles(r),
                lost);
    if (doubles(r) || lost) return 1;
  }
  std::printf("latency-bound jobs (%d, each waiting %d ms):\n", latency_jobs, latency_ms);
  for (int workers : {1, 3}) {
    const auto where = store::Location::postgresql(pg.fresh_database());
    enqueue(where, latency_jobs);
    Round r = run_workers(where, workers, 4, latency_ms);
    std::printf("  %d worker%s x 4 slots: %.1f s, %.1f jobs/minute, double claims %d\n", workers,
                workers > 1 ? "s" : "", r.seconds, latency_jobs / r.seconds * 60, doubles(r));
    if (doubles(r) || static_cast<int>(r.claims.size()) != latency_jobs) return 1;
  }
  return 0;
}
