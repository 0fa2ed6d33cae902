// host/schedule/schedule_store.hpp — schedules and job runs in the store's database (tables
// from migrations 4-9), through their own connection: daemons, workers, `run-due` and the CLI
// share them across processes (and hosts, on PostgreSQL) through the store's database. Which
// job runs where is the job queue's (job_queue.hpp).
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "store/database.hpp"

namespace automuse::schedule {

struct Schedule {
  std::string id;
  std::string plugin_id;
  std::optional<std::string> account_id;  // the account's id (not nickname)
  std::string action;
  std::string cron;       // five fields, presets already expanded
  std::string time_zone;  // IANA name, "" for UTC
  bool paused = false;
  int64_t created_at = 0;
  std::optional<int64_t> last_fire_at;  // scheduled time of the last firing handled
  // The action's options as JSON, in job_runs' form ({"sets": ["key=value", ...]}): every
  // firing runs with them. "{}" for none.
  std::string request = "{}";
};

struct JobRun {
  std::string id;
  std::optional<std::string> schedule_id;
  std::string plugin_id;
  std::optional<std::string> account_id;
  std::string action;
  int attempt = 1;
  // running, succeeded, failed, cancelled; interrupted (stopped by a shutdown, to be resumed),
  // resumed (an interrupted run that a later run took over); retrying (the next attempt of a
  // transient failure, waiting for its backoff).
  std::string status;
  std::optional<std::string> error, result;
  int64_t started_at = 0;
  std::optional<int64_t> finished_at;
  std::string request = "{}";            // the action's options as JSON (see RunRequest)
  std::optional<std::string> resume_of;  // the interrupted run this one resumes
  // The job this run belongs to: its own id, or the job of the run it resumes (rows written
  // before migration 7: their own id). The publication ledger records it.
  std::string job_id;
  // The worker that made the attempt (worker_id(); none in rows written before migration 9).
  std::optional<std::string> worker;
};

class ScheduleStore {
 public:
  // Opens the store's database file (already created and migrated by store::Store).
  explicit ScheduleStore(const store::Location &where);

  Schedule add(Schedule s);  // id and created_at filled in
  std::vector<Schedule> list();
  std::optional<Schedule> get(const std::string &id_or_prefix);
  bool remove(const std::string &id);
  void set_paused(const std::string &id, bool paused);
  void set_last_fire(const std::string &id, int64_t scheduled_time);

  // id, started_at and worker (this process) filled in, status "running"; job_id is the
  // run's own id unless set (a job's attempts pass the job's).
  JobRun start_run(JobRun run);
  // The same for an attempt that waits for its backoff: status "retrying". The job's lease
  // stays held while it waits; if the worker dies, the next holder continues from this row.
  JobRun queue_retry(JobRun run);
  // A retrying row starts: "running" from now. False when it is no longer retrying.
  bool begin_retry(const std::string &id);
  // Records the end of an attempt that is still running or retrying. False when it is not
  // (another worker took the job over after this one's lease lapsed and recorded it resumed).
  bool finish_run(const std::string &id, const std::string &status,
                  const std::optional<std::string> &error,
                  const std::optional<std::string> &result);
  std::vector<JobRun> list_runs(int limit);
  // The attempts of job `job_id`, oldest first.
  std::vector<JobRun> runs_of_job(const std::string &job_id);

  // The newest run of exactly this plugin, account, action and request that succeeded, not
  // fired by a schedule (a scheduled slot is a run identity of its own).
  std::optional<JobRun> find_finished(const std::string &plugin_id,
                                      const std::optional<std::string> &account_id,
                                      const std::string &action, const std::string &request);
  // The nickname of an account id, for messages; empty when there is none.
  std::string account_nickname(const std::string &account_id);

 private:
  store::Db db_;
};

// The columns of a job_runs row, as read_run reads them (the job queue reads rows too).
extern const char *const kRunColumns;
JobRun read_run(store::Stmt &q);

// A new random id (UUID v4 text).
std::string new_id();
int64_t now_seconds();

}  // namespace automuse::schedule
