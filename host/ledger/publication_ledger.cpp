// host/ledger/publication_ledger.cpp — the ledger's SQL: plain statements with positional
// parameters, ids assigned in the write transaction, so they carry over to PostgreSQL.
#include "ledger/publication_ledger.hpp"

#include <chrono>

namespace automuse::ledger {
namespace {

constexpr std::string_view kNames[] = {"intended", "uploading", "published", "failed", "uncertain"};

constexpr const char *kColumns =
    "id, job_id, plugin_id, account_id, target, digest, summary, state, resume_json,"
    " remote_id, url, note, created_at, updated_at";

int64_t now_seconds() {
  return std::chrono::duration_cast<std::chrono::seconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

Publication read_row(store::Stmt &q) {
  Publication p;
  std::string state;
  q.columns(p.id, p.job_id, p.plugin_id, p.account_id, p.target, p.digest, p.summary, state,
            p.resume_json, p.remote_id, p.url, p.note, p.created_at, p.updated_at);
  p.state = state_from_name(state).value_or(State::uncertain);
  return p;
}

}  // namespace

std::string_view state_name(State state) {
  return kNames[static_cast<int>(state)];
}

std::optional<State> state_from_name(std::string_view name) {
  for (int i = 0; i < 5; ++i)
    if (kNames[i] == name) return static_cast<State>(i);
  return std::nullopt;
}

bool may_move(State from, State to) {
  switch (from) {
    case State::intended:
      return to != State::intended;
    case State::uploading:
      return to != State::intended;
    case State::uncertain:
      return to == State::published || to == State::failed || to == State::uncertain;
    case State::published:
    case State::failed:
      return false;
  }
  return false;
}

PublicationLedger::PublicationLedger(const store::Location &where) : db_(where) {}

std::optional<Publication> PublicationLedger::get_locked(int64_t id) {
  store::Stmt q(db_, std::string("SELECT ") + kColumns + " FROM publications WHERE id = ?");
  q.bind(1, id);
  if (!q.step()) return std::nullopt;
  return read_row(q);
}

std::optional<Publication> PublicationLedger::get(int64_t id) {
  std::lock_guard lock(mutex_);
  return get_locked(id);
}

std::vector<Publication> PublicationLedger::list(const std::optional<std::string> &account_id,
                                                 const std::optional<std::string> &target) {
  std::lock_guard lock(mutex_);
  store::Stmt q(db_, std::string("SELECT ") + kColumns +
                         " FROM publications WHERE account_id = COALESCE(?, account_id)"
                         " AND target = COALESCE(?, target) ORDER BY id DESC");
  q.bind(1, account_id).bind(2, target);
  std::vector<Publication> out;
  while (q.step()) out.push_back(read_row(q));
  return out;
}

bool PublicationLedger::job_published(const std::string &job_id) {
  std::lock_guard lock(mutex_);
  store::Stmt q(db_, "SELECT 1 FROM publications WHERE job_id = ?");
  q.bind(1, job_id);
  return q.step();
}

std::string PublicationLedger::account_id_of(const std::string &plugin_id,
                                             const std::string &name) {
  std::lock_guard lock(mutex_);
  store::Stmt q(db_,
                "SELECT id FROM accounts WHERE id = ? OR (plugin_id = ? AND nickname = ?)"
                " ORDER BY CASE WHEN id = ? THEN 0 ELSE 1 END");
  q.bind(1, name).bind(2, plugin_id).bind(3, name).bind(4, name);
  return q.step() ? q.text(0) : name;
}

PublicationLedger::Intended PublicationLedger::intend(const Intent &in) {
  if (in.account_id.empty() || in.target.empty() || in.digest.empty())
    throw LedgerError("a publication needs an account, a target and a content digest");
  std::lock_guard lock(mutex_);
  store::WriteTxn txn(db_);
  if (in.one_per_job) {
    store::Stmt q(db_, std::string("SELECT ") + kColumns +
                           " FROM publications WHERE job_id = ? AND account_id = ? AND target = ?"
                           " AND state IN ('published', 'uncertain') ORDER BY id DESC LIMIT 1");
    q.bind(1, in.job_id).bind(2, in.account_id).bind(3, in.target);
    if (q.step()) return Intended{read_row(q), false};
  }
  {
    // The newest row for this content there; with --again, the newest of this job only.
    store::Stmt q(db_, std::string("SELECT ") + kColumns +
                           " FROM publications WHERE account_id = ? AND target = ? AND digest = ?"
                           " AND (? = 0 OR job_id = ?) ORDER BY id DESC LIMIT 1");
    q.bind_all(in.account_id, in.target, in.digest, static_cast<int64_t>(in.again), in.job_id);
    if (q.step()) {
      Publication found = read_row(q);
      if (found.state != State::failed) return Intended{std::move(found), false};
    }
  }
  Publication p;
  {
    store::Stmt next(db_, "SELECT COALESCE(MAX(id), 0) + 1 FROM publications");
    next.step();
    p.id = next.int64(0);
  }
  p.job_id = in.job_id;
  p.plugin_id = in.plugin_id;
  p.account_id = in.account_id;
  p.target = in.target;
  p.digest = in.digest;
  p.summary = in.summary;
  p.created_at = p.updated_at = now_seconds();
  store::Stmt ins(db_, std::string("INSERT INTO publications (") + kColumns +
                           ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
  ins.bind_all(p.id, p.job_id, p.plugin_id, p.account_id, p.target, p.digest, p.summary,
               state_name(p.state), std::nullopt, std::nullopt, std::nullopt, std::nullopt,
               p.created_at, p.updated_at)
      .run();
  txn.commit();
  return Intended{std::move(p), true};
}

Publication PublicationLedger::move(int64_t id, State to,
                                    const std::optional<std::string> &resume_json,
                                    const std::optional<std::string> &remote_id,
                                    const std::optional<std::string> &url,
                                    const std::optional<std::string> &note) {
  std::lock_guard lock(mutex_);
  store::WriteTxn txn(db_);
  std::optional<Publication> p = get_locked(id);
  if (!p) throw LedgerError("no publication " + std::to_string(id) + " in the ledger");
  if (!may_move(p->state, to))
    throw LedgerError("publication " + std::to_string(id) + " is " +
                      std::string(state_name(p->state)) + "; it cannot become " +
                      std::string(state_name(to)) + " (states only move forward)");
  p->state = to;
  if (resume_json) p->resume_json = resume_json;
  if (remote_id) p->remote_id = remote_id;
  if (url) p->url = url;
  if (note) p->note = note;
  p->updated_at = now_seconds();
  store::Stmt up(db_,
                 "UPDATE publications SET state = ?, resume_json = ?, remote_id = ?, url = ?,"
                 " note = ?, updated_at = ? WHERE id = ?");
  up.bind_all(state_name(to), p->resume_json, p->remote_id, p->url, p->note, p->updated_at, id)
      .run();
  txn.commit();
  return *p;
}

Publication PublicationLedger::uploading(int64_t id, const std::string &resume_json) {
  return move(id, State::uploading, resume_json, std::nullopt, std::nullopt, std::nullopt);
}

Publication PublicationLedger::published(int64_t id, const std::string &remote_id,
                                         const std::string &url) {
  return move(id, State::published, std::nullopt, remote_id, url, std::nullopt);
}

Publication PublicationLedger::failed(int64_t id, const std::string &reason) {
  return move(id, State::failed, std::nullopt, std::nullopt, std::nullopt, reason);
}

Publication PublicationLedger::uncertain(int64_t id, const std::string &how_to_check) {
  return move(id, State::uncertain, std::nullopt, std::nullopt, std::nullopt, how_to_check);
}

}  // namespace automuse::ledger
