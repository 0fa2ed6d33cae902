// fuzz/cron_fuzz.cpp — cron expressions (host/schedule/cron): CronExpr::parse on any text,
// then the next firing time in UTC and in a zone with daylight saving. Invariants: only
// CronError is thrown; an expression parses again from its own text; the next firing time is
// after the start and its UTC wall-clock minute matches the expression.
#include <chrono>
#include <string>
#include <string_view>

#include "fuzz_check.hpp"
#include "schedule/cron.hpp"

using namespace automuse::schedule;
using namespace std::chrono;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  const std::string_view text(reinterpret_cast<const char *>(data), size);
  std::optional<CronExpr> expr;
  try {
    expr = CronExpr::parse(text);
  } catch (const CronError &e) {
    FUZZ_CHECK(*e.what() != '\0', "an error says why");
    return 0;
  }
  (void)CronExpr::parse(expr->text());

  const SysTime after{seconds(1767225600)};  // 2026-01-01T00:00:00Z
  if (const auto next = expr->next_after(after, "UTC")) {
    FUZZ_CHECK(*next > after, "the next firing is after the start");
    const auto day = floor<days>(*next);
    const year_month_day ymd(day);
    const hh_mm_ss<seconds> tod(*next - day);
    FUZZ_CHECK(expr->matches(
                   static_cast<int>(tod.minutes().count()), static_cast<int>(tod.hours().count()),
                   static_cast<int>(unsigned(ymd.day())), static_cast<int>(unsigned(ymd.month())),
                   static_cast<int>(weekday(day).c_encoding())),
               "the next firing matches the expression");
  }
  if (const auto next = expr->next_after(after, "Europe/Berlin"))
    FUZZ_CHECK(*next > after, "the next firing is after the start");
  return 0;
}
