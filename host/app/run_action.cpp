// host/app/run_action.cpp — the command-line face of ActionRunner: each run by hand is a job of
// the queue that this process holds under a lease while it runs it, every attempt recorded in
// job_runs; an interrupted one (and one a killed process left behind, once its lease lapsed)
// is resumed by the next identical run; the graceful shutdown on SIGINT/SIGTERM.
#include "app/run_action.hpp"

#include <algorithm>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/post.hpp>
#include <boost/json.hpp>
#include <iostream>
#include <set>
#include <thread>

#include "app/action_runner.hpp"
#include "app/job_worker.hpp"
#include "app/terminal_progress.hpp"
#include "log/logging.hpp"
#include "schedule/graceful_stop.hpp"
#include "schedule/job_queue.hpp"
#include "schedule/lease_keeper.hpp"
#include "schedule/schedule_store.hpp"
#include "store/records.hpp"

namespace automuse::app {
namespace json = boost::json;

std::string run_status(const ActionOutcome &o) {
  if (o.status == AM_OK) return "succeeded";
  if (o.interrupted) return "interrupted";
  if (o.status == AM_CANCELLED) return "cancelled";
  if (o.status == AM_UNCERTAIN)
    return "uncertain";  // published or not: the error says where to look
  return "failed";
}

std::string request_json(const ActionRequest &request) {
  json::object o;
  o["sets"] = json::value_from(request.sets);
  o["extras"] = json::value_from(request.extras);
  return json::serialize(o);
}

void apply_request_json(const std::string &text, ActionRequest &request) {
  json::error_code ec;
  auto v = json::parse(text, ec);
  if (ec || !v.is_object()) return;
  auto strings = [&](const char *key) {
    std::vector<std::string> out;
    if (auto *a = v.as_object().if_contains(key); a && a->is_array())
      for (auto &x : a->as_array())
        if (x.is_string()) out.emplace_back(x.as_string());
    return out;
  };
  request.sets = strings("sets");
  request.extras = strings("extras");
}

namespace {

// The account's id; none when the request names no account or an unknown one (the runner
// then refuses the request with a message saying so).
std::optional<std::string> account_id_of(HostContext &context, const ActionRequest &request) {
  if (!request.account) return std::nullopt;
  try {
    return context.store().resolve_account(*request.account, request.plugin).id;
  } catch (const std::exception &) {
    return std::nullopt;
  }
}

// The succeeded run with the identity of `request` that published something, unless --again
// asks for a new one. Runs that published nothing (list, remove, an outbox render) are simply
// run again.
std::optional<schedule::JobRun> finished_run(HostContext &context, schedule::ScheduleStore &runs,
                                             const ActionRequest &request) {
  if (request.again) return std::nullopt;
  auto done = runs.find_finished(request.plugin, account_id_of(context, request), request.action,
                                 request_json(request));
  if (done && !context.ledger().job_published(done->job_id)) return std::nullopt;
  return done;
}

// The job and job_runs row of one request, held by this process: resumes the newest job of
// the same inputs left interrupted (or by a killed process, once its lease lapsed) under its
// job id, so its ledger rows and cached steps carry on. --again starts a new job.
schedule::JobRun record_start(HostContext &context, schedule::ScheduleStore &runs,
                              schedule::JobQueue &queue, const schedule::LeaseTimes &times,
                              const ActionRequest &request) {
  const std::optional<std::string> account_id = account_id_of(context, request);
  const std::string options = request_json(request);
  schedule::JobRun run;
  run.plugin_id = request.plugin;
  run.account_id = account_id;
  run.action = request.action;
  run.request = options;
  std::optional<schedule::Claim> old;
  if (!request.again) {
    old = queue.claim_identical(schedule::worker_id(), times.lease_ms, request.plugin, account_id,
                                request.action, options);
    // The same run killed a moment ago (or still running elsewhere) holds its lease until it
    // lapses: wait for that, then take the job over, rather than start the same work anew.
    for (std::optional<int64_t> until;
         !old && (until = queue.identical_held_until(account_id, request.plugin, request.action,
                                                     options, schedule::worker_id()));) {
      log::write("host", spdlog::level::info,
                 "the same run of " + request.plugin +
                     (request.account ? " for " + *request.account : "") +
                     " is held by another process; waiting up to " +
                     std::to_string(std::max<int64_t>(0, *until - schedule::lease_clock_ms())) +
                     " ms for its lease");
      std::this_thread::sleep_for(std::chrono::milliseconds(
          std::clamp<int64_t>(*until - schedule::lease_clock_ms() + 50, 50, 1000)));
      old = queue.claim_identical(schedule::worker_id(), times.lease_ms, request.plugin, account_id,
                                  request.action, options);
    }
  }
  if (old) {
    run.job_id = old->job.id;
    if (old->left) run.resume_of = old->left->id;
    log::write("host", spdlog::level::info,
               "resuming the interrupted run " +
                   (old->left ? old->left->id : old->job.id).substr(0, 8) + " of " +
                   request.plugin + (request.account ? " for " + *request.account : ""));
  } else {
    schedule::Job job;
    job.plugin_id = request.plugin;
    job.account_id = account_id;
    job.action = request.action;
    job.request = options;
    run.job_id = queue.enqueue_held(job, schedule::worker_id(), times.lease_ms).id;
  }
  return runs.start_run(std::move(run));
}

// The queue state of a job by hand whose run ended with `status` (run_status).
std::string job_state_of(const std::string &status) {
  if (status == "succeeded") return "done";
  if (status == "interrupted") return "interrupted";
  if (status == "cancelled") return "cancelled";
  return "failed";
}

// Prints what an identical, finished run produced, as if it had just run, and says so.
void report_finished(const ActionRequest &request, const schedule::JobRun &done, bool several) {
  const std::string result = log::redact(done.result.value_or("null"));
  if (!several) {
    if (result != "null") std::cout << result << "\n";
  } else {
    json::object line;
    line["account"] = request.account ? json::value(*request.account) : nullptr;
    line["status"] = "already_done";
    json::error_code ec;
    auto parsed = json::parse(result, ec);
    line["result"] = ec ? json::value(result) : parsed;
    std::cout << json::serialize(line) << std::endl;
  }
  std::cerr << "automuse-host: " << request.plugin << " "
            << (request.action.empty() ? "(default action)" : request.action)
            << (request.account ? " for " + *request.account : "")
            << " with these options already ran to its end (run " << done.id.substr(0, 8) << ", "
            << store::iso_utc(done.finished_at.value_or(done.started_at))
            << "); nothing was done again. Its result is above; pass --again to run it anew.\n";
}

}  // namespace

int run_actions(HostContext &context, const std::vector<ActionRequest> &requests) {
  if (requests.empty()) {
    std::cerr << "automuse-host: nothing to run (no matching accounts)\n";
    return 2;
  }
  context.store();  // creates and migrates the database
  schedule::ScheduleStore runs(context.store_location());
  schedule::JobQueue queue(context.store_location());
  const schedule::LeaseTimes times = schedule::lease_times(context.config());
  boost::asio::io_context main_io;
  auto guard = boost::asio::make_work_guard(main_io);
  size_t remaining = requests.size();
  int exit_code = 0;
  {
    // On a terminal, the steps drawn live in place of the plain log lines (terminal_progress.hpp).
    std::shared_ptr<TerminalProgress> progress;
    if (TerminalProgress::wanted(context)) progress = std::make_shared<TerminalProgress>();
    std::shared_ptr<void> drawing = progress ? TerminalProgress::install(progress) : nullptr;
    ActionRunner runner(context, main_io, network_jobs(context));
    // A job whose lease another process took over (this one stalled past it) is cancelled
    // here; its end is that process's to record.
    std::set<std::string> lost;
    schedule::LeaseKeeper keeper(context.store_location(), schedule::worker_id(), times,
                                 [&](const std::string &job_id) {
                                   boost::asio::post(main_io, [&, job_id] {
                                     lost.insert(job_id);
                                     runner.cancel_job(job_id);
                                   });
                                 });
    schedule::GracefulStop stop(main_io, schedule::grace_period(context.config()), "run",
                                {[&] { runner.stop_taking(); }, [&] { runner.cancel_all(); }});
    for (ActionRequest request : requests) {
      if (auto done = finished_run(context, runs, request)) {
        report_finished(request, *done, requests.size() > 1);
        --remaining;
        continue;
      }
      auto run = record_start(context, runs, queue, times, request);
      request.job_id = run.job_id;
      keeper.hold(run.job_id);
      runner.submit(request, [&, request, run_id = run.id](const ActionOutcome &o) {
        --remaining;
        if (progress) progress->settle();  // what is printed now goes below the steps
        keeper.release(request.job_id);    // before the job's row changes
        const std::string status = run_status(o);
        const std::optional<std::string> error =
            o.status == AM_OK ? std::nullopt : std::optional<std::string>(o.message);
        if (!lost.count(request.job_id)) {
          runs.finish_run(
              run_id, status, error,
              o.result_json.empty() ? std::nullopt : std::optional<std::string>(o.result_json));
          queue.finish(request.job_id, schedule::worker_id(), job_state_of(status), error);
        }
        const std::string who = request.plugin + " " +
                                (request.action.empty() ? "(default action)" : request.action) +
                                (request.account ? " for " + *request.account : "");
        if (requests.size() == 1) {
          if (!o.result_json.empty() && o.result_json != "null") std::cout << o.result_json << "\n";
        } else {
          json::object line;
          line["account"] = request.account ? json::value(*request.account) : nullptr;
          line["status"] = o.interrupted ? "interrupted" : am_status_name(o.status);
          json::error_code ec;
          auto parsed = json::parse(o.result_json.empty() ? "null" : o.result_json, ec);
          line["result"] = ec ? json::value(o.result_json) : parsed;
          if (o.status != AM_OK) line["error"] = o.message;
          std::cout << json::serialize(line) << std::endl;
        }
        if (o.interrupted) {
          std::cerr << "automuse-host: " << who
                    << " interrupted; the next identical run resumes it\n";
          if (exit_code == 0) exit_code = 130;
        } else if (o.status != AM_OK) {
          std::cerr << "automuse-host: " << who << " failed (" << am_status_name(o.status) << ")"
                    << (o.message.empty() ? "" : ": " + o.message) << "\n";
          if (exit_code == 0) exit_code = o.exit_code();
        } else if (!o.message.empty()) {
          std::cerr << o.message << "\n";
        }
      });
    }
    while (remaining > 0) main_io.run_one();
    stop.close();
    guard.reset();
    main_io.restart();
    main_io.poll();
  }
  return exit_code;
}

}  // namespace automuse::app
