// host/llm/usage_log.hpp — LLM token usage per day (UTC), provider, model and account, kept in
// the store's automuse.db (table llm_usage, migration 3) through its own connection, so
// `automuse-host usage` can show what each account spent. Thread-safe.
#pragma once

#include <cstdint>
#include <filesystem>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "store/database.hpp"

namespace automuse::llm {

struct UsageRow {
  std::string day;  // "2026-11-28"
  std::string provider;
  std::string model;
  std::string account_id;  // "" for work done for no account
  int64_t requests = 0;
  int64_t cached_requests = 0;  // answered from the cache: nothing paid
  int64_t prompt_tokens = 0;
  int64_t completion_tokens = 0;
  int64_t estimated = 0;  // requests whose counts were estimated (the provider sent none)
};

struct UsageQuery {
  std::optional<std::string> provider{};
  std::optional<std::string> account_id{};
  std::optional<std::string> since_day{};  // inclusive, "YYYY-MM-DD"
};

class UsageLog {
 public:
  // Opens the store (migrating it if needed). Throws store::StoreError.
  explicit UsageLog(const store::Location &store);

  // Adds one request's counts to today's row (UTC) of provider/model/account.
  void record(const std::string &provider, const std::string &model, const std::string &account_id,
              int64_t prompt_tokens, int64_t completion_tokens, bool estimated, bool cached);
  std::vector<UsageRow> list(const UsageQuery &query = {});

  // "YYYY-MM-DD" of a Unix time, in UTC.
  static std::string day_of(int64_t unix_seconds);

 private:
  std::mutex mutex_;
  store::Db db_;
};

}  // namespace automuse::llm
