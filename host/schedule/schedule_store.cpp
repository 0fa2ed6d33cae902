// host/schedule/schedule_store.cpp — SQL for schedules and runs.
#include "schedule/schedule_store.hpp"

#include <cctype>
#include <chrono>
#include <cstdio>
#include <random>

#include "schedule/job_queue.hpp"

namespace automuse::schedule {

std::string new_id() {
  static thread_local std::mt19937_64 rng{std::random_device{}()};
  uint64_t a = rng(), b = rng();
  char buf[40];
  std::snprintf(buf, sizeof buf, "%08x-%04x-4%03x-%04x-%012llx", static_cast<unsigned>(a >> 32),
                static_cast<unsigned>((a >> 16) & 0xffff), static_cast<unsigned>(a & 0x0fff),
                static_cast<unsigned>(((b >> 48) & 0x3fff) | 0x8000),
                static_cast<unsigned long long>(b & 0xffffffffffffULL));
  return buf;
}

int64_t now_seconds() {
  return std::chrono::duration_cast<std::chrono::seconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

const char *const kRunColumns =
    "id, schedule_id, plugin_id, account_id, action, attempt, status, error, result, started_at,"
    " finished_at, request, resume_of, worker, job_id";

JobRun read_run(store::Stmt &q) {
  JobRun r;
  int64_t attempt = 0;
  q.columns(r.id, r.schedule_id, r.plugin_id, r.account_id, r.action, attempt, r.status, r.error,
            r.result, r.started_at, r.finished_at);
  r.attempt = static_cast<int>(attempt);
  r.request = q.opt_text(11).value_or("{}");
  r.resume_of = q.opt_text(12);
  r.worker = q.opt_text(13);
  r.job_id = q.opt_text(14).value_or(r.id);
  return r;
}

namespace {

Schedule read_schedule(store::Stmt &s) {
  Schedule out;
  s.columns(out.id, out.plugin_id, out.account_id, out.action, out.cron, out.time_zone, out.paused,
            out.created_at, out.last_fire_at);
  out.request = s.opt_text(9).value_or("{}");
  return out;
}

// The newest run of this plugin, account, action and request among those `where` selects.
std::optional<JobRun> latest_run(store::Db &db, std::string_view where,
                                 const std::string &plugin_id,
                                 const std::optional<std::string> &account_id,
                                 const std::string &action, const std::string &request) {
  store::Stmt q(
      db,
      std::string("SELECT ") + kRunColumns + " FROM job_runs WHERE " + std::string(where) +
          " AND plugin_id = ? AND account_id IS NOT DISTINCT FROM ? AND action = ? AND request = ?"
          " ORDER BY started_at DESC, id DESC LIMIT 1");
  q.bind_all(plugin_id, account_id, action, request);
  if (!q.step()) return std::nullopt;
  return read_run(q);
}

constexpr const char *kScheduleColumns =
    "id, plugin_id, account_id, action, cron, time_zone, paused, created_at, last_fire_at,"
    " request";

}  // namespace

ScheduleStore::ScheduleStore(const store::Location &where) : db_(where) {}

Schedule ScheduleStore::add(Schedule s) {
  s.id = new_id();
  s.created_at = now_seconds();
  store::Stmt q(db_,
                "INSERT INTO schedules (id, plugin_id, account_id, action, cron, time_zone, paused,"
                " created_at, last_fire_at, request) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
  q.bind_all(s.id, s.plugin_id, s.account_id, s.action, s.cron, s.time_zone,
             static_cast<int64_t>(s.paused), s.created_at, s.last_fire_at, s.request)
      .run();
  return s;
}

std::vector<Schedule> ScheduleStore::list() {
  store::Stmt q(
      db_, std::string("SELECT ") + kScheduleColumns + " FROM schedules ORDER BY created_at, id");
  std::vector<Schedule> out;
  while (q.step()) out.push_back(read_schedule(q));
  return out;
}

std::optional<Schedule> ScheduleStore::get(const std::string &id_or_prefix) {
  // Ids are lower-case hex; a prefix matches in either case on both engines (SQLite's LIKE
  // ignores ASCII case, PostgreSQL's does not).
  std::string prefix = id_or_prefix;
  for (char &c : prefix) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  store::Stmt q(db_, std::string("SELECT ") + kScheduleColumns +
                         " FROM schedules WHERE id = ? OR LOWER(id) LIKE ? ORDER BY id");
  q.bind(1, id_or_prefix).bind(2, prefix + "%");
  std::vector<Schedule> found;
  while (q.step()) found.push_back(read_schedule(q));
  for (auto &s : found)
    if (s.id == id_or_prefix) return s;
  if (found.size() == 1) return found.front();
  if (found.size() > 1)
    throw store::StoreError("schedule id '" + id_or_prefix + "' is ambiguous: give more of it");
  return std::nullopt;
}

bool ScheduleStore::remove(const std::string &id) {
  store::Stmt q(db_, "DELETE FROM schedules WHERE id = ?");
  q.bind(1, id).run();
  return db_.changes() > 0;
}

void ScheduleStore::set_paused(const std::string &id, bool paused) {
  store::Stmt q(db_, "UPDATE schedules SET paused = ? WHERE id = ?");
  q.bind(1, static_cast<int64_t>(paused)).bind(2, id).run();
}

void ScheduleStore::set_last_fire(const std::string &id, int64_t scheduled_time) {
  store::Stmt q(db_, "UPDATE schedules SET last_fire_at = ? WHERE id = ?");
  q.bind(1, scheduled_time).bind(2, id).run();
}

JobRun ScheduleStore::queue_retry(JobRun run) {
  run.status = "retrying";
  return start_run(std::move(run));
}

bool ScheduleStore::begin_retry(const std::string &id) {
  store::Stmt q(db_,
                "UPDATE job_runs SET status = 'running', started_at = ? WHERE id = ?"
                " AND status = 'retrying'");
  q.bind(1, now_seconds()).bind(2, id).run();
  return db_.changes() > 0;
}

JobRun ScheduleStore::start_run(JobRun run) {
  run.id = new_id();
  run.started_at = now_seconds();
  if (run.status != "retrying") run.status = "running";
  run.worker = worker_id();
  if (run.job_id.empty()) run.job_id = run.id;
  store::Stmt q(db_,
                "INSERT INTO job_runs (id, schedule_id, plugin_id, account_id, action, attempt,"
                " status, started_at, request, resume_of, worker, job_id)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
  q.bind_all(run.id, run.schedule_id, run.plugin_id, run.account_id, run.action,
             static_cast<int64_t>(run.attempt), run.status, run.started_at, run.request,
             run.resume_of, run.worker, run.job_id)
      .run();
  return run;
}

bool ScheduleStore::finish_run(const std::string &id, const std::string &status,
                               const std::optional<std::string> &error,
                               const std::optional<std::string> &result) {
  store::Stmt q(
      db_,
      "UPDATE job_runs SET status = ?, error = ?, result = ?, finished_at = ? WHERE id = ?"
      " AND status IN ('running', 'retrying')");
  q.bind_all(status, error, result, now_seconds(), id).run();
  return db_.changes() > 0;
}

std::vector<JobRun> ScheduleStore::runs_of_job(const std::string &job_id) {
  store::Stmt q(db_, std::string("SELECT ") + kRunColumns +
                         " FROM job_runs WHERE job_id = ? ORDER BY started_at, attempt, id");
  q.bind(1, job_id);
  std::vector<JobRun> out;
  while (q.step()) out.push_back(read_run(q));
  return out;
}

std::vector<JobRun> ScheduleStore::list_runs(int limit) {
  store::Stmt q(db_, std::string("SELECT ") + kRunColumns +
                         " FROM job_runs ORDER BY started_at DESC, id DESC LIMIT ?");
  q.bind(1, static_cast<int64_t>(limit > 0 ? limit : 1000000));
  std::vector<JobRun> out;
  while (q.step()) out.push_back(read_run(q));
  return out;
}

std::optional<JobRun> ScheduleStore::find_finished(const std::string &plugin_id,
                                                   const std::optional<std::string> &account_id,
                                                   const std::string &action,
                                                   const std::string &request) {
  return latest_run(db_, "status = 'succeeded' AND schedule_id IS NULL", plugin_id, account_id,
                    action, request);
}

std::string ScheduleStore::account_nickname(const std::string &account_id) {
  store::Stmt q(db_, "SELECT nickname FROM accounts WHERE id = ?");
  q.bind(1, account_id);
  return q.step() ? q.text(0) : std::string();
}

}  // namespace automuse::schedule
