// tests/schedule/cron_test.cpp — cron parsing (errors point at the field), presets, and next
// firing times in a time zone across daylight-saving changes.
#include "schedule/cron.hpp"

#include <gtest/gtest.h>

#include <ctime>

using automuse::schedule::CronError;
using automuse::schedule::CronExpr;
using automuse::schedule::SysTime;
using namespace std::chrono;

namespace {

SysTime utc(int y, int mo, int d, int h, int mi) {
  return sys_days(year(y) / month(static_cast<unsigned>(mo)) / day(static_cast<unsigned>(d))) +
         hours(h) + minutes(mi);
}

std::string error_of(const char *expr) {
  try {
    CronExpr::parse(expr);
  } catch (const CronError &e) {
    return e.what();
  }
  return "";
}

}  // namespace

TEST(Cron, ErrorsPointAtTheField) {
  EXPECT_EQ(error_of("0 25 * * *"), "field 2 (hour) '25': 25 is out of range 0-23");
  EXPECT_EQ(error_of("61 * * * *"), "field 1 (minute) '61': 61 is out of range 0-59");
  EXPECT_EQ(error_of("0 10 * FOO *"), "field 4 (month) 'FOO': 'FOO' is not a number");
  EXPECT_EQ(error_of("0 10 5-1 * *"), "field 3 (day of month) '5-1': range start is after its end");
  EXPECT_EQ(error_of("*/0 * * * *"), "field 1 (minute) '*/0': step out of range");
  EXPECT_NE(error_of("0 10 * *").find("expected 5 fields"), std::string::npos);
  EXPECT_NE(error_of("weekly").find("expected 5 fields"), std::string::npos);
}

TEST(Cron, RangesListsStepsNames) {
  auto e = CronExpr::parse("*/15 9-17/4 * JAN-MAR mon-fri");
  EXPECT_TRUE(e.matches(0, 9, 1, 1, 1));
  EXPECT_TRUE(e.matches(45, 13, 1, 3, 5));
  EXPECT_FALSE(e.matches(10, 9, 1, 1, 1));  // minute 10 is not */15
  EXPECT_FALSE(e.matches(0, 10, 1, 1, 1));  // 10 is not in 9-17/4
  EXPECT_FALSE(e.matches(0, 9, 1, 4, 1));   // April
  EXPECT_FALSE(e.matches(0, 9, 1, 1, 0));   // Sunday
  EXPECT_TRUE(CronExpr::parse("0 0 * * 7").matches(0, 0, 3, 3, 0)) << "7 is Sunday too";
  // Both day fields restricted: either matches (standard cron).
  auto both = CronExpr::parse("0 0 13 * FRI");
  EXPECT_TRUE(both.matches(0, 0, 13, 6, 3));
  EXPECT_TRUE(both.matches(0, 0, 2, 6, 5));
  EXPECT_FALSE(both.matches(0, 0, 2, 6, 3));
}

TEST(Cron, Presets) {
  EXPECT_EQ(CronExpr::parse("daily").text(), "0 10 * * *");
  EXPECT_EQ(CronExpr::parse("twice").text(), "0 10,16 * * *");
  EXPECT_EQ(CronExpr::parse("thrice").text(), "0 8,12,18 * * *");
}

TEST(Cron, NextInUtc) {
  auto e = CronExpr::parse("0 10,16 * * *");
  EXPECT_EQ(e.next_after(utc(2026, 11, 28, 9, 59), ""), utc(2026, 11, 28, 10, 0));
  EXPECT_EQ(e.next_after(utc(2026, 11, 28, 10, 0), ""), utc(2026, 11, 28, 16, 0))
      << "strictly after";
  EXPECT_EQ(e.next_after(utc(2026, 11, 28, 16, 0), ""), utc(2026, 11, 29, 10, 0));
  EXPECT_EQ(CronExpr::parse("0 0 29 2 *").next_after(utc(2026, 3, 1, 0, 0), ""),
            utc(2028, 2, 29, 0, 0));
  EXPECT_EQ(CronExpr::parse("0 0 30 2 *").next_after(utc(2026, 3, 1, 0, 0), ""), std::nullopt);
}

TEST(Cron, TimeZoneAndDaylightSaving) {
  auto daily = CronExpr::parse("daily");  // 10:00 local
  // Berlin is UTC+1 in winter, UTC+2 in summer; the change in 2027 is on 28 March.
  EXPECT_EQ(daily.next_after(utc(2027, 3, 27, 12, 0), "Europe/Berlin"), utc(2027, 3, 28, 8, 0));
  EXPECT_EQ(daily.next_after(utc(2027, 3, 26, 12, 0), "Europe/Berlin"), utc(2027, 3, 27, 9, 0));
  // 02:30 does not exist in Berlin on 28 March 2027: that day is skipped, not run at 03:30.
  auto night = CronExpr::parse("30 2 * * *");
  EXPECT_EQ(night.next_after(utc(2027, 3, 27, 2, 0), "Europe/Berlin"), utc(2027, 3, 29, 0, 30));
  // 02:30 happens twice on 31 October 2027 (back to UTC+1): it fires once, the first time.
  auto first = night.next_after(utc(2027, 10, 30, 12, 0), "Europe/Berlin");
  EXPECT_EQ(first, utc(2027, 10, 31, 0, 30));
  EXPECT_EQ(night.next_after(*first, "Europe/Berlin"), utc(2027, 11, 1, 1, 30));
}

TEST(Cron, UnknownZoneIsAnError) {
  EXPECT_THROW(CronExpr::parse("daily").next_after(utc(2026, 1, 1, 0, 0), "Mars/Olympus"),
               CronError);
  EXPECT_FALSE(automuse::schedule::valid_time_zone("Mars/Olympus"));
  EXPECT_TRUE(automuse::schedule::valid_time_zone("America/New_York"));
}
