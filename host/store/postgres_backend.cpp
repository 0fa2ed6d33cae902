// host/store/postgres_backend.cpp — the store on a PostgreSQL server, through libpq. Values
// travel as text (the server infers each parameter's type from where it is used), blobs as
// BYTEA in binary. Writers of Scope::all take one transaction-scoped advisory lock, so they
// run one at a time as on SQLite; openers take a session advisory lock while migrating.
// A connection the server dropped (a restart, a failover, an administrator) is opened again
// outside transactions, so a long-running worker outlives an outage of the database: a
// transaction it cut short fails (and is rolled back by its owner), the next one reconnects.
#include <libpq-fe.h>
#include <poll.h>

#include <charconv>
#include <cmath>
#include <cstdlib>
#include <optional>

#include "store/backend.hpp"
#include "store/postgres_address.hpp"
#include "store/postgres_sql.hpp"

namespace automuse::store::backend {
namespace {

// Advisory lock keys of the store (any 64-bit number no other user of the database takes).
constexpr const char *kWritersLock = "SELECT pg_advisory_xact_lock(7386218401193)";
constexpr const char *kOpeningLock = "SELECT pg_advisory_lock(7386218401194)";
constexpr const char *kOpeningUnlock = "SELECT pg_advisory_unlock(7386218401194)";
constexpr Oid kByteaOid = 17;
constexpr Oid kBoolOid = 16;

using Result = std::unique_ptr<PGresult, decltype(&PQclear)>;

class PostgresConnection : public Connection {
 public:
  explicit PostgresConnection(const std::string &url);
  ~PostgresConnection() override { PQfinish(conn_); }

  Backend backend() const override { return Backend::postgresql; }
  std::string describe() const override { return store::describe(address_); }
  const std::filesystem::path &file() const override { return no_file_; }
  std::unique_ptr<Cursor> prepare(std::string_view sql) override;
  void exec(std::string_view sql) override { run(std::string(sql), {}); }
  int64_t changes() const override { return changes_; }
  void begin_write(Db::Scope scope) override;
  void commit() override {
    in_transaction_ = false;  // whatever COMMIT answers, the transaction is over
    exec("COMMIT");
  }
  void rollback() noexcept override {
    in_transaction_ = false;
    Result(PQexec(conn_, "ROLLBACK"), PQclear);
  }
  std::vector<std::string> table_names() override;
  std::string_view lock_rows_clause() const override { return " FOR UPDATE"; }
  std::string_view skip_locked_rows_clause() const override { return " FOR UPDATE SKIP LOCKED"; }
  std::string integrity_check() override { return "ok"; }
  void lock_opening() override { exec(kOpeningLock); }
  void unlock_opening() noexcept override { Result(PQexec(conn_, kOpeningUnlock), PQclear); }

  // A parameter: its text (or bytes for a BYTEA), or NULL.
  struct Param {
    std::optional<std::string> value;
    bool binary = false;
  };
  // Runs one statement; throws Error (Conflict for a constraint) naming the statement.
  Result run(const std::string &sql, const std::vector<Param> &params);

 private:
  Result send(const std::string &sql, const std::vector<Param> &params);
  void reconnect();
  bool ended_while_idle() const;
  [[noreturn]] void fail(const PGresult *res, std::string_view sql) const;

  PostgresAddress address_;
  PGconn *conn_ = nullptr;
  int64_t changes_ = 0;
  bool in_transaction_ = false;
  std::filesystem::path no_file_;
};

class PostgresCursor : public Cursor {
 public:
  PostgresCursor(PostgresConnection &conn, std::string_view sql)
      : conn_(conn), sql_(to_postgres_placeholders(sql)), params_(sql_.parameters) {}

