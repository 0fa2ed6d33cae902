// host/llm/usage_log.cpp — upserts and queries of the llm_usage table.
#include "llm/usage_log.hpp"

#include <chrono>
#include <ctime>

#include "core/text.hpp"
#include "store/migrations.hpp"

namespace automuse::llm {

UsageLog::UsageLog(const store::Location &store) : db_(store) {
  store::migrate(db_);
}

std::string UsageLog::day_of(int64_t unix_seconds) {
  return core::utc_text(unix_seconds, "%Y-%m-%d");
}

void UsageLog::record(const std::string &provider, const std::string &model,
                      const std::string &account_id, int64_t prompt_tokens,
                      int64_t completion_tokens, bool estimated, bool cached) {
  int64_t now = std::chrono::duration_cast<std::chrono::seconds>(
                    std::chrono::system_clock::now().time_since_epoch())
                    .count();
  std::lock_guard lock(mutex_);
  store::WriteTxn txn(db_);
  // The stored row's columns named by table: PostgreSQL finds a bare name ambiguous beside
  // excluded's.
  store::Stmt s(db_,
                "INSERT INTO llm_usage (day, provider, model, account_id, requests, "
                "cached_requests, prompt_tokens, completion_tokens, estimated, updated_at) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
                "ON CONFLICT (day, provider, model, account_id) DO UPDATE SET "
                "requests = llm_usage.requests + excluded.requests, "
                "cached_requests = llm_usage.cached_requests + excluded.cached_requests, "
                "prompt_tokens = llm_usage.prompt_tokens + excluded.prompt_tokens, "
                "completion_tokens = llm_usage.completion_tokens + excluded.completion_tokens, "
                "estimated = llm_usage.estimated + excluded.estimated, "
                "updated_at = excluded.updated_at");
  s.bind_all(day_of(now), provider, model, account_id, int64_t{cached ? 0 : 1},
             int64_t{cached ? 1 : 0}, cached ? int64_t{0} : prompt_tokens,
             cached ? int64_t{0} : completion_tokens, int64_t{estimated && !cached ? 1 : 0}, now)
      .run();
  txn.commit();
}

std::vector<UsageRow> UsageLog::list(const UsageQuery &q) {
  std::lock_guard lock(mutex_);
  store::Stmt s(db_,
                "SELECT day, provider, model, account_id, requests, cached_requests, "
                "prompt_tokens, completion_tokens, estimated FROM llm_usage "
                "WHERE provider = COALESCE(?, provider) AND account_id = COALESCE(?, account_id) "
                "AND day >= COALESCE(?, day) "
                "ORDER BY day DESC, provider, model, account_id");
  s.bind_all(q.provider, q.account_id, q.since_day);
  std::vector<UsageRow> out;
  while (s.step()) {
    UsageRow r;
    s.columns(r.day, r.provider, r.model, r.account_id, r.requests, r.cached_requests,
              r.prompt_tokens, r.completion_tokens, r.estimated);
    out.push_back(std::move(r));
  }
  return out;
}

}  // namespace automuse::llm
