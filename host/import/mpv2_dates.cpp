// Parsing of MoneyPrinterV2's dates (see mpv2_dates.hpp).
#include "import/mpv2_dates.hpp"

#include <ctime>
#include <string>

namespace automuse::import {

std::optional<int64_t> parse_mpv2_date(std::string_view text) {
  static constexpr const char *kFormats[] = {"%Y-%m-%d %H:%M:%S", "%m/%d/%Y, %H:%M:%S"};
  std::string s(text);
  for (const char *format : kFormats) {
    std::tm tm{};
    const char *end = strptime(s.c_str(), format, &tm);
    if (!end || *end != '\0') continue;  // the whole text must match
    // The original wrote datetime.now(): local time, daylight saving unknown.
    tm.tm_isdst = -1;
    std::time_t t = std::mktime(&tm);
    if (t == static_cast<std::time_t>(-1)) continue;
    return static_cast<int64_t>(t);
  }
  return std::nullopt;
}

}  // namespace automuse::import