  void bind_text(int index, std::string_view text) override { param(index) = {std::string(text)}; }
  void bind_int(int index, int64_t value) override { param(index) = {std::to_string(value)}; }
  void bind_null(int index) override { param(index) = {}; }
  void bind_blob(int index, std::string_view bytes) override {
    param(index) = {std::string(bytes), true};
  }
  bool step() override {
    if (!result_) result_.emplace(conn_.run(sql_.text, params_));
    return ++row_ < PQntuples(result_->get());
  }
  void reset() override {
    result_.reset();
    row_ = -1;
    params_.assign(params_.size(), {});
  }
  bool is_null(int col) const override { return PQgetisnull(result_->get(), row_, col) != 0; }
  std::string text(int col) const override {
    return std::string(PQgetvalue(result_->get(), row_, col),
                       static_cast<size_t>(PQgetlength(result_->get(), row_, col)));
  }
  int64_t int64(int col) const override;
  std::string blob(int col) const override;

 private:
  PostgresConnection::Param &param(int index) {
    if (index < 1 || index > static_cast<int>(params_.size())) {
      throw StoreError("binding parameter " + std::to_string(index) + " of '" +
                       sql_.text.substr(0, 60) + "', which has " + std::to_string(params_.size()));
    }
    return params_[static_cast<size_t>(index - 1)];
  }

  PostgresConnection &conn_;
  PostgresSql sql_;
  std::vector<PostgresConnection::Param> params_;
  std::optional<Result> result_;
  int row_ = -1;
};

PostgresConnection::PostgresConnection(const std::string &url)
    : address_(parse_postgres_address(url)) {
  // The URL's own settings win over these defaults (later keywords override earlier ones).
  const char *keys[] = {"connect_timeout", "fallback_application_name", "dbname", nullptr};
  const char *values[] = {"10", "automuse-host", url.c_str(), nullptr};
  conn_ = PQconnectdbParams(keys, values, 1);
  if (!conn_ || PQstatus(conn_) != CONNECTION_OK) {
    std::string why = conn_ ? PQerrorMessage(conn_) : "out of memory";
    while (!why.empty() && (why.back() == '\n' || why.back() == ' ')) why.pop_back();
    PQfinish(conn_);
    conn_ = nullptr;
    throw StoreError("cannot connect to the store at store.url (" + describe() +
                     "): " + without_password(why, address_));
  }
  // Notices ("there is no transaction in progress") are not errors: keep them off stderr.
  PQsetNoticeProcessor(
      conn_, [](void *, const char *) {}, nullptr);
}

std::unique_ptr<Cursor> PostgresConnection::prepare(std::string_view sql) {
  return std::make_unique<PostgresCursor>(*this, sql);
}

void PostgresConnection::begin_write(Db::Scope scope) {
  exec("BEGIN");
  in_transaction_ = true;
  try {
    if (scope == Db::Scope::all) exec(kWritersLock);
  } catch (...) {
    rollback();  // no half-begun transaction left on the connection
    throw;
  }
}

// Statements that may be sent again after the connection was found lost: they either did not
// reach the server or changed nothing there. Anything else (a write outside a transaction)
// may have been done, so its failure is reported, not repeated.
static bool safe_to_repeat(std::string_view sql) {
  return sql == "BEGIN" || sql.starts_with("SELECT ");
}

Result PostgresConnection::run(const std::string &sql, const std::vector<Param> &params) {
  if (!in_transaction_ && (PQstatus(conn_) == CONNECTION_BAD || ended_while_idle())) reconnect();
  Result res = send(sql, params);
  ExecStatusType status = res ? PQresultStatus(res.get()) : PGRES_FATAL_ERROR;
  const bool failed = status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK;
  if (failed && !in_transaction_ && PQstatus(conn_) == CONNECTION_BAD && safe_to_repeat(sql)) {
    reconnect();
    res = send(sql, params);
    status = res ? PQresultStatus(res.get()) : PGRES_FATAL_ERROR;
  }
  if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) fail(res.get(), sql);
  const char *tuples = PQcmdTuples(res.get());
  changes_ = tuples && *tuples ? std::strtoll(tuples, nullptr, 10) : 0;
  return res;
}

// A connection the server ended while it was idle (a restart, pg_terminate_backend) has its
// goodbye waiting in the socket, or the socket is closed: an idle connection has nothing to
// read otherwise (the store LISTENs for nothing), so readable means ended. Checked without
// blocking, so the statement goes to a new connection instead of failing on the old one.
bool PostgresConnection::ended_while_idle() const {
  pollfd p{PQsocket(conn_), POLLIN | POLLRDHUP, 0};
  return p.fd < 0 || (::poll(&p, 1, 0) > 0 && p.revents != 0);
}

void PostgresConnection::reconnect() {
  PQreset(conn_);
  if (PQstatus(conn_) == CONNECTION_OK) return;
  std::string why = PQerrorMessage(conn_);
  while (!why.empty() && (why.back() == '\n' || why.back() == ' ')) why.pop_back();
  throw StoreError("lost the connection to the store at store.url (" + describe() +
                   ") and cannot connect again: " + without_password(why, address_));
}

Result PostgresConnection::send(const std::string &sql, const std::vector<Param> &params) {
  std::vector<const char *> values;
  std::vector<int> lengths, formats;
  std::vector<Oid> types;
  for (const Param &p : params) {
    values.push_back(p.value ? p.value->data() : nullptr);
    lengths.push_back(p.value ? static_cast<int>(p.value->size()) : 0);
    formats.push_back(p.binary ? 1 : 0);
    types.push_back(p.binary ? kByteaOid : 0);
  }
  return Result(params.empty()
                    ? PQexec(conn_, sql.c_str())
                    : PQexecParams(conn_, sql.c_str(), static_cast<int>(params.size()),
                                   types.data(), values.data(), lengths.data(), formats.data(), 0),
                PQclear);
}

void PostgresConnection::fail(const PGresult *res, std::string_view sql) const {
  // The primary message only: the detail may quote the values of a row (a secret's).
  const char *primary = res ? PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY) : nullptr;
  std::string why = primary ? primary : PQerrorMessage(conn_);
  while (!why.empty() && why.back() == '\n') why.pop_back();
  if (PQstatus(conn_) == CONNECTION_BAD) why = "the connection was lost: " + why;
  std::string msg = "'" + std::string(sql.substr(0, 60)) + "' failed on " + describe() + ": " +
                    without_password(why, address_);
  const char *state = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : nullptr;
  if (state && std::string_view(state).substr(0, 2) == "23") throw Conflict(msg);
  throw StoreError(msg);
}

