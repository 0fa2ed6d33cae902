// host/schedule/cron.hpp — standard five-field cron expressions (minute hour day-of-month
// month day-of-week, with ranges, lists, steps and names), the presets, and the next firing
// time in a time zone, correct across daylight-saving changes.
#pragma once

#include <bitset>
#include <chrono>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>

namespace automuse::schedule {

// An invalid expression; what() points at the field: "field 2 (hour) '25': 25 is out of
// range 0-23".
class CronError : public std::invalid_argument {
 public:
  using std::invalid_argument::invalid_argument;
};

using SysTime = std::chrono::sys_seconds;

class CronExpr {
 public:
  // Parse "0 10,16 * * *" or a preset name (daily, twice, thrice). Throws CronError.
  static CronExpr parse(std::string_view text);

  // The preset's expression, or nullopt: daily = "0 10 * * *", twice = "0 10,16 * * *",
  // thrice = "0 8,12,18 * * *".
  static std::optional<std::string> preset(std::string_view name);

  // The first firing time strictly after `after`, with the fields read as wall-clock time in
  // `time_zone` (an IANA name such as "Europe/Berlin"; empty means UTC). A wall time that
  // does not exist on a day (skipped by a daylight-saving change) is skipped; one that
  // occurs twice fires once, at its first occurrence. Searches up to five years ahead;
  // nullopt if nothing matches (e.g. 30 February). Throws CronError for an unknown zone.
  std::optional<SysTime> next_after(SysTime after, const std::string &time_zone) const;

  // Does the expression match this wall-clock minute?
  bool matches(int minute, int hour, int day, int month, int weekday) const;

  const std::string &text() const noexcept { return text_; }

 private:
  std::string text_;
  std::bitset<60> minutes_;
  std::bitset<24> hours_;
  std::bitset<32> days_;     // 1..31
  std::bitset<13> months_;   // 1..12
  std::bitset<7> weekdays_;  // 0 = Sunday
  bool day_restricted_ = false, weekday_restricted_ = false;
};

// True if `time_zone` is a zone the system knows.
bool valid_time_zone(const std::string &time_zone);

}  // namespace automuse::schedule
