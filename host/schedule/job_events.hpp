// host/schedule/job_events.hpp — a job's events in the store (table job_events, migration 10):
// its state changes, steps started and finished, a step's progress in whole percent. The
// process that runs a job writes them (JobEventRecorder, below); watchers in any process read
// the ones after the last they saw (the web API's event stream polls here), which is how a job
// run by a worker on another host is watched live.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "core/job_observer.hpp"
#include "store/database.hpp"

namespace automuse::schedule {

struct JobEvent {
  std::string job_id;
  int64_t seq = 0;    // 1, 2, 3… per job
  int64_t at_ms = 0;  // Unix milliseconds
  // state (name: queued, running, done, failed, cancelled…), step_started, step_finished,
  // step_failed (name: the step), progress (name: the step, percent 0..100).
  std::string kind;
  std::string name;
  std::optional<int64_t> percent;
  std::optional<std::string> note;  // a finished step's note, a failure's message
};

// Tells watchers in this process at once that an event was written here (JobEvents::add rings
// it), so that they need not wait for their next look at the store; events that workers of
// other processes write are still found by looking.
class EventBell {
 public:
  using Listener = std::function<void(const std::string &job_id)>;
  // Calls `listener` after each event this process writes, on the writing thread (keep it
  // short: post to your own), until the returned handle is dropped. Any thread.
  [[nodiscard]] static std::shared_ptr<void> listen(Listener listener);
  static void ring(const std::string &job_id) noexcept;
};

class JobEvents {
 public:
  explicit JobEvents(const store::Location &where);

  // Appends an event (its seq and time assigned here), then rings the EventBell. Thread-safe.
  void add(JobEvent event);
  // The job's events after `after_seq`, oldest first, at most `limit`.
  std::vector<JobEvent> after(const std::string &job_id, int64_t after_seq, int limit = 500);

 private:
  void write(const JobEvent &e);
  std::mutex mutex_;
  store::Db db_;
};

// The job observer (core/job_observer.hpp) that turns what the host sees of a running job into
// its events: a plugin's log lines "step NAME: start …", "step NAME: done …" and "step NAME:
// failed …" (the form of the bundled plugins' step clocks) become step events, the render's
// progress becomes progress events — at most one per whole percent. Errors of the store are
// swallowed: watching must never fail a job.
class JobEventRecorder : public core::JobObserver {
 public:
  explicit JobEventRecorder(std::shared_ptr<JobEvents> events) : events_(std::move(events)) {}
  void logged(const am_job &job, int level, std::string_view message) override;
  void progress(const am_job &job, std::string_view step, const core::StepProgress &p) override;

 private:
  void add(JobEvent e) noexcept;
  std::shared_ptr<JobEvents> events_;
  std::mutex mutex_;
  std::map<std::string, int64_t> last_percent_;  // by job id and step: "JOB\nSTEP"
};

// Parses "step NAME: start …" / "step NAME: done …" / "step NAME: failed … : WHY" into an event
// (kind, name, note); nullopt for any other line.
std::optional<JobEvent> step_event_of(std::string_view message);

}  // namespace automuse::schedule
