// Implementation of the Store (see store.hpp). Queries are plain SQL with positional
// parameters, the same on SQLite and PostgreSQL.
#include "store/store.hpp"

#include <boost/uuid/random_generator.hpp>
#include <boost/uuid/uuid_io.hpp>
#include <chrono>

#include "log/redaction.hpp"
#include "store/migrations.hpp"
#include "store/oauth_tokens.hpp"

namespace automuse::store {

namespace fs = std::filesystem;
namespace json = boost::json;

std::string new_uuid() {
  thread_local boost::uuids::random_generator gen;
  return boost::uuids::to_string(gen());
}

int64_t unix_now() {
  return std::chrono::duration_cast<std::chrono::seconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

namespace {

// An SQLite file's folder is made owner-only before the file is created in it.
const Location &prepared(const Location &where) {
  if (where.backend() == Backend::sqlite && where.file.has_parent_path()) {
    sqlite::ensure_private_dir(where.file.parent_path());
  }
  return where;
}

json::object parse_object(const std::string &text, const Db &db, const char *what) {
  json::error_code ec;
  json::value v = json::parse(text, ec);
  if (ec || !v.is_object()) {
    throw StoreError(db.describe() + ": stored " + what + " is not a JSON object");
  }
  return std::move(v.as_object());
}

// The free-form `extra` column: what is not a JSON object reads as empty.
json::object object_or_empty(const std::string &text) {
  json::error_code ec;
  json::value v = json::parse(text, ec);
  if (ec || !v.is_object()) return {};
  return std::move(v.as_object());
}

}  // namespace

class Store::Txn {
 public:
  explicit Txn(Store &s, Db::Scope scope = Db::Scope::all) : s_(s), lock_(s.mutex_) {
    if (s_.txn_depth_++ == 0) s_.db_.begin_write(scope);
  }
  ~Txn() {
    if (--s_.txn_depth_ == 0 && !committed_) s_.db_.rollback();
  }
  void commit() {
    if (s_.txn_depth_ == 1) s_.db_.commit();
    committed_ = true;
  }

 private:
  Store &s_;
  std::lock_guard<std::recursive_mutex> lock_;
  bool committed_ = false;
};

Store::Store(const Location &where)
    : where_(where), db_(prepared(where)), migrated_(migrate(db_)) {}

int Store::schema_version() {
  std::lock_guard lock(mutex_);
  return read_schema_version(db_);
}

void Store::transaction(const std::function<void()> &fn) {
  Txn txn(*this);
  fn();
  txn.commit();
}

std::string Store::integrity_check() {
  std::lock_guard lock(mutex_);
  return db_.integrity_check();
}

// ---------------------------------------------------------------- accounts

static constexpr const char *kAccountCols =
    "id, plugin_id, nickname, fields, extra, created_at, updated_at, approval";

Account Store::read_account_row(Stmt &s) {
  Account a;
  std::string fields, extra;
  s.columns(a.id, a.plugin_id, a.nickname, fields, extra, a.created_at, a.updated_at, a.approval);
  a.fields = parse_object(fields, db_, "account fields");
  a.extra = parse_object(extra, db_, "account extra fields");
  return a;
}

Account Store::add_account(NewAccount in, const AccountSchema *schema) {
  if (in.plugin_id.empty()) throw StoreError("an account needs a plugin");
  if (in.nickname.empty()) throw StoreError("an account needs a nickname");
  std::map<std::string, std::string> secrets = std::move(in.secrets);
  if (schema) {
    schema->validate(in.nickname, in.fields);
    for (auto &[k, v] : schema->take_secrets(in.fields)) secrets[k] = v;
  }
  Account a;
  a.id = in.id.value_or(new_uuid());
  a.plugin_id = in.plugin_id;
  a.nickname = in.nickname;
  a.fields = std::move(in.fields);
  a.extra = std::move(in.extra);
  a.created_at = in.created_at.value_or(unix_now());
  a.updated_at = unix_now();

  Txn txn(*this);
  {
    Stmt dup(db_, "SELECT id FROM accounts WHERE plugin_id = ? AND nickname = ?");
    dup.bind_all(a.plugin_id, a.nickname);
    if (dup.step()) {
      throw Conflict("a " + a.plugin_id + " account named '" + a.nickname +
                     "' already exists (id " + dup.text(0) + ")");
    }
    Stmt same_id(db_, "SELECT plugin_id, nickname FROM accounts WHERE id = ?");
    same_id.bind(1, a.id);
    if (same_id.step()) {
      throw Conflict("an account with id " + a.id + " already exists (" + same_id.text(0) + " '" +
                     same_id.text(1) + "')");
    }
  }
  Stmt ins(db_,
           "INSERT INTO accounts (id, plugin_id, nickname, fields, extra, created_at, "
           "updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)");
  ins.bind_all(a.id, a.plugin_id, a.nickname, json::serialize(a.fields), json::serialize(a.extra),
               a.created_at, a.updated_at)
      .run();
  for (const auto &[name, value] : secrets) set_secret(a.id, name, value);
  txn.commit();
  return a;
}

std::vector<Account> Store::list_accounts(const std::optional<std::string> &plugin_id) {
  std::lock_guard lock(mutex_);
  std::string sql = std::string("SELECT ") + kAccountCols + " FROM accounts";
  if (plugin_id) sql += " WHERE plugin_id = ?";
  sql += " ORDER BY plugin_id, nickname";
  Stmt s(db_, sql);
  if (plugin_id) s.bind(1, *plugin_id);
  std::vector<Account> out;
  while (s.step()) out.push_back(read_account_row(s));
  return out;
}

std::optional<Account> Store::get_account_locked(const std::string &id) {
  Stmt s(db_, std::string("SELECT ") + kAccountCols + " FROM accounts WHERE id = ?");
  s.bind(1, id);
  if (!s.step()) return std::nullopt;
  return read_account_row(s);
}

std::optional<Account> Store::get_account(const std::string &id) {
  std::lock_guard lock(mutex_);
  return get_account_locked(id);
}

Account Store::resolve_account(const std::string &key, const std::optional<std::string> &plugin) {
  std::lock_guard lock(mutex_);
  if (auto a = get_account_locked(key); a && (!plugin || a->plugin_id == *plugin)) return *a;
  std::string sql = std::string("SELECT ") + kAccountCols + " FROM accounts WHERE nickname = ?";
  if (plugin) sql += " AND plugin_id = ?";
  Stmt s(db_, sql + " ORDER BY plugin_id");
  s.bind(1, key);
  if (plugin) s.bind(2, *plugin);
  std::vector<Account> found;
  while (s.step()) found.push_back(read_account_row(s));
  if (found.empty()) {
    throw NotFound("no account '" + key + "'" + (plugin ? " for plugin " + *plugin : "") +
                   " (see: automuse-host accounts list)");
  }
  if (found.size() > 1) {
    std::string plugins;
    for (const Account &a : found) plugins += (plugins.empty() ? "" : ", ") + a.plugin_id;
    throw StoreError("the nickname '" + key + "' is used by several plugins (" + plugins +
                     "); say which with --plugin");
  }
  return found.front();
}

Account Store::update_account_fields(const std::string &id, json::object changes,
                                     const AccountSchema *schema) {
  Txn txn(*this);
  std::optional<Account> a = get_account_locked(id);
  if (!a) throw NotFound("no account with id " + id);
  json::object merged = a->fields;
  for (auto &kv : changes) merged[kv.key()] = kv.value();
  std::map<std::string, std::string> secrets;
  if (schema) {
    // Secret fields already stored count as present for the "required" rule.
    for (const std::string &name : secret_names(id)) {
      if (!merged.contains(name)) merged[name] = "(stored)";
    }
    schema->validate(a->nickname, merged);
    secrets = schema->take_secrets(merged);
  }
  a->fields = std::move(merged);
  a->updated_at = unix_now();
  Stmt up(db_, "UPDATE accounts SET fields = ?, updated_at = ? WHERE id = ?");
  up.bind_all(json::serialize(a->fields), a->updated_at, id).run();
  for (const auto &[name, value] : secrets) {
    if (changes.contains(name)) set_secret(id, name, value);
  }
  txn.commit();
  return *a;
}

Account Store::set_account_approval(const std::string &id, const std::string &approval) {
  if (approval != "none" && approval != "required")
    throw StoreError("approval must be 'required' or 'none', got '" + approval + "'");
  Txn txn(*this);
  std::optional<Account> a = get_account_locked(id);
  if (!a) throw NotFound("no account with id " + id);
  a->approval = approval;
  a->updated_at = unix_now();
  Stmt up(db_, "UPDATE accounts SET approval = ?, updated_at = ? WHERE id = ?");
  up.bind_all(approval, a->updated_at, id).run();
  txn.commit();
  return *a;
}

bool Store::remove_account(const std::string &id) {
  Txn txn(*this);
  // Explicit deletes rather than relying on ON DELETE alone: the order documents intent and
  // works even on a connection opened without foreign-key enforcement.
  Stmt(db_, "DELETE FROM secrets WHERE account_id = ?").bind(1, id).run();
  Stmt(db_, "DELETE FROM oauth_tokens WHERE account_id = ?").bind(1, id).run();
  Stmt(db_, "UPDATE history SET account_id = NULL WHERE account_id = ?").bind(1, id).run();
  Stmt del(db_, "DELETE FROM accounts WHERE id = ?");
  del.bind(1, id).run();
  bool removed = db_.changes() > 0;
  txn.commit();
  return removed;
}

// ---------------------------------------------------------------- secrets and tokens

void Store::set_secret(const std::string &account_id, const std::string &name,
                       const std::string &value) {
  log::add_secret(value);
  Txn txn(*this);
  Stmt(db_, "DELETE FROM secrets WHERE account_id = ? AND name = ?")
      .bind(1, account_id)
      .bind(2, name)
      .run();
  Stmt ins(db_, "INSERT INTO secrets (account_id, name, value, updated_at) VALUES (?, ?, ?, ?)");
  try {
    ins.bind_all(account_id, name, value, unix_now()).run();
  } catch (const Conflict &) {
    throw NotFound("cannot store secret '" + name + "': no account with id " + account_id);
  }
  txn.commit();
}

std::optional<std::string> Store::get_secret(const std::string &account_id,
                                             const std::string &name) {
  std::lock_guard lock(mutex_);
  Stmt s(db_, "SELECT value FROM secrets WHERE account_id = ? AND name = ?");
  s.bind_all(account_id, name);
  if (!s.step()) return std::nullopt;
  std::string value = s.text(0);
  log::add_secret(value);
  return value;
}

std::vector<std::string> Store::secret_names(const std::string &account_id) {
  std::lock_guard lock(mutex_);
  Stmt s(db_, "SELECT name FROM secrets WHERE account_id = ? ORDER BY name");
  s.bind(1, account_id);
  std::vector<std::string> out;
  while (s.step()) out.push_back(s.text(0));
  return out;
}

void Store::set_oauth_token(OAuthToken t) {
  Txn txn(*this);
  write_oauth_token(db_, std::move(t));
  txn.commit();
}

std::optional<OAuthToken> Store::get_oauth_token(const std::string &account_id) {
  std::lock_guard lock(mutex_);
  return read_oauth_token(db_, account_id);
}

std::unique_ptr<OAuthRefresh> Store::begin_oauth_refresh(const std::string &account_id) {
  return std::make_unique<OAuthRefresh>(where_, account_id);
}

// ---------------------------------------------------------------- history

static constexpr const char *kHistoryCols =
    "id, account_id, plugin_id, kind, title, body, local_file, remote_id, remote_url, status, "
    "error, extra, origin_key, created_at, updated_at";

HistoryRecord Store::read_history_row(Stmt &s) {
  HistoryRecord h;
  std::string extra;
  s.columns(h.id, h.account_id, h.plugin_id, h.kind, h.title, h.body, h.local_file, h.remote_id,
            h.remote_url, h.status, h.error, extra, h.origin_key, h.created_at, h.updated_at);
  h.extra = object_or_empty(extra);
  return h;
}

HistoryRecord Store::add_history(HistoryRecord h) {
  if (h.id.empty()) h.id = new_uuid();
  if (h.created_at == 0) h.created_at = unix_now();
  h.updated_at = unix_now();
  Txn txn(*this);
  if (h.plugin_id.empty() && h.account_id) {
    if (auto a = get_account_locked(*h.account_id)) h.plugin_id = a->plugin_id;
  }
  if (h.plugin_id.empty()) throw StoreError("a history record needs a plugin or an account");
  Stmt ins(db_, std::string("INSERT INTO history (") + kHistoryCols +
                    ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
  ins.bind_all(h.id, h.account_id, h.plugin_id, h.kind, h.title, h.body, h.local_file, h.remote_id,
               h.remote_url, h.status, h.error, json::serialize(h.extra), h.origin_key,
               h.created_at, h.updated_at);
  try {
    ins.run();
  } catch (const Conflict &e) {
    throw Conflict("cannot add history record (" + h.kind + ", status " + h.status +
                   "): " + e.what() +
                   " (kind is video|post|pitch, status generated|published|"
                   "failed, account_id must exist)");
  }
  txn.commit();
  return h;
}

HistoryRecord Store::update_history(const std::string &id, const HistoryUpdate &u) {
  Txn txn(*this);
  std::optional<HistoryRecord> h;
  {
    Stmt s(db_, std::string("SELECT ") + kHistoryCols + " FROM history WHERE id = ?");
    s.bind(1, id);
    if (s.step()) h = read_history_row(s);
  }
  if (!h) throw NotFound("no history record with id " + id);
  if (u.status) h->status = *u.status;
  for (auto [from, to] : {std::pair{&u.local_file, &h->local_file},
                          {&u.remote_id, &h->remote_id},
                          {&u.remote_url, &h->remote_url},
                          {&u.error, &h->error},
                          {&u.title, &h->title},
                          {&u.body, &h->body}}) {
    if (*from) *to = *from;
  }
  h->updated_at = unix_now();
  Stmt up(db_,
          "UPDATE history SET status = ?, local_file = ?, remote_id = ?, remote_url = ?, "
          "error = ?, title = ?, body = ?, updated_at = ? WHERE id = ?");
  up.bind_all(h->status, h->local_file, h->remote_id, h->remote_url, h->error, h->title, h->body,
              h->updated_at, id);
  try {
    up.run();
  } catch (const Conflict &) {
    throw StoreError("history record " + id + ": status must be generated, published or failed");
  }
  txn.commit();
  return *h;
}

std::optional<HistoryRecord> Store::get_history(const std::string &id) {
  std::lock_guard lock(mutex_);
  Stmt s(db_, std::string("SELECT ") + kHistoryCols + " FROM history WHERE id = ?");
  s.bind(1, id);
  if (!s.step()) return std::nullopt;
  return read_history_row(s);
}

std::vector<HistoryRecord> Store::list_history(const HistoryQuery &q) {
  std::lock_guard lock(mutex_);
  std::string sql = std::string("SELECT ") + kHistoryCols + " FROM history WHERE 1 = 1";
  std::vector<std::string> args;
  for (auto [col, val] : {std::pair{"plugin_id", &q.plugin_id},
                          {"account_id", &q.account_id},
                          {"kind", &q.kind},
                          {"status", &q.status}}) {
    if (*val) {
      sql += std::string(" AND ") + col + " = ?";
      args.push_back(**val);
    }
  }
  sql += " ORDER BY created_at DESC, id DESC";
  if (q.limit > 0) sql += " LIMIT " + std::to_string(q.limit);
  Stmt s(db_, sql);
  for (size_t i = 0; i < args.size(); ++i) s.bind(static_cast<int>(i + 1), args[i]);
  std::vector<HistoryRecord> out;
  while (s.step()) out.push_back(read_history_row(s));
  return out;
}

bool Store::has_origin(const std::string &origin_key) {
  std::lock_guard lock(mutex_);
  Stmt s(db_, "SELECT 1 FROM history WHERE origin_key = ?");
  s.bind(1, origin_key);
  return s.step();
}

int64_t Store::count_history() {
  std::lock_guard lock(mutex_);
  Stmt s(db_, "SELECT COUNT(*) FROM history");
  s.step();
  return s.int64(0);
}

// ---------------------------------------------------------------- products

static constexpr const char *kProductCols =
    "id, link, asin, marketplace, share_plugin_id, share_account_id, notes, extra, created_at, "
    "updated_at";

Product Store::read_product_row(Stmt &s) {
  Product p;
  std::string extra;
  s.columns(p.id, p.link, p.asin, p.marketplace, p.share_plugin_id, p.share_account_id, p.notes,
            extra, p.created_at, p.updated_at);
  p.extra = object_or_empty(extra);
  return p;
}

Product Store::add_product(Product p) {
  if (!p.link && !p.asin) throw StoreError("a product needs a link or an ASIN");
  if (p.id.empty()) p.id = new_uuid();
  if (p.created_at == 0) p.created_at = unix_now();
  p.updated_at = unix_now();
  Txn txn(*this);
  Stmt ins(db_, std::string("INSERT INTO products (") + kProductCols +
                    ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
  ins.bind_all(p.id, p.link, p.asin, p.marketplace, p.share_plugin_id, p.share_account_id, p.notes,
               json::serialize(p.extra), p.created_at, p.updated_at);
  try {
    ins.run();
  } catch (const Conflict &) {
    throw Conflict("a product with id " + p.id + " already exists");
  }
  txn.commit();
  return p;
}

std::optional<Product> Store::get_product(const std::string &id) {
  std::lock_guard lock(mutex_);
  Stmt s(db_, std::string("SELECT ") + kProductCols + " FROM products WHERE id = ?");
  s.bind(1, id);
  if (!s.step()) return std::nullopt;
  return read_product_row(s);
}

std::vector<Product> Store::list_products() {
  std::lock_guard lock(mutex_);
  Stmt s(db_, std::string("SELECT ") + kProductCols + " FROM products ORDER BY created_at, id");
  std::vector<Product> out;
  while (s.step()) out.push_back(read_product_row(s));
  return out;
}

bool Store::remove_product(const std::string &id) {
  Txn txn(*this);
  Stmt(db_, "DELETE FROM products WHERE id = ?").bind(1, id).run();
  bool removed = db_.changes() > 0;
  txn.commit();
  return removed;
}

}  // namespace automuse::store
