// plugins/youtube/step_clock.cpp — step timing and its log lines.
#include "step_clock.hpp"

#include <boost/json.hpp>
#include <cmath>
#include <cstdio>

namespace youtube {

namespace {
std::string seconds_text(double s) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.2f s", s);
  return buf;
}
double round_ms(double s) {
  return std::round(s * 1000) / 1000;
}
}  // namespace

StepClock::StepClock(am::logger log) : log_(log), t0_(std::chrono::steady_clock::now()) {}

double StepClock::elapsed() const {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0_).count();
}

size_t StepClock::start(const std::string &name) {
  steps_.push_back(Step{name, elapsed(), -1, {}});
  log_.info("step " + name + ": start (at " + seconds_text(steps_.back().started_at) + ")");
  return steps_.size() - 1;
}

void StepClock::finish(size_t index, std::string note) {
  Step &s = steps_.at(index);
  s.seconds = elapsed() - s.started_at;
  s.note = std::move(note);
  log_.info("step " + s.name + ": done in " + seconds_text(s.seconds) +
            (s.note.empty() ? "" : " (" + s.note + ")"));
}

void StepClock::fail(size_t index, const std::string &why) {
  Step &s = steps_.at(index);
  s.seconds = elapsed() - s.started_at;
  s.note = "failed: " + why;
  log_.error("step " + s.name + ": failed after " + seconds_text(s.seconds) + ": " + why);
}

boost::json::array StepClock::to_json() const {
  boost::json::array out;
  for (const Step &s : steps_) {
    if (s.seconds < 0) continue;  // still running: only finished steps have a duration
    boost::json::object o;
    o["name"] = s.name;
    o["started_at"] = round_ms(s.started_at);
    o["seconds"] = round_ms(s.seconds);
    if (!s.note.empty()) o["note"] = s.note;
    out.push_back(std::move(o));
  }
  return out;
}

}  // namespace youtube
