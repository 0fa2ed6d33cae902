// host/llm/usage_log.cpp — upserts and queries of the llm_usage table.
#include "llm/usage_log.hpp"

#include <chrono>
#include <ctime>

#include "core/text.hpp"
#include "store/migrations.hpp"

namespace automuse::llm {

UsageLog::UsageLog(const std::filesystem::path &store_file) : db_(store_file) {
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
  sqlite::WriteTxn txn(db_);
  sqlite::Stmt s(db_,
                 "INSERT INTO llm_usage (day, provider, model, account_id, requests, "
                 "cached_requests, prompt_tokens, completion_tokens, estimated, updated_at) "
                 "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
                 "ON CONFLICT (day, provider, model, account_id) DO UPDATE SET "
                 "requests = requests + excluded.requests, "
                 "cached_requests = cached_requests + excluded.cached_requests, "
                 "prompt_tokens = prompt_tokens + excluded.prompt_tokens, "
                 "completion_tokens = completion_tokens + excluded.completion_tokens, "
                 "estimated = estimated + excluded.estimated, updated_at = excluded.updated_at");
  s.bind(1, day_of(now))
      .bind(2, provider)
      .bind(3, model)
      .bind(4, account_id)
      .bind(5, int64_t{cached ? 0 : 1})
      .bind(6, int64_t{cached ? 1 : 0})
      .bind(7, cached ? int64_t{0} : prompt_tokens)
      .bind(8, cached ? int64_t{0} : completion_tokens)
      .bind(9, int64_t{estimated && !cached ? 1 : 0})
      .bind(10, now)
      .run();
  txn.commit();
}

std::vector<UsageRow> UsageLog::list(const UsageQuery &q) {
  std::lock_guard lock(mutex_);
  sqlite::Stmt s(db_,
                 "SELECT day, provider, model, account_id, requests, cached_requests, "
                 "prompt_tokens, completion_tokens, estimated FROM llm_usage "
                 "WHERE (?1 IS NULL OR provider = ?1) AND (?2 IS NULL OR account_id = ?2) "
                 "AND (?3 IS NULL OR day >= ?3) "
                 "ORDER BY day DESC, provider, model, account_id");
  s.bind(1, q.provider).bind(2, q.account_id).bind(3, q.since_day);
  std::vector<UsageRow> out;
  while (s.step()) {
    UsageRow r;
    r.day = s.text(0);
    r.provider = s.text(1);
    r.model = s.text(2);
    r.account_id = s.text(3);
    r.requests = s.int64(4);
    r.cached_requests = s.int64(5);
    r.prompt_tokens = s.int64(6);
    r.completion_tokens = s.int64(7);
    r.estimated = s.int64(8);
    out.push_back(std::move(r));
  }
  return out;
}

}  // namespace automuse::llm
