// host/schedule/cron.cpp — cron parsing, and next-time search with ICU's calendar for
// time-zone and daylight-saving rules.
#include "schedule/cron.hpp"

#include <unicode/calendar.h>
#include <unicode/gregocal.h>
#include <unicode/timezone.h>

#include <array>
#include <cctype>
#include <memory>
#include <sstream>
#include <vector>

namespace automuse::schedule {
namespace {

struct FieldSpec {
  const char *name;
  int lo, hi;
  const char *const *names;  // symbolic names for lo.., or nullptr
};

const char *const kMonthNames[] = {"JAN", "FEB", "MAR", "APR", "MAY", "JUN",
                                   "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"};
const char *const kDayNames[] = {"SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"};

const FieldSpec kFields[] = {
    {"minute", 0, 59, nullptr},    {"hour", 0, 23, nullptr},
    {"day of month", 1, 31, nullptr}, {"month", 1, 12, kMonthNames},
    {"day of week", 0, 7, kDayNames},
};

std::string upper(std::string_view s) {
  std::string out(s);
  for (auto &c : out) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return out;
}

[[noreturn]] void fail(int index, std::string_view field, const std::string &why) {
  throw CronError("field " + std::to_string(index + 1) + " (" + kFields[index].name + ") '" +
                  std::string(field) + "': " + why);
}

int parse_value(int index, std::string_view field, std::string_view token) {
  const FieldSpec &spec = kFields[index];
  if (spec.names) {
    std::string u = upper(token);
    for (int i = 0; i < (index == 3 ? 12 : 7); ++i)
      if (u == spec.names[i]) return index == 3 ? i + 1 : i;
  }
  if (token.empty()) fail(index, field, "empty value");
  int v = 0;
  for (char c : token) {
    if (!std::isdigit(static_cast<unsigned char>(c)))
      fail(index, field, "'" + std::string(token) + "' is not a number");
    v = v * 10 + (c - '0');
    if (v > 1000) break;
  }
  if (v < spec.lo || v > spec.hi)
    fail(index, field,
         std::to_string(v) + " is out of range " + std::to_string(spec.lo) + "-" +
             std::to_string(spec.hi));
  return v;
}

// Sets bits [lo..hi] of one field from e.g. "1-5/2,10,*/15".
template <size_t N>
bool parse_field(int index, std::string_view field, std::bitset<N> &bits) {
  const FieldSpec &spec = kFields[index];
  bool restricted = field != "*" && field != "?";
  size_t pos = 0;
  while (pos <= field.size()) {
    size_t comma = field.find(',', pos);
    std::string_view item =
        field.substr(pos, comma == std::string_view::npos ? std::string_view::npos : comma - pos);
    if (item.empty()) fail(index, field, "empty list item");
    int step = 1;
    if (auto slash = item.find('/'); slash != std::string_view::npos) {
      std::string_view s = item.substr(slash + 1);
      if (s.empty()) fail(index, field, "missing step after '/'");
      step = 0;
      for (char c : s) {
        if (!std::isdigit(static_cast<unsigned char>(c))) fail(index, field, "step must be a number");
        step = step * 10 + (c - '0');
        if (step > 1000) break;
      }
      if (step <= 0 || step > spec.hi) fail(index, field, "step out of range");
      item = item.substr(0, slash);
    }
    int lo, hi;
    if (item == "*" || item == "?") {
      lo = spec.lo;
      hi = index == 4 ? 6 : spec.hi;
    } else if (auto dash = item.find('-'); dash != std::string_view::npos) {
      lo = parse_value(index, field, item.substr(0, dash));
      hi = parse_value(index, field, item.substr(dash + 1));
      if (lo > hi) fail(index, field, "range start is after its end");
    } else {
      lo = hi = parse_value(index, field, item);
      if (step != 1) hi = index == 4 ? 6 : spec.hi;  // "5/15" means 5-max/15
    }
    for (int v = lo; v <= hi; v += step) bits.set(index == 4 && v == 7 ? 0 : static_cast<size_t>(v));
    if (comma == std::string_view::npos) break;
    pos = comma + 1;
  }
  return restricted;
}

std::unique_ptr<icu::TimeZone> zone(const std::string &name) {
  std::string id = name.empty() ? "UTC" : name;
  std::unique_ptr<icu::TimeZone> tz(icu::TimeZone::createTimeZone(icu::UnicodeString::fromUTF8(id)));
  icu::UnicodeString got;
  tz->getID(got);
  if (*tz == icu::TimeZone::getUnknown()) throw CronError("unknown time zone '" + name + "'");
  return tz;
}

}  // namespace

bool valid_time_zone(const std::string &time_zone) {
  try {
    zone(time_zone);
    return true;
  } catch (const CronError &) {
    return false;
  }
}

std::optional<std::string> CronExpr::preset(std::string_view name) {
  if (name == "daily") return "0 10 * * *";
  if (name == "twice") return "0 10,16 * * *";
  if (name == "thrice") return "0 8,12,18 * * *";
  return std::nullopt;
}

CronExpr CronExpr::parse(std::string_view text) {
  if (auto p = preset(text)) return parse(*p);
  std::vector<std::string> fields;
  std::istringstream in{std::string(text)};
  for (std::string f; in >> f;) fields.push_back(f);
  if (fields.size() != 5)
    throw CronError("expected 5 fields (minute hour day-of-month month day-of-week) or a preset "
                    "(daily, twice, thrice), got " + std::to_string(fields.size()) + " in '" +
                    std::string(text) + "'");
  CronExpr e;
  e.text_ = fields[0] + " " + fields[1] + " " + fields[2] + " " + fields[3] + " " + fields[4];
  parse_field(0, fields[0], e.minutes_);
  parse_field(1, fields[1], e.hours_);
  e.day_restricted_ = parse_field(2, fields[2], e.days_);
  parse_field(3, fields[3], e.months_);
  e.weekday_restricted_ = parse_field(4, fields[4], e.weekdays_);
  return e;
}

bool CronExpr::matches(int minute, int hour, int day, int month, int weekday) const {
  if (!minutes_[minute] || !hours_[hour] || !months_[month]) return false;
  // Standard cron: when both day fields are restricted, either may match.
  bool d = days_[day], w = weekdays_[weekday];
  if (day_restricted_ && weekday_restricted_) return d || w;
  return d && w;
}

std::optional<SysTime> CronExpr::next_after(SysTime after, const std::string &time_zone) const {
  UErrorCode status = U_ZERO_ERROR;
  icu::GregorianCalendar cal(zone(time_zone).release(), status);
  if (U_FAILURE(status)) throw CronError("cannot make a calendar for '" + time_zone + "'");
  const double after_ms = static_cast<double>(after.time_since_epoch().count()) * 1000.0;
  cal.setTime(after_ms, status);
  // Walk local days from the day of `after` (its local date) for up to five years.
  int year = cal.get(UCAL_YEAR, status), month = cal.get(UCAL_MONTH, status),
      day = cal.get(UCAL_DATE, status);
  for (int i = 0; i < 5 * 366 + 2; ++i) {
    icu::GregorianCalendar d(zone(time_zone).release(), status);
    d.clear();
    d.set(year, month, day, 12, 0, 0);  // midday: always exists, gives weekday and date
    d.add(UCAL_DATE, i, status);
    int y = d.get(UCAL_YEAR, status), m = d.get(UCAL_MONTH, status) + 1,
        dd = d.get(UCAL_DATE, status), wd = d.get(UCAL_DAY_OF_WEEK, status) - 1;
    if (!months_[m]) continue;
    bool dm = days_[dd], wm = weekdays_[wd];
    if (day_restricted_ && weekday_restricted_ ? !(dm || wm) : !(dm && wm)) continue;
    for (int h = 0; h < 24; ++h) {
      if (!hours_[h]) continue;
      for (int mi = 0; mi < 60; ++mi) {
        if (!minutes_[mi]) continue;
        icu::GregorianCalendar t(zone(time_zone).release(), status);
        t.setRepeatedWallTimeOption(UCAL_WALLTIME_FIRST);
        t.clear();
        t.set(y, m - 1, dd, h, mi, 0);
        UDate when = t.getTime(status);
        if (U_FAILURE(status)) return std::nullopt;
        // A wall time skipped by a daylight-saving change normalises to another hour: skip.
        if (t.get(UCAL_HOUR_OF_DAY, status) != h || t.get(UCAL_MINUTE, status) != mi) continue;
        if (when > after_ms)
          return SysTime(std::chrono::seconds(static_cast<long long>(when / 1000.0)));
      }
    }
  }
  return std::nullopt;
}

}  // namespace automuse::schedule
