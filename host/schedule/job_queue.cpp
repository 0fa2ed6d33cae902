// host/schedule/job_queue.cpp — SQL of the job queue. Portable SQL only (the store runs on
// SQLite and PostgreSQL; a parameter only tested for NULL is CAST, so PostgreSQL knows its
// type); the claim is in one place, oldest_claimable below.
#include "schedule/job_queue.hpp"

#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <random>
#include <string>
#include <string_view>

#include "config/config.hpp"

namespace automuse::schedule {
namespace {

constexpr const char *kJobColumns =
    "id, plugin_id, account_id, action, request, schedule_id, slot_time, state, lease_owner,"
    " lease_expires_ms, attempts, error, enqueued_ms, approval, approval_item, approved_ms";

Job read_job(store::Stmt &q) {
  Job j;
  int64_t attempts = 0;
  q.columns(j.id, j.plugin_id, j.account_id, j.action, j.request, j.schedule_id, j.slot_time,
            j.state, j.lease_owner, j.lease_expires_ms, attempts, j.error, j.enqueued_ms,
            j.approval, j.approval_item, j.approved_ms);
  j.attempts = static_cast<int>(attempts);
  return j;
}

// Which jobs a worker may take at `now` (two parameters: now, now): queued ones, and running
// ones whose holder stopped renewing.
constexpr const char *kClaimable =
    "(state = 'queued' OR (state = 'running' AND lease_expires_ms < ?))";

// Another job of the same plugin and account as `jobs` runs under a live lease (parameter:
// now). One job at a time per account, across workers as within one: a plugin keeps an
// account's unfinished work under the account's inputs.
constexpr const char *kAccountBusy =
    "EXISTS (SELECT 1 FROM jobs busy WHERE busy.state = 'running' AND busy.lease_expires_ms >= ?"
    " AND busy.id <> jobs.id AND busy.plugin_id = jobs.plugin_id AND (busy.account_id ="
    " jobs.account_id OR (busy.account_id IS NULL AND jobs.account_id IS NULL)))";

// The id of the oldest claimable job whose account is free. On SQLite this runs inside the
// caller's write transaction (BEGIN IMMEDIATE), which serialises writers, so no other worker
// claims between this SELECT and the UPDATE that follows. On PostgreSQL, inside a transaction
// of row locks only, `lock` is "FOR UPDATE SKIP LOCKED": concurrent workers skip the row one
// of them has locked instead of waiting for it (the account's row lock in take_account,
// below, keeps two of them from taking two jobs of one account).
std::optional<std::string> oldest_claimable(store::Db &db, int64_t now,
                                            std::string_view lock = {}) {
  store::Stmt q(db, std::string("SELECT id FROM jobs WHERE ") + kClaimable + " AND NOT " +
                        kAccountBusy + " ORDER BY enqueued_ms, id LIMIT 1" + std::string(lock));
  q.bind_all(now, now);
  if (!q.step()) return std::nullopt;
  return q.text(0);
}

// Locks the account of job `id` for this transaction (a no-op write to its row: on SQLite the
// write transaction holds every lock already; on PostgreSQL concurrent claims of one account
// queue here) and checks again that no other job of it runs. False when one does.
bool take_account(store::Db &db, const std::string &id, int64_t now) {
  store::Stmt lock(db,
                   "UPDATE accounts SET updated_at = updated_at WHERE id = (SELECT account_id FROM"
                   " jobs WHERE id = ?)");
  lock.bind(1, id).run();
  store::Stmt busy(db, std::string("SELECT COUNT(*) FROM jobs WHERE id = ? AND ") + kAccountBusy);
  busy.bind_all(id, now);
  busy.step();
  return busy.int64(0) == 0;
}

std::string host_name() {
  char buf[256] = {};
  if (::gethostname(buf, sizeof buf - 1) != 0) return "unknown-host";
  return buf;
}

}  // namespace

LeaseTimes lease_times(const config::Config &config) {
  LeaseTimes t;
  auto ms = [&](const char *key) -> std::optional<int64_t> {
    if (auto *v = config.find(key); v && v->is_number() && v->to_number<double>() > 0)
      return std::max<int64_t>(1, static_cast<int64_t>(v->to_number<double>() * 1000));
    return std::nullopt;
  };
  if (auto v = ms("queue.lease_seconds")) t.lease_ms = *v;
  t.renew_ms = std::max<int64_t>(1, t.lease_ms / 3);
  // Renewing less often than twice a lease would let it lapse between renewals.
  if (auto v = ms("queue.renew_seconds"))
    t.renew_ms = std::max<int64_t>(1, std::min(*v, t.lease_ms / 2));
  if (auto v = ms("queue.poll_seconds")) t.poll_ms = *v;
  return t;
}

int64_t lease_clock_ms() {
  // The host's clock (see job_queue.hpp). On PostgreSQL the database's would serve every
  // host alike: SELECT (extract(epoch from clock_timestamp()) * 1000)::bigint.
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

const std::string &worker_id() {
  static const std::string id = [] {
    std::random_device rd;
    char suffix[9];
    std::snprintf(suffix, sizeof suffix, "%08x", static_cast<unsigned>(rd()));
    return host_name() + ":" + std::to_string(::getpid()) + ":" + suffix;
  }();
  return id;
}

JobQueue::JobQueue(const store::Location &where) : db_(where) {}

std::optional<Job> JobQueue::enqueue_slot(const Schedule &s, int64_t slot_time, int64_t fired_at) {
  store::WriteTxn txn(db_);
  // The firing first, guarded by what this daemon read: a daemon that lost it enqueues
  // nothing. The slot's uniqueness is what guarantees one job per slot.
  store::Stmt fire(db_,
                   "UPDATE schedules SET last_fire_at = ? WHERE id = ? AND"
                   " (last_fire_at = ? OR (last_fire_at IS NULL AND CAST(? AS BIGINT) IS NULL))");
  fire.bind_all(fired_at, s.id, s.last_fire_at, s.last_fire_at).run();
  if (db_.changes() == 0) return std::nullopt;
  Job j;
  j.id = new_id();
  j.plugin_id = s.plugin_id;
  j.account_id = s.account_id;
  j.action = s.action;
  j.request = s.request;
  j.schedule_id = s.id;
  j.slot_time = slot_time;
  j.state = "queued";
  j.enqueued_ms = lease_clock_ms();
  store::Stmt add(db_,
                  "INSERT INTO jobs (id, plugin_id, account_id, action, request, schedule_id,"
                  " slot_time, state, enqueued_ms, updated_ms) VALUES (?, ?, ?, ?, ?, ?, ?,"
                  " 'queued', ?, ?) ON CONFLICT (schedule_id, slot_time) DO NOTHING");
  add.bind_all(j.id, j.plugin_id, j.account_id, j.action, j.request, j.schedule_id, slot_time,
               j.enqueued_ms, j.enqueued_ms)
      .run();
  const bool added = db_.changes() > 0;
  txn.commit();
  if (!added) return std::nullopt;
  return j;
}

Job JobQueue::enqueue_held(Job j, const std::string &owner, int64_t lease_ms) {
  j.id = new_id();
  j.state = "running";
  j.enqueued_ms = lease_clock_ms();
  j.lease_owner = owner;
  j.lease_expires_ms = j.enqueued_ms + lease_ms;
  j.attempts = 1;
  store::Stmt add(db_,
                  "INSERT INTO jobs (id, plugin_id, account_id, action, request, schedule_id,"
                  " slot_time, state, lease_owner, lease_expires_ms, attempts, enqueued_ms,"
                  " updated_ms) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
  add.bind_all(j.id, j.plugin_id, j.account_id, j.action, j.request, j.schedule_id, j.slot_time,
               j.state, j.lease_owner, j.lease_expires_ms, static_cast<int64_t>(j.attempts),
               j.enqueued_ms, j.enqueued_ms)
      .run();
  return j;
}

Job JobQueue::enqueue(Job j) {
  j.id = new_id();
  j.state = "queued";
  j.enqueued_ms = lease_clock_ms();
  j.attempts = 0;
  store::Stmt add(db_,
                  "INSERT INTO jobs (id, plugin_id, account_id, action, request, schedule_id,"
                  " slot_time, state, enqueued_ms, updated_ms, approval) VALUES (?, ?, ?, ?, ?,"
                  " ?, ?, 'queued', ?, ?, ?)");
  add.bind_all(j.id, j.plugin_id, j.account_id, j.action, j.request, j.schedule_id, j.slot_time,
               j.enqueued_ms, j.enqueued_ms, j.approval)
      .run();
  return j;
}

std::optional<std::string> JobQueue::request_cancel(const std::string &id) {
  store::WriteTxn txn(db_);
  const int64_t now = lease_clock_ms();
  store::Stmt now_off(db_,
                      "UPDATE jobs SET state = 'cancelled', error = 'cancelled', updated_ms = ?,"
                      " finished_ms = ? WHERE id = ? AND state IN ('queued', 'interrupted')");
  now_off.bind_all(now, now, id).run();
  store::Stmt mark(db_,
                   "UPDATE jobs SET cancel_requested = 1, updated_ms = ? WHERE id = ? AND"
                   " state = 'running'");
  mark.bind_all(now, id).run();
  store::Stmt q(db_, "SELECT state FROM jobs WHERE id = ?");
  q.bind(1, id);
  std::optional<std::string> state;
  if (q.step()) state = q.text(0);
  txn.commit();
  return state;
}

std::vector<std::string> JobQueue::cancel_requests(const std::string &owner) {
  store::Stmt q(db_,
                "SELECT id FROM jobs WHERE state = 'running' AND lease_owner = ? AND"
                " cancel_requested <> 0");
  q.bind(1, owner);
  std::vector<std::string> out;
  while (q.step()) out.push_back(q.text(0));
  return out;
}

std::optional<Claim> JobQueue::take(const std::string &id, const std::string &owner,
                                    int64_t lease_ms, int64_t now) {
  store::Stmt q(db_, std::string("UPDATE jobs SET state = 'running', lease_owner = ?,"
                                 " lease_expires_ms = ?, attempts = attempts + 1, updated_ms = ?"
                                 " WHERE id = ? AND (state = 'interrupted' OR ") +
                         kClaimable + ")");
  q.bind_all(owner, now + lease_ms, now, id, now).run();
  if (db_.changes() == 0) return std::nullopt;
  Claim c;
  c.job = *get(id);
  // The attempt its last holder left unfinished is over: the next attempt continues it.
  store::Stmt left(db_, std::string("SELECT ") + kRunColumns +
                            " FROM job_runs WHERE job_id = ? AND status IN ('running',"
                            " 'retrying', 'interrupted') ORDER BY started_at DESC, id LIMIT 1");
  left.bind(1, id);
  if (left.step()) c.left = read_run(left);
  if (c.left) {
    const bool killed = c.left->status != "interrupted";
    store::Stmt mark(db_,
                     "UPDATE job_runs SET status = 'resumed', error = COALESCE(?, error),"
                     " finished_at = COALESCE(finished_at, ?) WHERE job_id = ? AND status IN"
                     " ('running', 'retrying', 'interrupted')");
    std::optional<std::string> why;
    if (killed)
      why = "left running by worker " + c.left->worker.value_or("?") +
            ", whose lease lapsed without the run finishing (killed, or the machine stopped)";
    mark.bind_all(why, now / 1000, id).run();
  }
  return c;
}

std::optional<Claim> JobQueue::claim(const std::string &owner, int64_t lease_ms) {
  // Idle workers poll: look without the write lock first, so an empty queue costs a read.
  if (!oldest_claimable(db_, lease_clock_ms())) return std::nullopt;
  store::WriteTxn txn(db_, store::WriteTxn::Scope::rows);
  const int64_t now = lease_clock_ms();
  auto id = oldest_claimable(db_, now, db_.skip_locked_rows_clause());
  if (!id || !take_account(db_, *id, now)) return std::nullopt;
  auto c = take(*id, owner, lease_ms, now);
  txn.commit();
  return c;
}

std::optional<Claim> JobQueue::claim_identical(const std::string &owner, int64_t lease_ms,
                                               const std::string &plugin_id,
                                               const std::optional<std::string> &account_id,
                                               const std::string &action,
                                               const std::string &request) {
  store::WriteTxn txn(db_);
  const int64_t now = lease_clock_ms();
  store::Stmt q(db_, std::string("SELECT id FROM jobs WHERE schedule_id IS NULL AND"
                                 " plugin_id = ? AND (account_id = ? OR (account_id IS NULL AND"
                                 " CAST(? AS TEXT) IS NULL)) AND action = ? AND request = ? AND"
                                 " (state = 'interrupted' OR ") +
                         kClaimable + ") ORDER BY enqueued_ms DESC, id LIMIT 1");
  q.bind_all(plugin_id, account_id, account_id, action, request, now);
  if (!q.step()) return std::nullopt;
  const std::string id = q.text(0);
  auto c = take(id, owner, lease_ms, now);
  txn.commit();
  return c;
}

std::optional<int64_t> JobQueue::identical_held_until(const std::optional<std::string> &account_id,
                                                      const std::string &plugin_id,
                                                      const std::string &action,
                                                      const std::string &request,
                                                      const std::string &self) {
  store::Stmt q(db_,
                "SELECT MAX(lease_expires_ms) FROM jobs WHERE schedule_id IS NULL AND"
                " plugin_id = ? AND (account_id = ? OR (account_id IS NULL AND"
                " CAST(? AS TEXT) IS NULL)) AND action = ? AND request = ? AND state = 'running'"
                " AND lease_expires_ms >= ? AND lease_owner <> ?");
  q.bind_all(plugin_id, account_id, account_id, action, request, lease_clock_ms(), self);
  q.step();
  return q.opt_int64(0);
}

bool JobQueue::renew(const std::string &id, const std::string &owner, int64_t lease_ms) {
  const int64_t now = lease_clock_ms();
  store::Stmt q(db_,
                "UPDATE jobs SET lease_expires_ms = ?, updated_ms = ? WHERE id = ? AND"
                " state = 'running' AND lease_owner = ?");
  q.bind_all(now + lease_ms, now, id, owner).run();
  return db_.changes() > 0;
}

bool JobQueue::finish(const std::string &id, const std::string &owner, const std::string &state,
                      const std::optional<std::string> &error) {
  const int64_t now = lease_clock_ms();
  const bool ended = state != "queued" && state != "interrupted";
  store::Stmt q(db_,
                "UPDATE jobs SET state = ?, error = ?, lease_owner = NULL, lease_expires_ms = NULL,"
                " updated_ms = ?, finished_ms = ? WHERE id = ? AND state = 'running' AND"
                " lease_owner = ?");
  q.bind_all(state, error, now, ended ? std::optional<int64_t>(now) : std::nullopt, id, owner)
      .run();
  return db_.changes() > 0;
}

bool JobQueue::hold_for_approval(const std::string &id, const std::string &owner,
                                 const std::string &item) {
  const int64_t now = lease_clock_ms();
  store::Stmt q(db_,
                "UPDATE jobs SET state = 'awaiting_approval', approval_item = ?, error = NULL,"
                " lease_owner = NULL, lease_expires_ms = NULL, updated_ms = ? WHERE id = ? AND"
                " state = 'running' AND lease_owner = ?");
  q.bind_all(item, now, id, owner).run();
  return db_.changes() > 0;
}

void JobQueue::require_approval(const std::string &id) {
  store::Stmt q(db_, "UPDATE jobs SET approval = 'required' WHERE id = ?");
  q.bind(1, id).run();
}

std::optional<Job> JobQueue::approve(const std::string &id, bool *taken) {
  const int64_t now = lease_clock_ms();
  store::Stmt q(db_,
                "UPDATE jobs SET state = 'queued', approved_ms = ?, updated_ms = ? WHERE id = ?"
                " AND state = 'awaiting_approval'");
  q.bind_all(now, now, id).run();
  *taken = db_.changes() > 0;
  return get(id);
}

std::optional<Job> JobQueue::reject(const std::string &id, const std::string &why, bool *taken,
                                    std::optional<std::string> *file) {
  store::WriteTxn txn(db_);
  const int64_t now = lease_clock_ms();
  store::Stmt q(db_,
                "UPDATE jobs SET state = 'rejected', error = ?, updated_ms = ?, finished_ms = ?"
                " WHERE id = ? AND state = 'awaiting_approval'");
  q.bind_all(why, now, now, id).run();
  const bool rejected = db_.changes() > 0;
  *taken = rejected;
  auto job = get(id);
  if (rejected && job && job->approval_item) {
    store::Stmt f(db_, "SELECT local_file FROM history WHERE id = ?");
    f.bind(1, *job->approval_item);
    if (f.step() && file) *file = f.opt_text(0);
    // Kept as a record of what was made, no longer as an outbox item to offer.
    store::Stmt h(db_,
                  "UPDATE history SET status = 'failed', error = ?, local_file = NULL,"
                  " updated_at = ? WHERE id = ? AND status = 'generated'");
    h.bind_all(why, now / 1000, *job->approval_item).run();
  }
  txn.commit();
  return job;
}

std::optional<Job> JobQueue::get(const std::string &id) {
  store::Stmt q(db_, std::string("SELECT ") + kJobColumns + " FROM jobs WHERE id = ?");
  q.bind(1, id);
  if (!q.step()) return std::nullopt;
  return read_job(q);
}

std::vector<Job> JobQueue::open_jobs() {
  store::Stmt q(db_, std::string("SELECT ") + kJobColumns +
                         " FROM jobs WHERE state IN ('queued', 'running', 'interrupted',"
                         " 'awaiting_approval')"
                         " ORDER BY enqueued_ms, id");
  std::vector<Job> out;
  while (q.step()) out.push_back(read_job(q));
  return out;
}

std::vector<Job> JobQueue::recent_jobs(int limit, int offset) {
  store::Stmt q(db_, std::string("SELECT ") + kJobColumns +
                         " FROM jobs ORDER BY enqueued_ms DESC, id LIMIT ? OFFSET ?");
  q.bind_all(static_cast<int64_t>(limit), static_cast<int64_t>(offset));
  std::vector<Job> out;
  while (q.step()) out.push_back(read_job(q));
  return out;
}

}  // namespace automuse::schedule
