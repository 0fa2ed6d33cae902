// bench/workers/x_jobs_round.hpp — one round of latency-bound jobs run as users run them: X
// accounts and their schedules added with `automuse-host accounts add` and `schedule add`, the
// slots enqueued by `automuse-host daemon --slots 0` into one PostgreSQL, then run by
// `automuse-host worker --slots N` processes, each a host of its own (its own data, cache and
// log folders, the shared config naming the store). Each job is the X plugin's `run`: the fake
// LLM writes the post and the fake X takes it, both behind a LatencyFront that gives them the
// real services' delays. The round is timed from the first worker's start to the last job's
// end (the queue has no open job left), then checked: every job done, one succeeded attempt
// each, exactly one post per job at the fake X (none twice, none lost) and one published
// ledger row per job naming that post.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

namespace automuse::bench {

struct XJobsOptions {
  std::string host_exe, plugin_dir;
  std::filesystem::path work;  // the round makes its folder under it
  int jobs = 48;
  int accounts = 24;  // the jobs' schedules go round the accounts
  int slots = 4;      // per worker
  int llm_min_ms = 1500, llm_max_ms = 3000;
  int x_min_ms = 200, x_max_ms = 400;
};

struct XJobsResult {
  int workers = 0;
  double seconds = 0;       // first worker's start to the last job's end
  size_t llm_requests = 0;  // chat completions asked (a refused draft is asked again)
  size_t x_requests = 0;    // requests the fake X answered
  size_t llm_peak = 0;      // most LLM requests waiting at once
  int attempts = 0;         // job runs recorded (more than jobs: transient failures retried)
  std::vector<std::string> warnings;  // warning and error lines of the hosts' logs
  std::vector<std::string> problems;  // what did not hold; empty when every check passed
  std::filesystem::path folder;       // the round's folder: config, logs, hosts' data
};

// Runs `o.jobs` jobs with `workers` worker processes of `o.slots` slots on the empty
// PostgreSQL database `store_url` (a libpq connection string).
XJobsResult run_x_jobs(const XJobsOptions &o, int workers, const std::string &store_url);

}  // namespace automuse::bench
