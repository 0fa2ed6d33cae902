// The host's persistent state in one database — an SQLite file, or PostgreSQL shared by several
// hosts: accounts and their secrets, OAuth tokens, history of made/published content, and
// affiliate products. Thread-safe: every method may be called from any thread (calls are
// serialised by a mutex and are quick, short transactions). Several processes may use the same
// store at once (SQLite: WAL and a busy timeout; PostgreSQL: its own locking).
#pragma once

#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "store/account_schema.hpp"
#include "store/database.hpp"
#include "store/oauth_refresh.hpp"
#include "store/records.hpp"

namespace automuse::store {

struct NewAccount {
  std::string plugin_id{};
  std::string nickname{};
  boost::json::object fields{};  // may include secret fields; they go to the secrets table
  boost::json::object extra{};
  std::optional<std::string> id{};               // keep an imported id; a new UUID otherwise
  std::optional<int64_t> created_at{};           // keep an imported time; now otherwise
  std::map<std::string, std::string> secrets{};  // more secrets, e.g. from an import
};

struct HistoryQuery {
  std::optional<std::string> plugin_id{};
  std::optional<std::string> account_id{};
  std::optional<std::string> kind{};
  std::optional<std::string> status{};
  int limit = 50;  // newest first; <= 0 means no limit
};

// A partial update of a history record: only the set members change.
struct HistoryUpdate {
  std::optional<std::string> status{};
  OptString local_file{}, remote_id{}, remote_url{}, error{}, title{}, body{};
};

class Store {
 public:
  // Opens or creates the database (an SQLite file's folder made 0700, the file 0600) and
  // migrates it. Throws StoreError with a user-facing message (e.g. a database from a newer
  // AutoMuse, an unreachable server).
  explicit Store(const Location &where);

  // The SQLite file (empty on PostgreSQL); describe() names either for messages.
  const std::filesystem::path &file() const { return db_.file(); }
  std::string describe() const { return db_.describe(); }
  Backend backend() const { return db_.backend(); }
  int schema_version();
  // The migrations this Store applied when it opened the file (empty when it was current).
  const std::vector<int> &migrations_applied() const { return migrated_; }

  // --- accounts ---
  // Validates against `schema` when given (required fields, types, enum, bounds, unknown
  // fields); secret fields go to the secrets table. All in one transaction.
  // Throws Conflict if the nickname is taken for that plugin or the id exists.
  Account add_account(NewAccount account, const AccountSchema *schema);
  std::vector<Account> list_accounts(const std::optional<std::string> &plugin_id = {});
  std::optional<Account> get_account(const std::string &id);
  // By id, or by nickname (within `plugin_id` when given). Throws StoreError when a nickname
  // is used by several plugins and no plugin was given; NotFound when nothing matches.
  Account resolve_account(const std::string &id_or_nickname,
                          const std::optional<std::string> &plugin_id = {});
  // Replaces some fields (others kept), validating the result when `schema` is given.
  Account update_account_fields(const std::string &id, boost::json::object changes,
                                const AccountSchema *schema);
  // Sets the host-level approval setting of the account: "required" (its jobs wait for
  // approval before publishing) or "none". Throws StoreError for another value.
  Account set_account_approval(const std::string &id, const std::string &approval);
  // Removes the account with its secrets and tokens; its history stays, detached.
  bool remove_account(const std::string &id);

  // --- secrets ---
  void set_secret(const std::string &account_id, const std::string &name, const std::string &value);
  std::optional<std::string> get_secret(const std::string &account_id, const std::string &name);
  std::vector<std::string> secret_names(const std::string &account_id);

  // --- OAuth tokens (one per account; replacing is atomic, as single-use refresh tokens need)
  void set_oauth_token(OAuthToken token);
  std::optional<OAuthToken> get_oauth_token(const std::string &account_id);
  // A refresh locked against other processes and hosts: see oauth_refresh.hpp.
  std::unique_ptr<OAuthRefresh> begin_oauth_refresh(const std::string &account_id);

  // --- history ---
  // Returns the stored record (id and times filled in). Throws Conflict on a duplicate
  // origin_key; use has_origin() first to skip.
  HistoryRecord add_history(HistoryRecord record);
  HistoryRecord update_history(const std::string &id, const HistoryUpdate &update);
  std::optional<HistoryRecord> get_history(const std::string &id);
  std::vector<HistoryRecord> list_history(const HistoryQuery &query);
  bool has_origin(const std::string &origin_key);
  int64_t count_history();

  // --- products ---
  Product add_product(Product product);
  std::optional<Product> get_product(const std::string &id);
  std::vector<Product> list_products();
  bool remove_product(const std::string &id);

  // Runs `fn` in one write transaction; store calls made inside join it. Rolls back if `fn`
  // throws. Keep it short: other processes wait while it runs.
  void transaction(const std::function<void()> &fn);

  // "ok", or SQLite's list of problems.
  std::string integrity_check();

 private:
  // A write transaction that joins an enclosing transaction() instead of nesting.
  class Txn;
  Account read_account_row(Stmt &s);
  std::optional<Account> get_account_locked(const std::string &id);
  static HistoryRecord read_history_row(Stmt &s);
  static Product read_product_row(Stmt &s);

  std::recursive_mutex mutex_;
  Location where_;
  Db db_;
  std::vector<int> migrated_;
  int txn_depth_ = 0;
};

// A new random UUID (version 4), lower-case text.
std::string new_uuid();
// Current Unix time in seconds.
int64_t unix_now();

}  // namespace automuse::store
