// host/core/job_observer.hpp — what the host sees of a running job's steps and progress, for
// whoever watches jobs (the web API's job events). The ABI has no call for "a step started":
// the host learns it from what it already sees. The job whose code runs on a thread is known
// while that code runs (its strand's functions and its worker-pool work set it), so a log line
// a plugin writes from its job is attributed to that job; the render service reports its
// progress with its job, the HTTP service an upload's. One observer per process, installed by
// the commands that run jobs (the queue's workers record events; the command line draws them
// on a terminal); none installed: nothing is observed and nothing costs anything.
#pragma once

#include <memory>
#include <string>
#include <string_view>

struct am_job;

namespace automuse::core {

// How far a step is, as its progress bar shows it.
struct StepProgress {
  double fraction = 0;      // 0..1
  double per_second = -1;   // its speed in `unit` (frames, bytes); < 0: unknown
  std::string_view unit;    // "fps", "B/s"
  double eta_seconds = -1;  // the time left; < 0: unknown
};

class JobObserver {
 public:
  virtual ~JobObserver() = default;
  // A plugin's log line written while its job's code ran on this thread. Any thread.
  virtual void logged(const am_job &job, int level, std::string_view message) = 0;
  // Progress of a step, e.g. the render's or the upload's. Any thread.
  virtual void progress(const am_job &job, std::string_view step, const StepProgress &p) = 0;
};

void set_job_observer(std::shared_ptr<JobObserver> observer);
std::shared_ptr<JobObserver> job_observer();

// The job whose code runs on this thread, or null.
const am_job *current_job() noexcept;

// Marks this thread as running `job`'s code for the scope (nests: the previous one comes back).
class CurrentJobScope {
 public:
  explicit CurrentJobScope(const am_job *job) noexcept;
  ~CurrentJobScope();
  CurrentJobScope(const CurrentJobScope &) = delete;
  CurrentJobScope &operator=(const CurrentJobScope &) = delete;

 private:
  const am_job *previous_;
};

}  // namespace automuse::core
