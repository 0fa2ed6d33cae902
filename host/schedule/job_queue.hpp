// host/schedule/job_queue.hpp — the job queue in the store (table `jobs`, migration 9): the
// daemon enqueues a schedule's slot once however many daemons run, runs by hand enqueue
// themselves, and workers claim jobs under a lease they renew while working. A worker that
// dies stops renewing; once its lease lapses another worker claims the job and resumes it
// under the same job id (its cached steps and its ledger rows carry on). The job's attempts
// stay in job_runs, linked by job_id.
//
// Time: every lease time comes from lease_clock_ms(), the one "now" of the queue. It is the
// host's clock (SQLite has no server clock to ask); hosts sharing a store must keep their
// clocks in step to well within a lease (NTP), and a lease is long against the skew left.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "schedule/schedule_store.hpp"
#include "store/database.hpp"

namespace automuse::config {
class Config;
}

namespace automuse::schedule {

struct Job {
  std::string id;  // the job id: job_runs.job_id and the publication ledger's
  std::string plugin_id;
  std::optional<std::string> account_id;
  std::string action;
  std::string request = "{}";  // the action's options as JSON, as job_runs keeps them
  std::optional<std::string> schedule_id;
  std::optional<int64_t> slot_time;  // the schedule's slot (Unix seconds); none by hand
  // queued, running (held under a lease), interrupted (a run by hand stopped by a signal: the
  // next identical run resumes it, workers leave it), awaiting_approval (made, held until
  // approved or rejected: no worker takes it), done, failed, cancelled, rejected.
  std::string state;
  std::optional<std::string> lease_owner;  // a worker id (worker_id())
  std::optional<int64_t> lease_expires_ms;
  int attempts = 0;  // how many times it was claimed
  std::optional<std::string> error;
  int64_t enqueued_ms = 0;
  // The approval gate (schedule/approval.hpp): "required" stops the job after its making step
  // in awaiting_approval with what it made (approval_item: a history id); once approved
  // (approved_ms) the next claim runs its publishing step.
  std::string approval = "none";
  std::optional<std::string> approval_item;
  std::optional<int64_t> approved_ms;
};

// A claimed job, and the attempt row its last holder left unfinished (running, retrying or
// interrupted; now recorded "resumed"), which the next attempt links to and continues.
struct Claim {
  Job job;
  std::optional<JobRun> left;
};

// Lease length and renewal interval: queue.lease_seconds (60) and queue.renew_seconds (a third
// of the lease); how often an idle worker looks for jobs: queue.poll_seconds (2).
struct LeaseTimes {
  int64_t lease_ms = 60000;
  int64_t renew_ms = 20000;
  int64_t poll_ms = 2000;
};
LeaseTimes lease_times(const config::Config &config);

// The queue's clock, Unix milliseconds (see above).
int64_t lease_clock_ms();

// This process's worker id: host name, pid and a random suffix (a pid reused after a restart
// is another worker).
const std::string &worker_id();

class JobQueue {
 public:
  // Opens the store's database file (already created and migrated by store::Store).
  explicit JobQueue(const store::Location &where);

  // Takes the firing of `s` (its last_fire_at still `seen`, now `fired_at`) and enqueues its
  // slot `slot_time`, in one transaction. The job when this call enqueued it; nullopt when
  // another daemon took the firing or enqueued the slot first.
  std::optional<Job> enqueue_slot(const Schedule &s, int64_t slot_time, int64_t fired_at);

  // A run by hand, enqueued already held by `owner` (the process that runs it).
  Job enqueue_held(Job job, const std::string &owner, int64_t lease_ms);

  // A job for any worker to take (the web API's): queued, held by nobody.
  Job enqueue(Job job);

  // Cancels job `id`: a queued or interrupted one at once (its new state is returned,
  // "cancelled"); a running one is marked for its holder, which cancels it at its next poll
  // ("running" is returned). nullopt when there is no such job; an ended job's state as it is.
  std::optional<std::string> request_cancel(const std::string &id);
  // Which of `owner`'s running jobs were asked to cancel by request_cancel.
  std::vector<std::string> cancel_requests(const std::string &owner);

  // Claims the oldest queued job, or a running one whose lease has lapsed, for `owner`.
  std::optional<Claim> claim(const std::string &owner, int64_t lease_ms);

  // The job of a run by hand with exactly this plugin, account, action and request that is
  // left to resume (interrupted, queued, or running under a lapsed lease), taken for `owner`.
  std::optional<Claim> claim_identical(const std::string &owner, int64_t lease_ms,
                                       const std::string &plugin_id,
                                       const std::optional<std::string> &account_id,
                                       const std::string &action, const std::string &request);

  // When another holder than `self` still has a live lease on a job of a run by hand with
  // exactly these inputs (a run killed a moment ago, or one still running in another
  // process): when that lease expires. Jobs `self` holds are this process's own runs of the
  // same inputs (`--accounts a,a`), which run one after the other, not a run to take over.
  std::optional<int64_t> identical_held_until(const std::optional<std::string> &account_id,
                                              const std::string &plugin_id,
                                              const std::string &action, const std::string &request,
                                              const std::string &self);

  // Extends `owner`'s lease of job `id`. False when the lease is no longer `owner`'s (it
  // lapsed and another worker took the job, or the job ended): stop working on it.
  bool renew(const std::string &id, const std::string &owner, int64_t lease_ms);

  // Ends `owner`'s hold of job `id`: state done, failed or cancelled, or back to queued (any
  // worker resumes it) or interrupted (runs by hand: the next identical run does). False
  // when the job is no longer `owner`'s.
  bool finish(const std::string &id, const std::string &owner, const std::string &state,
              const std::optional<std::string> &error = std::nullopt);

  // Ends `owner`'s hold of job `id` after its making step: awaiting_approval, with what it
  // made. False when the job is no longer `owner`'s.
  bool hold_for_approval(const std::string &id, const std::string &owner, const std::string &item);
  // Job `id` needs approval (an account's setting found when it started).
  void require_approval(const std::string &id);
  // The decisions on a job awaiting approval, each one conditional on that state (of two
  // concurrent decisions one wins). Approving queues it again to publish; rejecting ends it
  // "rejected" and marks its history record failed, without its file (the outbox no longer
  // offers it). Return the job as it is after the call (nullopt: no such job); `*taken` says
  // whether this call's decision took effect.
  std::optional<Job> approve(const std::string &id, bool *taken);
  // `why` goes to the job's error and the history record's; `file` gets the record's file
  // (to remove) when the rejection took effect.
  std::optional<Job> reject(const std::string &id, const std::string &why, bool *taken,
                            std::optional<std::string> *file);

  std::optional<Job> get(const std::string &id);
  // Queued, running, interrupted and awaiting_approval jobs, oldest first.
  std::vector<Job> open_jobs();
  // Every job, newest first: `limit` of them after skipping `offset`.
  std::vector<Job> recent_jobs(int limit, int offset = 0);

 private:
  std::optional<Claim> take(const std::string &id, const std::string &owner, int64_t lease_ms,
                            int64_t now);

  store::Db db_;
};

}  // namespace automuse::schedule
