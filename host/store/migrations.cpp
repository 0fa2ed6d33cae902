// The schema history of the store. The SQL is portable (TEXT, BIGINT, CHECK, foreign keys,
// plain indexes): the same steps run on SQLite and on PostgreSQL.
#include "store/migrations.hpp"

#include <algorithm>
#include <chrono>
#include <string>
#include <utility>

namespace automuse::store {

namespace {

// Accounts, secrets, history, products, OAuth tokens, LLM usage, schedules and job runs.
std::vector<Migration> first_steps() {
  return {
      {1,
       "accounts, secrets and history",
       {
           "CREATE TABLE schema_version (version INTEGER NOT NULL PRIMARY KEY,"
           " applied_at BIGINT NOT NULL)",
           "CREATE TABLE accounts (id TEXT NOT NULL PRIMARY KEY, plugin_id TEXT NOT NULL,"
           " nickname TEXT NOT NULL, fields TEXT NOT NULL DEFAULT '{}',"
           " created_at BIGINT NOT NULL, updated_at BIGINT NOT NULL,"
           " UNIQUE (plugin_id, nickname))",
           "CREATE TABLE secrets (account_id TEXT NOT NULL REFERENCES accounts(id)"
           " ON DELETE CASCADE, name TEXT NOT NULL, value TEXT NOT NULL,"
           " updated_at BIGINT NOT NULL, PRIMARY KEY (account_id, name))",
           "CREATE TABLE history (id TEXT NOT NULL PRIMARY KEY,"
           " account_id TEXT REFERENCES accounts(id) ON DELETE SET NULL,"
           " plugin_id TEXT NOT NULL,"
           " kind TEXT NOT NULL CHECK (kind IN ('video', 'post', 'pitch')),"
           " title TEXT, body TEXT, local_file TEXT, remote_id TEXT, remote_url TEXT,"
           " status TEXT NOT NULL CHECK (status IN ('generated', 'published', 'failed')),"
           " error TEXT, created_at BIGINT NOT NULL, updated_at BIGINT NOT NULL)",
           "CREATE INDEX history_by_account ON history (account_id, created_at)",
           "CREATE INDEX history_by_plugin ON history (plugin_id, created_at)",
       }},
      {2,
       "products, OAuth tokens, and fields kept from imports",
       {
           // Unknown fields of imported records are kept here rather than dropped.
           "ALTER TABLE accounts ADD COLUMN extra TEXT NOT NULL DEFAULT '{}'",
           "ALTER TABLE history ADD COLUMN extra TEXT NOT NULL DEFAULT '{}'",
           // A stable key of where an imported record came from: re-importing skips it.
           "ALTER TABLE history ADD COLUMN origin_key TEXT",
           "CREATE UNIQUE INDEX history_by_origin ON history (origin_key)",
           // share_account_id is not a foreign key: an imported product may name a publisher
           // account that is imported later, or never.
           "CREATE TABLE products (id TEXT NOT NULL PRIMARY KEY, link TEXT, asin TEXT,"
           " marketplace TEXT, share_plugin_id TEXT, share_account_id TEXT, notes TEXT,"
           " extra TEXT NOT NULL DEFAULT '{}', created_at BIGINT NOT NULL,"
           " updated_at BIGINT NOT NULL, CHECK (link IS NOT NULL OR asin IS NOT NULL))",
           "CREATE TABLE oauth_tokens (account_id TEXT NOT NULL PRIMARY KEY"
           " REFERENCES accounts(id) ON DELETE CASCADE, provider TEXT NOT NULL,"
           " access_token TEXT, refresh_token TEXT, token_type TEXT, scope TEXT,"
           " expires_at BIGINT, updated_at BIGINT NOT NULL)",
       }},
      {3,
       "LLM usage per provider, account and day",
       {
           // Tokens counted per day (UTC, 'YYYY-MM-DD'), provider, model and account ('' for
           // none), so `automuse-host usage` can show what each account spent.
           "CREATE TABLE llm_usage (day TEXT NOT NULL, provider TEXT NOT NULL,"
           " model TEXT NOT NULL, account_id TEXT NOT NULL DEFAULT '',"
           " requests BIGINT NOT NULL DEFAULT 0, cached_requests BIGINT NOT NULL DEFAULT 0,"
           " prompt_tokens BIGINT NOT NULL DEFAULT 0,"
           " completion_tokens BIGINT NOT NULL DEFAULT 0, estimated BIGINT NOT NULL DEFAULT 0,"
           " updated_at BIGINT NOT NULL, PRIMARY KEY (day, provider, model, account_id))",
       }},
      {4,
       "Schedules and job runs",
       {
           // A schedule fires an action of a plugin for an account at cron times in a zone.
           // last_fire_at is the scheduled time of the last firing handled (Unix seconds),
           // so that after downtime a missed schedule runs once, not once per missed slot.
           "CREATE TABLE schedules (id TEXT NOT NULL PRIMARY KEY, plugin_id TEXT NOT NULL,"
           " account_id TEXT REFERENCES accounts(id) ON DELETE CASCADE,"
           " action TEXT NOT NULL, cron TEXT NOT NULL, time_zone TEXT NOT NULL DEFAULT '',"
           " paused INTEGER NOT NULL DEFAULT 0, created_at BIGINT NOT NULL,"
           " last_fire_at BIGINT)",
           // One row per attempt of a job: scheduled, from run-due, or by hand.
           "CREATE TABLE job_runs (id TEXT NOT NULL PRIMARY KEY, schedule_id TEXT,"
           " plugin_id TEXT NOT NULL, account_id TEXT, action TEXT NOT NULL,"
           " attempt INTEGER NOT NULL DEFAULT 1, status TEXT NOT NULL,"
           " error TEXT, result TEXT, started_at BIGINT NOT NULL, finished_at BIGINT)",
           "CREATE INDEX job_runs_started ON job_runs (started_at)",
       }},
  };
}

// What job runs, the ledger, schedule options and the job queue added.
std::vector<Migration> later_steps() {
  return {
      {5,
       "Job runs remember their request, so an interrupted run resumes",
       {
           // request: the action's options as JSON; resume_of: the interrupted run it resumes.
           "ALTER TABLE job_runs ADD COLUMN request TEXT",
           "ALTER TABLE job_runs ADD COLUMN resume_of TEXT",
       }},
      {6,
       "Job runs know the process that runs them, so a killed one is resumed",
       {
           // The owner of a running row: pid, its start time (clock ticks after boot), the boot
           // and the machine (schedule/process_owner.hpp). A row left running whose owner is
           // gone (kill -9, power loss) is recorded interrupted by the next start and resumed.
           // Rows of older versions have none: they are judged by started_at and boot time.
           "ALTER TABLE job_runs ADD COLUMN owner_pid BIGINT",
           "ALTER TABLE job_runs ADD COLUMN owner_start BIGINT",
           "ALTER TABLE job_runs ADD COLUMN owner_boot TEXT",
           "ALTER TABLE job_runs ADD COLUMN owner_host TEXT",
           "CREATE INDEX job_runs_status ON job_runs (status)",
       }},
      {7,
       "The publication ledger; job runs carry their job's id",
       {
           // One row per publication of one content to one account and target, recorded
           // before the upload or post starts. state only moves forward: intended ->
           // uploading -> published | failed | uncertain (uncertain may still be settled).
           // resume_json is the platform's opaque resume state (a YouTube session URI);
           // digest is of the content's inputs, so the same content is published once.
           // The id is assigned by the ledger (MAX + 1 in the write transaction): no
           // engine-specific auto-increment.
           "CREATE TABLE publications (id BIGINT NOT NULL PRIMARY KEY,"
           " job_id TEXT NOT NULL, plugin_id TEXT NOT NULL, account_id TEXT NOT NULL,"
           " target TEXT NOT NULL, digest TEXT NOT NULL, summary TEXT,"
           " state TEXT NOT NULL CHECK (state IN ('intended', 'uploading', 'published',"
           " 'failed', 'uncertain')),"
           " resume_json TEXT, remote_id TEXT, url TEXT, note TEXT,"
           " created_at BIGINT NOT NULL, updated_at BIGINT NOT NULL)",
           "CREATE INDEX publications_by_content ON publications (account_id, target, digest)",
           "CREATE INDEX publications_by_job ON publications (job_id)",
           // The job a run belongs to: its own id, or the id of the run it resumes, so a
           // resumed run carries on under the same job (and its ledger rows).
           "ALTER TABLE job_runs ADD COLUMN job_id TEXT",
       }},
      {8,
       "Schedules carry the options of their action",
       {
           // request: the action's options as JSON, in job_runs.request's form
           // ({"sets": ["key=value", ...]}); every firing runs with them.
           "ALTER TABLE schedules ADD COLUMN request TEXT NOT NULL DEFAULT '{}'",
       }},
      {9,
       "A job queue with leases; job runs no longer name their process",
       {
           // One row per job (schedule/job_queue.hpp): what to run, where it came from (a
           // schedule's slot, or a run by hand), its state, and the worker holding its lease
           // until lease_expires_ms. Its id is the job id its job_runs rows and the
           // publication ledger carry, so a job resumed by another worker stays one job.
           // Times are Unix milliseconds (leases are short). A slot is one job however many
           // daemons enqueue it: UNIQUE (schedule_id, slot_time), inserted if absent (NULLs
           // are distinct, so runs by hand never collide).
           "CREATE TABLE jobs (id TEXT NOT NULL PRIMARY KEY, plugin_id TEXT NOT NULL,"
           " account_id TEXT, action TEXT NOT NULL, request TEXT NOT NULL DEFAULT '{}',"
           " schedule_id TEXT, slot_time BIGINT,"
           " state TEXT NOT NULL CHECK (state IN ('queued', 'running', 'interrupted', 'done',"
           " 'failed', 'cancelled')),"
           " lease_owner TEXT, lease_expires_ms BIGINT, attempts INTEGER NOT NULL DEFAULT 0,"
           " error TEXT, enqueued_ms BIGINT NOT NULL, updated_ms BIGINT NOT NULL,"
           " finished_ms BIGINT, UNIQUE (schedule_id, slot_time))",
           "CREATE INDEX jobs_by_state ON jobs (state, enqueued_ms)",
           "CREATE INDEX job_runs_by_job ON job_runs (job_id)",
           // Runs an older host left unfinished become jobs: scheduled ones queued (any worker
           // resumes them), runs by hand interrupted (the next identical run resumes them).
           "INSERT INTO jobs (id, plugin_id, account_id, action, request, schedule_id, state,"
           " attempts, enqueued_ms, updated_ms)"
           " SELECT COALESCE(job_id, id), plugin_id, account_id, action, COALESCE(request, '{}'),"
           " schedule_id, CASE WHEN schedule_id IS NULL THEN 'interrupted' ELSE 'queued' END, 1,"
           " started_at * 1000, started_at * 1000 FROM job_runs"
           " WHERE status IN ('running', 'retrying', 'interrupted') ORDER BY started_at"
           " ON CONFLICT (id) DO NOTHING",
           // Leases replace the owner columns of migration 6 (pid, start time, boot, machine).
           "ALTER TABLE job_runs DROP COLUMN owner_pid",
           "ALTER TABLE job_runs DROP COLUMN owner_start",
           "ALTER TABLE job_runs DROP COLUMN owner_boot",
           "ALTER TABLE job_runs DROP COLUMN owner_host",
           // The worker (worker id) that made the attempt, for "left running by" messages.
           "ALTER TABLE job_runs ADD COLUMN worker TEXT",
       }},
      {10,
       "Job events for watchers; cancelling a job another process runs",
       {
           // What a watcher (the web API's event stream) is told of a job: its state changes,
           // its steps starting and ending, a step's progress in whole percent. seq counts per
           // job from 1 (written by the one process that holds the job, under its lease), so a
           // watcher asks for the events after the last one it saw. Times: Unix milliseconds.
           "CREATE TABLE job_events (job_id TEXT NOT NULL, seq BIGINT NOT NULL,"
           " at_ms BIGINT NOT NULL, kind TEXT NOT NULL CHECK (kind IN ('state',"
           " 'step_started', 'step_finished', 'step_failed', 'progress')),"
           " name TEXT NOT NULL DEFAULT '', percent INTEGER, note TEXT,"
           " PRIMARY KEY (job_id, seq))",
           // Set by a cancel from another process (the API); the worker holding the job sees
           // it at its next poll and cancels the job there.
           "ALTER TABLE jobs ADD COLUMN cancel_requested INTEGER NOT NULL DEFAULT 0",
       }},
      {11,
       "An approval gate: jobs wait for approval after making; accounts may require it",
       {
           // Whether jobs of an account stop for approval before publishing (host-level, any
           // plugin that declares how its action splits: docs/web.md).
           "ALTER TABLE accounts ADD COLUMN approval TEXT NOT NULL DEFAULT 'none'"
           " CHECK (approval IN ('none', 'required'))",
           // The jobs table gains the states awaiting_approval and rejected (a CHECK
           // change: see approval_steps below) and these columns: approval (none, required),
           // approval_item (what the making step made: the history id the publishing step
           // takes), approved_ms (set when approved: the next claim publishes).
       }},
  };
}

// The jobs table of migration 11. SQLite cannot change a CHECK constraint, so it rebuilds the
// table inside the migration's transaction (nothing references jobs); PostgreSQL adds the
// columns and replaces the constraint (named jobs_state_check by PostgreSQL's rule for a
// column's CHECK).
constexpr const char *kJobStates11 =
    "('queued', 'running', 'interrupted', 'awaiting_approval', 'done', 'failed', 'cancelled',"
    " 'rejected')";

std::vector<std::string> approval_steps(Backend backend) {
  const std::string states = kJobStates11;
  if (backend == Backend::postgresql)
    return {
        "ALTER TABLE jobs ADD COLUMN approval TEXT NOT NULL DEFAULT 'none'"
        " CHECK (approval IN ('none', 'required'))",
        "ALTER TABLE jobs ADD COLUMN approval_item TEXT",
        "ALTER TABLE jobs ADD COLUMN approved_ms BIGINT",
        "ALTER TABLE jobs DROP CONSTRAINT jobs_state_check",
        "ALTER TABLE jobs ADD CONSTRAINT jobs_state_check CHECK (state IN " + states + ")",
    };
  const std::string columns =
      "id, plugin_id, account_id, action, request, schedule_id, slot_time, state, lease_owner,"
      " lease_expires_ms, attempts, error, enqueued_ms, updated_ms, finished_ms,"
      " cancel_requested";
  return {
      "CREATE TABLE jobs_11 (id TEXT NOT NULL PRIMARY KEY, plugin_id TEXT NOT NULL,"
      " account_id TEXT, action TEXT NOT NULL, request TEXT NOT NULL DEFAULT '{}',"
      " schedule_id TEXT, slot_time BIGINT,"
      " state TEXT NOT NULL CHECK (state IN " +
          states +
          "),"
          " lease_owner TEXT, lease_expires_ms BIGINT, attempts INTEGER NOT NULL DEFAULT 0,"
          " error TEXT, enqueued_ms BIGINT NOT NULL, updated_ms BIGINT NOT NULL,"
          " finished_ms BIGINT, cancel_requested INTEGER NOT NULL DEFAULT 0,"
          " approval TEXT NOT NULL DEFAULT 'none' CHECK (approval IN ('none', 'required')),"
          " approval_item TEXT, approved_ms BIGINT, UNIQUE (schedule_id, slot_time))",
      "INSERT INTO jobs_11 (" + columns + ") SELECT " + columns + " FROM jobs",
      "DROP TABLE jobs",
      "ALTER TABLE jobs_11 RENAME TO jobs",
      "CREATE INDEX jobs_by_state ON jobs (state, enqueued_ms)",
  };
}

// Statements of migration `version` that differ between the backends, run after its portable
// ones in the same transaction.
std::vector<std::string> backend_steps(int version, Backend backend) {
  if (version == 11) return approval_steps(backend);
  return {};
}

}  // namespace

const std::vector<Migration> &migrations() {
  static const std::vector<Migration> kMigrations = [] {
    std::vector<Migration> all = first_steps();
    for (Migration &m : later_steps()) all.push_back(std::move(m));
    return all;
  }();
  return kMigrations;
}

int latest_schema_version() {
  return migrations().back().version;
}

int read_schema_version(Db &db) {
  const std::vector<std::string> tables = db.table_names();
  if (std::find(tables.begin(), tables.end(), "schema_version") == tables.end()) {
    if (!tables.empty()) {
      throw StoreError(db.describe() +
                       " holds tables but is not an AutoMuse store (it has no schema_version "
                       "table); refusing to touch it.");
    }
    return 0;
  }
  Stmt max(db, "SELECT MAX(version) FROM schema_version");
  max.step();
  return static_cast<int>(max.opt_int64(0).value_or(0));
}

namespace {

void refuse_if_newer(Db &db, int found) {
  if (found > latest_schema_version()) {
    throw StoreError(db.describe() + " has schema version " + std::to_string(found) +
                     ", but this automuse-host only knows versions up to " +
                     std::to_string(latest_schema_version()) +
                     ". It was written by a newer AutoMuse; upgrade automuse-host (the "
                     "store was left untouched).");
  }
}

}  // namespace

std::vector<int> migrate(Db &db, int target) {
  if (target < 0) target = latest_schema_version();
  // Processes (or hosts) opening the store at once migrate it in turn; the others then find
  // nothing to do.
  Db::OpeningLock lock(db);
  refuse_if_newer(db, read_schema_version(db));
  std::vector<int> applied;
  for (const Migration &m : migrations()) {
    if (m.version > target) break;
    WriteTxn txn(db);
    // Re-read under the write lock: a process that does not take the opening lock (an older
    // automuse-host) may have migrated meanwhile.
    int now_at = read_schema_version(db);
    refuse_if_newer(db, now_at);
    if (now_at >= m.version) continue;  // txn rolls back an empty transaction
    for (std::string_view sql : m.statements) db.exec(sql);
    for (const std::string &sql : backend_steps(m.version, db.backend())) db.exec(sql);
    Stmt rec(db, "INSERT INTO schema_version (version, applied_at) VALUES (?, ?)");
    auto now = std::chrono::duration_cast<std::chrono::seconds>(
                   std::chrono::system_clock::now().time_since_epoch())
                   .count();
    rec.bind(1, static_cast<int64_t>(m.version)).bind(2, static_cast<int64_t>(now)).run();
    txn.commit();
    applied.push_back(m.version);
  }
  return applied;
}

}  // namespace automuse::store
