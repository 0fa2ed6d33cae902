// plugins/youtube/step_clock.hpp — times the pipeline's steps: logs each step's start, end and
// duration, and keeps them (with their start offsets, so overlapping steps show as such) for
// metadata.json.
#pragma once

#include <automuse/cpp/log.hpp>
#include <boost/json/array.hpp>
#include <chrono>
#include <string>
#include <vector>

namespace youtube {

class StepClock {
 public:
  explicit StepClock(am::logger log);

  struct Step {
    std::string name;
    double started_at = 0;  // seconds since the job started
    double seconds = -1;    // -1 while running
    std::string note;       // e.g. "from cache", "skipped: no music folder"
  };

  // Starts a step and logs it; returns its index for finish().
  size_t start(const std::string &name);
  // Ends a step and logs its duration (and the note, if any).
  void finish(size_t index, std::string note = {});
  // Ends a step that failed; logs why.
  void fail(size_t index, const std::string &why);

  double elapsed() const;
  const std::vector<Step> &steps() const { return steps_; }
  boost::json::array to_json() const;

 private:
  am::logger log_;
  std::chrono::steady_clock::time_point t0_;
  std::vector<Step> steps_;
};

}  // namespace youtube
