// host/schedule/job_events.cpp — SQL of job events, and the recorder that writes them.
#include "schedule/job_events.hpp"

#include <algorithm>
#include <cmath>

#include "core/job.hpp"
#include "schedule/job_queue.hpp"

namespace automuse::schedule {

namespace {

struct Listeners {
  std::mutex mutex;
  std::vector<std::weak_ptr<EventBell::Listener>> all;
};

Listeners &listeners() {
  static Listeners l;
  return l;
}

}  // namespace

std::shared_ptr<void> EventBell::listen(Listener listener) {
  auto held = std::make_shared<Listener>(std::move(listener));
  auto &l = listeners();
  std::lock_guard lock(l.mutex);
  std::erase_if(l.all, [](const auto &w) { return w.expired(); });
  l.all.push_back(held);
  return held;
}

void EventBell::ring(const std::string &job_id) noexcept {
  std::vector<std::shared_ptr<Listener>> live;
  {
    auto &l = listeners();
    std::lock_guard lock(l.mutex);
    for (const auto &w : l.all)
      if (auto s = w.lock()) live.push_back(std::move(s));
  }
  for (const auto &s : live) try {
      (*s)(job_id);
    } catch (...) {
      // a watcher's failure is not the writer's
    }
}

JobEvents::JobEvents(const store::Location &where) : db_(where) {}

void JobEvents::add(JobEvent e) {
  write(e);
  EventBell::ring(e.job_id);
}

void JobEvents::write(const JobEvent &e) {
  std::lock_guard lock(mutex_);
  // One process writes a job's events (the one holding it, or the API enqueuing it), and this
  // mutex orders them within it: MAX + 1 is the next seq.
  store::Stmt q(db_,
                "INSERT INTO job_events (job_id, seq, at_ms, kind, name, percent, note)"
                " SELECT ?, COALESCE(MAX(seq), 0) + 1, ?, ?, ?, ?, ? FROM job_events"
                " WHERE job_id = ?");
  q.bind_all(e.job_id, e.at_ms ? e.at_ms : lease_clock_ms(), e.kind, e.name, e.percent, e.note,
             e.job_id)
      .run();
}

std::vector<JobEvent> JobEvents::after(const std::string &job_id, int64_t after_seq, int limit) {
  std::lock_guard lock(mutex_);
  store::Stmt q(db_,
                "SELECT job_id, seq, at_ms, kind, name, percent, note FROM job_events"
                " WHERE job_id = ? AND seq > ? ORDER BY seq LIMIT ?");
  q.bind_all(job_id, after_seq, static_cast<int64_t>(limit));
  std::vector<JobEvent> out;
  while (q.step()) {
    JobEvent e;
    q.columns(e.job_id, e.seq, e.at_ms, e.kind, e.name, e.percent, e.note);
    out.push_back(std::move(e));
  }
  return out;
}

std::optional<JobEvent> step_event_of(std::string_view m) {
  if (m.substr(0, 5) != "step ") return std::nullopt;
  const size_t colon = m.find(": ", 5);
  if (colon == std::string_view::npos || colon == 5) return std::nullopt;
  JobEvent e;
  e.name = std::string(m.substr(5, colon - 5));
  const std::string_view rest = m.substr(colon + 2);
  auto starts = [&](std::string_view p) { return rest.substr(0, p.size()) == p; };
  if (starts("start")) {
    e.kind = "step_started";
  } else if (starts("done")) {
    e.kind = "step_finished";
    // "done in 1.23 s (from cache)": the note in brackets.
    if (auto open = rest.find(" ("); open != std::string_view::npos && rest.back() == ')')
      e.note = std::string(rest.substr(open + 2, rest.size() - open - 3));
  } else if (starts("failed")) {
    e.kind = "step_failed";
    // "failed after 1.23 s: why"
    if (auto why = rest.find(": "); why != std::string_view::npos)
      e.note = std::string(rest.substr(why + 2));
  } else {
    return std::nullopt;
  }
  return e;
}

void JobEventRecorder::add(JobEvent e) noexcept {
  try {
    events_->add(std::move(e));
  } catch (...) {
    // A store that cannot take the event (an outage): the job goes on unwatched.
  }
}

void JobEventRecorder::logged(const am_job &job, int /*level*/, std::string_view message) {
  auto e = step_event_of(message);
  if (!e) return;
  e->job_id = job.run_info().job_id;
  if (e->kind != "step_started") {
    std::lock_guard lock(mutex_);
    last_percent_.erase(e->job_id + "\n" + e->name);
  }
  add(std::move(*e));
}

void JobEventRecorder::progress(const am_job &job, std::string_view step,
                                const core::StepProgress &p) {
  const double fraction = p.fraction;
  if (!std::isfinite(fraction)) return;
  const int64_t percent = std::clamp<int64_t>(static_cast<int64_t>(fraction * 100), 0, 100);
  const std::string key = job.run_info().job_id + "\n" + std::string(step);
  {
    std::lock_guard lock(mutex_);
    auto [it, fresh] = last_percent_.try_emplace(key, -1);
    if (!fresh && it->second >= percent) return;  // one event per whole percent
    it->second = percent;
  }
  JobEvent e;
  e.job_id = job.run_info().job_id;
  e.kind = "progress";
  e.name = std::string(step);
  e.percent = percent;
  add(std::move(e));
}

}  // namespace automuse::schedule