std::vector<std::string> PostgresConnection::table_names() {
  Result res =
      run("SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema()"
          " AND table_type = 'BASE TABLE' ORDER BY table_name",
          {});
  std::vector<std::string> out;
  for (int i = 0; i < PQntuples(res.get()); ++i) out.emplace_back(PQgetvalue(res.get(), i, 0));
  return out;
}

int64_t PostgresCursor::int64(int col) const {
  const PGresult *res = result_->get();
  if (PQgetisnull(res, row_, col)) return 0;
  std::string_view v(PQgetvalue(res, row_, col));
  if (PQftype(res, col) == kBoolOid) return v == "t" ? 1 : 0;
  int64_t out = 0;
  auto [end, ec] = std::from_chars(v.data(), v.data() + v.size(), out);
  if (ec == std::errc() && end == v.data() + v.size()) return out;
  // A NUMERIC (SUM of BIGINT) or a REAL: read as SQLite would, rounded toward zero.
  return static_cast<int64_t>(std::strtod(std::string(v).c_str(), nullptr));
}

std::string PostgresCursor::blob(int col) const {
  const PGresult *res = result_->get();
  if (PQftype(res, col) != kByteaOid) return text(col);
  size_t n = 0;
  unsigned char *bytes =
      PQunescapeBytea(reinterpret_cast<const unsigned char *>(PQgetvalue(res, row_, col)), &n);
  if (!bytes) throw StoreError("cannot decode a BYTEA column from the store");
  std::string out(reinterpret_cast<const char *>(bytes), n);
  PQfreemem(bytes);
  return out;
}

}  // namespace

std::unique_ptr<Connection> open_postgres(const std::string &url) {
  return std::make_unique<PostgresConnection>(url);
}

}  // namespace automuse::store::backend
