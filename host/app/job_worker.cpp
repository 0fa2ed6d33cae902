// host/app/job_worker.cpp — claiming, running, retrying and ending jobs of the queue.
#include "app/job_worker.hpp"

#include <boost/asio/post.hpp>
#include <boost/json.hpp>

#include "core/job_observer.hpp"
#include "log/logging.hpp"
#include "schedule/approval.hpp"

namespace automuse::app {
namespace {

bool transient(am_status s) {
  return s == AM_UNAVAILABLE || s == AM_TIMEOUT || s == AM_RATE_LIMITED;
}

// The queue state of a job whose attempt ended with `run_status` (run_action.hpp).
std::string job_state(const std::string &run_status) {
  if (run_status == "succeeded") return "done";
  if (run_status == "cancelled") return "cancelled";
  return "failed";
}

// Where a job a worker stops at a shutdown goes: back to the queue, where the next worker
// resumes it first (it is the oldest). A worker only runs jobs of the queue — a schedule's
// slot, one the web API enqueued, one of the approval gate, a run by hand whose own process
// died — whose request is in the store, not on anyone's command line. Only a run by hand
// stopped in its own process waits "interrupted" for the next identical run (run_action.cpp).
constexpr const char *kStoppedState = "queued";

}  // namespace

size_t network_jobs(HostContext &ctx) {
  if (auto *v = ctx.config().find("limits.network_jobs"); v && v->is_number())
    return static_cast<size_t>(std::max(1.0, v->to_number<double>()));
  return 16;
}

struct JobWorker::Held {
  schedule::Job job;
  std::optional<std::string> resume_of;  // the first attempt's link to the attempt it continues
  int first_attempt = 1;
  std::string run_id;  // the current attempt's job_runs row
  // What this attempt runs: the job's action and options, or the approval gate's step.
  std::string action;
  std::string request;
  bool making = false;  // the making step of a job that needs approval
};

JobWorker::JobWorker(HostContext &ctx, schedule::ScheduleStore &runs, boost::asio::io_context &io,
                     size_t slots)
    : ctx_(ctx),
      runs_(runs),
      queue_(ctx.store_location()),
      io_(io),
      slots_(slots),
      times_(schedule::lease_times(ctx.config())),
      events_(std::make_shared<schedule::JobEvents>(ctx.store_location())),
      poll_timer_(io),
      keeper_(ctx.store_location(), schedule::worker_id(), times_,
              [this, alive = alive_](const std::string &job_id) {
                boost::asio::post(io_, [this, alive, job_id] {
                  if (*alive) lost(job_id);
                });
              }),
      runner_(ctx, io, network_jobs(ctx)) {
  // The steps and progress of the jobs this process runs reach their watchers through the
  // store (the web API's event streams, in this process or another).
  core::set_job_observer(std::make_shared<schedule::JobEventRecorder>(events_));
  if (auto *v = ctx.config().find("schedule.retry_base_seconds"); v && v->is_number())
    retry_base_ms_ = static_cast<int64_t>(v->to_number<double>() * 1000);
  if (auto *v = ctx.config().find("schedule.max_attempts"); v && v->is_number())
    max_attempts_ = std::max(1, static_cast<int>(v->to_number<double>()));
}

JobWorker::~JobWorker() {
  *alive_ = false;
}

int JobWorker::take_jobs(std::optional<int> limit) {
  int taken = 0;
  // The store may be away for a while (a restart of the database, a failover): say so once,
  // keep polling, and go on when it answers again (it reconnects by itself).
  try {
    while (taking_ && held_.size() < slots_ && (!limit || taken < *limit)) {
      auto claim = queue_.claim(schedule::worker_id(), times_.lease_ms);
      if (!claim) break;
      ++taken;
      start(std::move(*claim));
    }
    if (store_failing_)
      log::write("host", spdlog::level::info, "worker: the store answers again; taking jobs");
    store_failing_ = false;
  } catch (const std::exception &e) {
    if (!store_failing_)
      log::write("host", spdlog::level::warn,
                 std::string("worker: cannot take jobs from the store (") + e.what() +
                     "); trying again at every poll");
    store_failing_ = true;
  }
  return taken;
}

void JobWorker::poll() {
  if (!taking_) return;
  take_jobs();
  cancel_requested();
  poll_timer_.expires_after(std::chrono::milliseconds(times_.poll_ms));
  poll_timer_.async_wait([this](const boost::system::error_code &ec) {
    if (!ec) poll();
  });
}

void JobWorker::cancel_requested() {
  if (held_.empty()) return;
  try {
    for (const std::string &id : queue_.cancel_requests(schedule::worker_id())) {
      if (!held_.count(id) || !cancelling_.insert(id).second) continue;
      log::write("host", spdlog::level::info, "job " + id.substr(0, 8) + ": cancelled on request");
      if (auto t = retries_.find(id); t != retries_.end()) t->second->cancel();
      runner_.cancel_job(id);
    }
  } catch (const std::exception &) {
    // the store is away: take_jobs said so; asked again at the next poll
  }
}

void JobWorker::state_event(const std::string &job_id, const std::string &state,
                            const std::optional<std::string> &note) {
  try {
    schedule::JobEvent e;
    e.job_id = job_id;
    e.kind = "state";
    e.name = state;
    e.note = note;
    events_->add(std::move(e));
  } catch (const std::exception &) {
    // watching must never fail a job
  }
}

void JobWorker::start(schedule::Claim claim) {
  auto h = std::make_shared<Held>();
  h->job = std::move(claim.job);
  keeper_.hold(h->job.id);
  held_[h->job.id] = h;
  std::optional<std::string> resuming;  // the running event's note: what it takes up again
  if (claim.left) {
    ++resumed_;
    h->resume_of = claim.left->id;
    h->first_attempt = claim.left->attempt;
    resuming = "resuming its " + claim.left->status + " run " + claim.left->id.substr(0, 8);
    // A run left "running" or "retrying" is one whose worker stopped renewing (killed, or its
    // machine stopped): worth a warning. An interrupted one was put back by a shutdown.
    const bool killed = claim.left->status != "interrupted";
    log::write(
        "host", killed ? spdlog::level::warn : spdlog::level::info,
        "job " + h->job.id.substr(0, 8) + " (" + h->job.plugin_id + " " + h->job.action +
            (h->job.schedule_id ? ", schedule " + h->job.schedule_id->substr(0, 8) : "") +
            "): " + *resuming +
            (killed ? ", left by worker " + claim.left->worker.value_or("?") + " whose lease lapsed"
                    : std::string()));
  }
  state_event(h->job.id, "running", resuming);
  try {
    attempt(h, h->first_attempt, std::nullopt);
  } catch (...) {
    // The store failed before the job started (an outage of the database): let the claim go
    // rather than renew a lease on a job nothing runs. The lease lapses and the job is claimed
    // again, here or by another worker.
    keeper_.release(h->job.id);
    held_.erase(h->job.id);
    throw;
  }
}

void JobWorker::approval_step(Held &h, ActionRequest &r) {
  schedule::Job &job = h.job;
  std::optional<schedule::ApprovalSplit> split;
  try {
    split = schedule::approval_split(ctx_.plugin(job.plugin_id)->info().description, job.action);
  } catch (const std::exception &) {
    // no such plugin: the runner says so
  }
  bool gated = job.approval == "required";
  if (!gated && split && job.account_id) {
    // The account's setting at the job's first start (a job made under it stays gated).
    auto a = ctx_.store().get_account(*job.account_id);
    if (a && a->approval == "required") {
      queue_.require_approval(job.id);
      job.approval = "required";
      gated = true;
    }
  }
  if (!gated) return;
  if (!split)
    throw std::runtime_error("this job needs approval, but action '" + job.action +
                             "' of plugin '" + job.plugin_id +
                             "' cannot wait for it (its plugin declares no approval split)");
  if (job.approved_ms && job.approval_item) {
    r.action = split->publish;
    r.sets = schedule::publish_step_sets(*split, r.sets, *job.approval_item);
  } else {
    r.action = split->make;
    r.sets = schedule::make_step_sets(*split, r.sets);
    h.making = true;
  }
}

ActionRequest JobWorker::request_of(Held &h, std::optional<std::string> &refused) {
  ActionRequest r;
  r.plugin = h.job.plugin_id;
  r.action = h.job.action;
  r.job_id = h.job.id;
  apply_request_json(h.job.request, r);
  h.making = false;
  try {
    approval_step(h, r);
  } catch (const std::runtime_error &e) {
    refused = e.what();
  }
  h.action = r.action;
  h.request = request_json(r);
  return r;
}

bool JobWorker::record_attempt(Held &h, int n, const std::optional<std::string> &queued) {
  if (queued) {
    if (!runs_.begin_retry(*queued)) return false;  // taken over meanwhile
    h.run_id = *queued;
    return true;
  }
  schedule::JobRun run;
  run.schedule_id = h.job.schedule_id;
  run.plugin_id = h.job.plugin_id;
  run.account_id = h.job.account_id;
  run.action = h.action;
  run.attempt = n;
  run.request = h.request;
  run.resume_of = h.resume_of;
  run.job_id = h.job.id;
  h.run_id = runs_.start_run(run).id;
  return true;
}

void JobWorker::attempt(std::shared_ptr<Held> h, int n, std::optional<std::string> queued) {
  const schedule::Job &job = h->job;
  std::optional<std::string> refused;
  ActionRequest r = request_of(*h, refused);
  if (!record_attempt(*h, n, queued)) return end(h, "", std::nullopt);
  h->resume_of.reset();  // a retry links to the previous attempt through the job
  if (refused) {
    runs_.finish_run(h->run_id, "failed", *refused, std::nullopt);
    ++failures_;
    return end(h, "failed", *refused);
  }
  if (job.account_id) {
    auto a = ctx_.store().get_account(*job.account_id);
    if (!a) {
      const std::string why = "account " + *job.account_id + " no longer exists (schedule " +
                              job.schedule_id.value_or("-") + ")";
      runs_.finish_run(h->run_id, "failed", why, std::nullopt);
      ++failures_;
      return end(h, "failed", why);
    }
    r.account = a->nickname;
  }
  log::write("host", spdlog::level::info,
             "job " + job.id.substr(0, 8) + ": " + job.plugin_id + " " + job.action +
                 (r.account ? " for " + *r.account : "") + " (attempt " + std::to_string(n) +
                 (job.schedule_id ? ", schedule " + job.schedule_id->substr(0, 8) : "") + ")");
  runner_.submit(r, [this, h, n](const ActionOutcome &o) {
    if (!held_.count(h->job.id)) return;  // lost to another worker: nothing is ours to record
    const std::string status = run_status(o);
    runs_.finish_run(
        h->run_id, status, o.status == AM_OK ? std::nullopt : std::optional<std::string>(o.message),
        o.result_json.empty() ? std::nullopt : std::optional<std::string>(o.result_json));
    if (o.interrupted) {
      ++interrupted_;
      return end(h, kStoppedState, o.message);
    }
    if (o.status != AM_OK && transient(o.status) && n < max_attempts_ && taking_)
      return retry_later(h, n, o.message);
    if (o.status != AM_OK) ++failures_;
    if (o.status == AM_OK && h->making) return await_approval(h, o.result_json);
    end(h, job_state(status), o.status == AM_OK ? std::nullopt : std::optional(o.message));
  });
}

void JobWorker::await_approval(const std::shared_ptr<Held> &h, const std::string &result_json) {
  boost::system::error_code ec;
  const boost::json::value v = boost::json::parse(result_json, ec);
  const boost::json::value *item =
      !ec && v.is_object() ? v.as_object().if_contains("history_id") : nullptr;
  if (!item || !item->is_string() || item->as_string().empty()) {
    ++failures_;
    return end(h, "failed",
               "made, but action '" + h->action +
                   "' recorded nothing in the history to wait for approval with (its result "
                   "has no history_id)");
  }
  const std::string id = h->job.id;
  keeper_.release(id);
  held_.erase(id);
  cancelling_.erase(id);
  log::write("host", spdlog::level::info,
             "job " + id.substr(0, 8) + ": made; awaiting approval (automuse-host jobs approve " +
                 id + ")");
  state_event(id, "awaiting_approval", std::string(item->as_string()));
  if (!queue_.hold_for_approval(id, schedule::worker_id(), std::string(item->as_string())))
    log::write("host", spdlog::level::warn,
               "job " + id.substr(0, 8) +
                   ": another worker took it over before it could wait for approval here");
  if (taking_)
    boost::asio::post(io_, [this, alive = alive_] {
      if (*alive) take_jobs();
    });
}

void JobWorker::retry_later(std::shared_ptr<Held> h, int n, const std::string &why) {
  auto delay = std::chrono::milliseconds(retry_base_ms_ << (n - 1));
  log::write("host", spdlog::level::warn,
             "job " + h->job.id.substr(0, 8) + ": transient failure (" + why + "); retrying in " +
                 std::to_string(delay.count()) + " ms");
  // The next attempt is recorded now, "retrying", under the lease this worker keeps renewing:
  // if it dies while it waits, the next holder of the job continues from this row.
  schedule::JobRun next;
  next.schedule_id = h->job.schedule_id;
  next.plugin_id = h->job.plugin_id;
  next.account_id = h->job.account_id;
  next.action = h->action;
  next.attempt = n + 1;
  next.request = h->request;
  next.job_id = h->job.id;
  const std::string row = runs_.queue_retry(next).id;
  auto timer = std::make_shared<boost::asio::steady_timer>(io_, delay);
  retries_[h->job.id] = timer;
  timer->async_wait([this, timer, h, n, row](const boost::system::error_code &ec) {
    retries_.erase(h->job.id);
    if (!held_.count(h->job.id)) return;
    if (!ec && taking_) return attempt(h, n + 1, row);
    // Stopped while waiting: the next attempt is left to whoever takes the job next.
    runs_.finish_run(row, "interrupted", "stopped before this retry started", std::nullopt);
    ++interrupted_;
    end(h, kStoppedState, std::nullopt);
  });
}

void JobWorker::end(const std::shared_ptr<Held> &h, const std::string &state,
                    const std::optional<std::string> &error) {
  keeper_.release(h->job.id);  // before the row changes, so no renewal reports it lost
  held_.erase(h->job.id);
  // A job cancelled on request ends cancelled even when a retry was waiting.
  const bool requested = cancelling_.erase(h->job.id) > 0;
  const std::string final_state =
      requested && state != "done" && !state.empty() ? "cancelled" : state;
  if (!final_state.empty()) state_event(h->job.id, final_state, error);
  if (!final_state.empty() && !queue_.finish(h->job.id, schedule::worker_id(), final_state, error))
    log::write("host", spdlog::level::warn,
               "job " + h->job.id.substr(0, 8) +
                   ": another worker took it over before it ended here (this worker's lease "
                   "had lapsed)");
  if (taking_)
    boost::asio::post(io_, [this, alive = alive_] {
      if (*alive) take_jobs();
    });
}

void JobWorker::lost(const std::string &job_id) {
  auto it = held_.find(job_id);
  if (it == held_.end()) return;
  held_.erase(it);  // its completion finds it gone and records nothing
  cancelling_.erase(job_id);
  if (auto t = retries_.find(job_id); t != retries_.end()) t->second->cancel();
  runner_.cancel_job(job_id);
}

void JobWorker::stop_taking() {
  taking_ = false;
  poll_timer_.cancel();
  for (auto &[id, timer] : retries_) timer->cancel();
  runner_.stop_taking();
}

void JobWorker::cancel() {
  runner_.cancel_all();
}

}  // namespace automuse::app
