// host/app/schedule_commands.cpp — the schedule CLI, `runs`, `jobs`, run-due, the daemon and
// `worker`. The daemon runs on the main thread's io_context: a system_timer wakes it at the
// next firing time (or every 30 s, to see schedules added or removed by other processes), and
// it enqueues each due slot in the job queue (schedule/job_queue.hpp) once, however many
// daemons share the store. Workers (JobWorker: the daemon's own in-process one unless
// `--slots 0`, `worker` processes, run-due) claim the jobs under a lease; every attempt is a
// row in job_runs, and transient failures are retried with exponential backoff. After
// downtime a missed schedule runs once. On SIGINT/SIGTERM (schedule::GracefulStop) nothing new
// starts, running jobs get the grace period, the rest are cancelled and go back to the queue;
// the next worker takes them up first, with the same job id, so the plugin resumes from its
// cached steps. `daemon --serve` also serves the REST API (app/serve_command.hpp). A worker
// killed outright stops renewing its leases; once they lapse another
// worker resumes its jobs the same way. A schedule carries its action's options (`schedule add
// --option KEY=VALUE`), checked against the plugin's describe() when added, and every firing
// runs with them.
#include "app/schedule_commands.hpp"

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/system_timer.hpp>
#include <boost/json.hpp>
#include <ctime>
#include <iostream>
#include <map>
#include <set>
#include <vector>

#include "app/action_runner.hpp"
#include "app/approval_commands.hpp"
#include "app/job_worker.hpp"
#include "app/plugin_commands.hpp"
#include "app/run_action.hpp"
#include "app/serve_command.hpp"
#include "core/text.hpp"
#include "log/logging.hpp"
#include "schedule/cron.hpp"
#include "schedule/graceful_stop.hpp"
#include "schedule/job_queue.hpp"
#include "schedule/schedule_store.hpp"

namespace automuse::app {
namespace json = boost::json;
using schedule::CronExpr;
using schedule::Schedule;
using schedule::ScheduleStore;
using schedule::SysTime;

namespace {

std::string format_time(int64_t t, const std::string & /*zone*/) {
  return core::utc_text(t, "%Y-%m-%d %H:%M UTC");
}

SysTime now_sys() {
  return std::chrono::time_point_cast<std::chrono::seconds>(std::chrono::system_clock::now());
}

// The next time the schedule fires after the last handled one (or its creation).
std::optional<SysTime> next_fire(const Schedule &s) {
  SysTime base{std::chrono::seconds(s.last_fire_at ? *s.last_fire_at : s.created_at)};
  return CronExpr::parse(s.cron).next_after(base, s.time_zone);
}

ScheduleStore open_schedules(HostContext &ctx) {
  ctx.store();  // creates and migrates the database
  return ScheduleStore(ctx.store_location());
}

// Enqueues the slot of every due, unpaused schedule once (missed slots collapse into one:
// its first, and the firing moves to now); returns how many this process enqueued. Another
// daemon or run-due on the same store may enqueue a slot first: then it is theirs.
int enqueue_due(ScheduleStore &schedules, schedule::JobQueue &queue) {
  int enqueued = 0;
  const SysTime now = now_sys();
  for (auto &s : schedules.list()) {
    if (s.paused) continue;
    std::optional<SysTime> next;
    try {
      next = next_fire(s);
    } catch (const std::exception &e) {
      log::write("host", spdlog::level::err, "schedule " + s.id + ": " + e.what());
      continue;
    }
    if (!next || *next > now) continue;
    if (queue.enqueue_slot(s, next->time_since_epoch().count(), now.time_since_epoch().count()))
      ++enqueued;
  }
  return enqueued;
}

// The earliest next firing of any unpaused schedule.
std::optional<SysTime> earliest_next(ScheduleStore &schedules) {
  std::optional<SysTime> best;
  for (auto &s : schedules.list()) {
    if (s.paused) continue;
    try {
      auto n = next_fire(s);
      if (n && (!best || *n < *best)) best = n;
    } catch (...) {
    }
  }
  return best;
}

// `--slots N`, else limits.network_jobs.
size_t worker_slots(HostContext &ctx, std::optional<int> slots) {
  return slots ? static_cast<size_t>(std::max(0, *slots)) : network_jobs(ctx);
}

// The names of `action`'s options in the plugin's describe() document, read in a child
// process as `plugins list` does; nullopt when the action declares no list (nothing to check
// against). Throws std::runtime_error naming the plugin or action when there is none.
std::optional<std::set<std::string>> declared_options(HostContext &ctx, const std::string &plugin,
                                                      const std::string &action) {
  for (auto &p : discover_plugins(ctx).plugins) {
    if (p.at("id").as_string() != plugin) continue;
    std::string listing;
    bool found = false;
    for (auto &a : p.at("actions").as_array()) {
      listing += (listing.empty() ? "" : ", ") + std::string(a.as_string());
      found = found || a.as_string() == action;
    }
    if (!found)
      throw std::runtime_error("plugin '" + plugin + "' has no action '" + action +
                               "' (its actions: " + (listing.empty() ? "none" : listing) + ")");
    auto *all = p.if_contains("action_options");
    auto *declared = all && all->is_object() ? all->as_object().if_contains(action) : nullptr;
    if (!declared || !declared->is_array()) return std::nullopt;
    std::set<std::string> names;
    for (auto &opt : declared->as_array())
      if (auto *n = opt.is_object() ? opt.as_object().if_contains("name") : nullptr;
          n && n->is_string())
        names.emplace(n->as_string());
    return names;
  }
  throw std::runtime_error("no plugin '" + plugin +
                           "' is installed (see `automuse-host plugins list`), so its options "
                           "cannot be checked");
}

// `--option KEY=VALUE`s as the request every firing runs with ({"sets": [...]}, the form
// job_runs keeps). Throws std::runtime_error naming the plugin, action and option.
std::string schedule_request(HostContext &ctx, const std::string &plugin, const std::string &action,
                             const std::vector<std::string> &options) {
  if (options.empty()) return "{}";
  for (const auto &kv : options)
    if (auto eq = kv.find('='); eq == std::string::npos || eq == 0)
      throw std::runtime_error("--option expects KEY=VALUE, got '" + kv + "'");
  if (auto declared = declared_options(ctx, plugin, action)) {
    for (const auto &kv : options) {
      const std::string key = kv.substr(0, kv.find('='));
      if (declared->count(key)) continue;
      std::string listing;
      for (const auto &n : *declared) listing += (listing.empty() ? "" : ", ") + n;
      throw std::runtime_error("--option " + key + ": plugin '" + plugin + "', action '" + action +
                               "' has no option '" + key +
                               "' (its options: " + (listing.empty() ? "none" : listing) + ")");
    }
  }
  ActionRequest r;
  r.sets = options;
  return request_json(r);
}

// The options of a schedule's request, as `--key value` words for `schedule list`.
std::vector<std::pair<std::string, std::string>> request_options(const std::string &request) {
  ActionRequest r;
  apply_request_json(request, r);
  std::vector<std::pair<std::string, std::string>> out;
  for (const auto &kv : r.sets) {
    auto eq = kv.find('=');
    out.emplace_back(kv.substr(0, eq), eq == std::string::npos ? "" : kv.substr(eq + 1));
  }
  return out;
}

// " --key value ..." (values quoted when they hold spaces), or "" without options.
std::string options_text(const std::string &request) {
  std::string out;
  for (const auto &[key, value] : request_options(request))
    out += " --" + key + " " +
           (value.find_first_of(" \t'\"") == std::string::npos || value.empty()
                ? (value.empty() ? "''" : value)
                : "'" + value + "'");
  return out;
}

int add_command(HostContext &ctx, const std::string &plugin, const std::string &account,
                const std::string &action, const std::string &cron, const std::string &preset,
                const std::string &zone, const std::vector<std::string> &options) {
  std::string expr;
  if (!preset.empty()) {
    auto p = CronExpr::preset(preset);
    if (!p) {
      std::cerr << "automuse-host: unknown preset '" << preset << "' (daily, twice, thrice)\n";
      return 2;
    }
    expr = *p;
  } else if (!cron.empty()) {
    try {
      expr = CronExpr::parse(cron).text();
    } catch (const schedule::CronError &e) {
      std::cerr << "automuse-host: --cron: " << e.what() << "\n";
      return 2;
    }
  } else {
    std::cerr << "automuse-host: give --cron \"M H DOM MON DOW\" or --preset daily|twice|thrice\n";
    return 2;
  }
  if (!zone.empty() && !schedule::valid_time_zone(zone)) {
    std::cerr << "automuse-host: --timezone: unknown time zone '" << zone
              << "' (use an IANA name such as Europe/Berlin)\n";
    return 2;
  }
  Schedule s;
  s.plugin_id = plugin;
  s.action = action;
  s.cron = expr;
  s.time_zone = zone;
  try {
    s.request = schedule_request(ctx, plugin, action, options);
  } catch (const std::runtime_error &e) {
    std::cerr << "automuse-host: schedule add: " << e.what() << "\n";
    return 2;
  }
  if (!account.empty()) s.account_id = ctx.store().resolve_account(account, plugin).id;
  auto store = open_schedules(ctx);
  s = store.add(s);
  auto next = next_fire(s);
  std::cout << "schedule " << s.id << ": " << plugin << " " << action
            << (account.empty() ? "" : " for " + account) << options_text(s.request) << " at '"
            << expr << "'" << (zone.empty() ? "" : " (" + zone + ")") << "; next run "
            << (next ? format_time(next->time_since_epoch().count(), zone) : "never") << "\n";
  return 0;
}

int list_command(HostContext &ctx, bool as_json) {
  auto store = open_schedules(ctx);
  json::array arr;
  for (auto &s : store.list()) {
    std::optional<SysTime> next;
    if (!s.paused) next = next_fire(s);
    std::string nickname;
    if (s.account_id)
      if (auto a = ctx.store().get_account(*s.account_id)) nickname = a->nickname;
    if (as_json) {
      json::object o;
      o["id"] = s.id;
      o["plugin"] = s.plugin_id;
      o["account"] = nickname.empty() ? json::value(nullptr) : json::value(nickname);
      o["action"] = s.action;
      o["cron"] = s.cron;
      o["timezone"] = s.time_zone.empty() ? "UTC" : s.time_zone;
      o["paused"] = s.paused;
      json::object options;
      for (const auto &[key, value] : request_options(s.request)) options[key] = value;
      o["options"] = std::move(options);
      o["next_run"] = next ? json::value(next->time_since_epoch().count()) : json::value(nullptr);
      arr.push_back(std::move(o));
    } else {
      std::cout << s.id.substr(0, 8) << "  " << s.plugin_id << " " << s.action
                << (nickname.empty() ? "" : " for " + nickname) << options_text(s.request) << "  '"
                << s.cron << "' " << (s.time_zone.empty() ? "UTC" : s.time_zone) << "  "
                << (s.paused ? "paused"
                             : "next " + (next ? format_time(next->time_since_epoch().count(),
                                                             s.time_zone)
                                               : std::string("never")))
                << "\n";
    }
  }
  if (as_json) std::cout << json::serialize(arr) << "\n";
  return 0;
}

int change_command(HostContext &ctx, const std::string &id, const std::string &what) {
  auto store = open_schedules(ctx);
  auto s = store.get(id);
  if (!s) {
    std::cerr << "automuse-host: no schedule '" << id << "' (see `automuse-host schedule list`)\n";
    return 1;
  }
  if (what == "remove") store.remove(s->id);
  if (what == "pause") store.set_paused(s->id, true);
  if (what == "resume") store.set_paused(s->id, false);
  std::cout << what << (what == "remove" ? "d" : "d") << " schedule " << s->id << "\n";
  return 0;
}

// "held by WORKER until TIME" for a running job, "" otherwise.
std::string lease_text(const schedule::Job &j) {
  if (j.state != "running" || !j.lease_owner) return "";
  return "held by " + *j.lease_owner + " until " +
         core::utc_text(j.lease_expires_ms.value_or(0) / 1000, "%H:%M:%S UTC");
}

int runs_command(HostContext &ctx, bool as_json, int limit) {
  auto store = open_schedules(ctx);
  schedule::JobQueue queue(ctx.store_location());
  std::map<std::string, schedule::Job> open;
  for (auto &j : queue.open_jobs()) open.emplace(j.id, j);
  json::array arr;
  if (!as_json && !open.empty()) {
    std::cout << "jobs queued or running:\n";
    for (auto &[id, j] : open)
      std::cout << "  " << id.substr(0, 8) << "  " << j.plugin_id << " " << j.action << "  "
                << j.state << (j.state == "running" ? "  " + lease_text(j) : "") << "\n";
    std::cout << "runs:\n";
  }
  for (auto &r : store.list_runs(limit)) {
    if (as_json) {
      json::object o;
      o["id"] = r.id;
      o["job_id"] = r.job_id;
      o["schedule"] = r.schedule_id ? json::value(*r.schedule_id) : json::value(nullptr);
      o["plugin"] = r.plugin_id;
      o["account_id"] = r.account_id ? json::value(*r.account_id) : json::value(nullptr);
      o["action"] = r.action;
      o["attempt"] = r.attempt;
      o["status"] = r.status;
      o["error"] = r.error ? json::value(*r.error) : json::value(nullptr);
      json::error_code ec;
      auto result = r.result ? json::parse(*r.result, ec) : json::value(nullptr);
      o["result"] = ec ? json::value(*r.result) : result;
      o["resume_of"] = r.resume_of ? json::value(*r.resume_of) : json::value(nullptr);
      o["worker"] = r.worker ? json::value(*r.worker) : json::value(nullptr);
      // The job's state in the queue while it is open, and the worker holding its lease.
      auto j = open.find(r.job_id);
      o["job_state"] = j != open.end() ? json::value(j->second.state) : json::value(nullptr);
      o["lease_owner"] = j != open.end() && j->second.lease_owner
                             ? json::value(*j->second.lease_owner)
                             : json::value(nullptr);
      o["request"] = json::parse(r.request, ec);
      if (ec) o["request"] = r.request;
      o["started_at"] = r.started_at;
      o["finished_at"] = r.finished_at ? json::value(*r.finished_at) : json::value(nullptr);
      arr.push_back(std::move(o));
    } else {
      std::cout << format_time(r.started_at, "") << "  " << r.plugin_id << " " << r.action
                << "  attempt " << r.attempt << "  " << r.status
                << (r.error ? "  " + log::redact(*r.error) : "") << "\n";
    }
  }
  // Rows keep what the plugins said (and the request, which resuming matches on): redacted
  // as printed, rows written before redaction was complete included.
  if (as_json) std::cout << log::redact(json::serialize(arr)) << "\n";
  return 0;
}

int jobs_command(HostContext &ctx, bool as_json) {
  ctx.store();
  schedule::JobQueue queue(ctx.store_location());
  json::array arr;
  for (auto &j : queue.open_jobs()) {
    if (!as_json) {
      std::cout << j.id.substr(0, 8) << "  " << j.plugin_id << " " << j.action
                << (j.schedule_id ? "  schedule " + j.schedule_id->substr(0, 8) : "  by hand")
                << "  " << j.state << (j.state == "running" ? "  " + lease_text(j) : "")
                << "  claims " << j.attempts
                << (j.approval == "required" ? "  approval required" : "") << "\n";
      continue;
    }
    json::object o;
    o["id"] = j.id;
    o["plugin"] = j.plugin_id;
    o["account_id"] = j.account_id ? json::value(*j.account_id) : json::value(nullptr);
    o["action"] = j.action;
    o["schedule"] = j.schedule_id ? json::value(*j.schedule_id) : json::value(nullptr);
    o["slot_time"] = j.slot_time ? json::value(*j.slot_time) : json::value(nullptr);
    o["state"] = j.state;
    o["lease_owner"] = j.lease_owner ? json::value(*j.lease_owner) : json::value(nullptr);
    o["lease_expires_ms"] =
        j.lease_expires_ms ? json::value(*j.lease_expires_ms) : json::value(nullptr);
    o["claims"] = j.attempts;
    o["approval"] = j.approval;
    o["approval_item"] = j.approval_item ? json::value(*j.approval_item) : json::value(nullptr);
    arr.push_back(std::move(o));
  }
  if (as_json) std::cout << json::serialize(arr) << "\n";
  return 0;
}

int run_due_command(HostContext &ctx) {
  auto store = open_schedules(ctx);
  schedule::JobQueue queue(ctx.store_location());
  boost::asio::io_context io;
  auto guard = boost::asio::make_work_guard(io);
  int started = 0, resumed = 0, failures = 0, interrupted = 0;
  {
    JobWorker worker(ctx, store, io, network_jobs(ctx));
    schedule::GracefulStop stop(io, schedule::grace_period(ctx.config()), "run-due",
                                {[&] { worker.stop_taking(); }, [&] { worker.cancel(); }});
    started = enqueue_due(store, queue);
    // Works the queue until nothing is left to claim: the slots just enqueued, and jobs
    // waiting or left behind by a worker that died.
    worker.take_jobs();
    while (!worker.idle()) io.run_one();
    stop.close();
    resumed = worker.resumed();
    failures = worker.failures();
    interrupted = worker.interrupted();
  }
  std::cout << "ran " << started << " due schedule" << (started == 1 ? "" : "s");
  if (resumed)
    std::cout << ", resumed " << resumed << " interrupted run" << (resumed == 1 ? "" : "s");
  if (interrupted) std::cout << "; " << interrupted << " interrupted (resumed at the next start)";
  std::cout << "\n";
  return interrupted ? 130 : failures ? 1 : 0;
}

// `daemon`: enqueues due slots, and (unless --slots 0) works the queue in-process.
int daemon_command(HostContext &ctx, std::optional<double> grace_seconds, std::optional<int> slots,
                   const std::optional<ServeArgs> &serve) {
  auto store = open_schedules(ctx);
  schedule::JobQueue queue(ctx.store_location());
  boost::asio::io_context io;
  auto guard = boost::asio::make_work_guard(io);
  const size_t worker_count = worker_slots(ctx, slots);
  {
    std::optional<JobWorker> worker;
    if (worker_count > 0) worker.emplace(ctx, store, io, worker_count);
    // --serve: the API on the same thread (host/web).
    std::unique_ptr<ApiRuntime> api = serve ? start_api(ctx, io, *serve) : nullptr;
    boost::asio::system_timer timer(io);
    schedule::GracefulStop stop(io, schedule::grace_period(ctx.config(), grace_seconds), "daemon",
                                {[&] {
                                   if (api) api->stop();
                                   timer.cancel();
                                   if (worker) worker->stop_taking();
                                 },
                                 [&] {
                                   if (worker) worker->cancel();
                                 }});
    bool store_failing = false;
    std::function<void()> tick = [&] {
      if (stop.stopping()) return;
      auto wake = std::chrono::system_clock::now() + std::chrono::seconds(30);
      // An unreachable store (a database restart) is waited out, not fatal: slots missed
      // meanwhile fire once when it is back, like those of a stopped daemon.
      try {
        if (enqueue_due(store, queue) > 0 && worker) worker->take_jobs();
        if (auto next = earliest_next(store); next && *next < wake) wake = *next;
        if (store_failing)
          log::write("host", spdlog::level::info, "daemon: the store answers again");
        store_failing = false;
      } catch (const std::exception &e) {
        if (!store_failing)
          log::write("host", spdlog::level::warn,
                     std::string("daemon: cannot reach the store (") + e.what() +
                         "); trying again every 5 seconds");
        store_failing = true;
        wake = std::chrono::system_clock::now() + std::chrono::seconds(5);
      }
      timer.expires_at(wake);
      timer.async_wait([&](const boost::system::error_code &ec) {
        if (!ec) tick();
      });
    };
    log::write(
        "host", spdlog::level::info,
        "daemon: started, " + std::to_string(store.list().size()) + " schedule(s), " +
            (worker ? std::to_string(worker_count) + " worker slot(s) as " + schedule::worker_id()
                    : std::string("no worker slots (separate workers run the jobs)")));
    // Jobs waiting in the queue first (interrupted ones, those of a worker that died): they
    // were due before anything that is due now.
    if (worker) worker->poll();
    tick();
    while (!stop.stopping() || (worker && !worker->idle())) io.run_one();
    stop.close();
    if (worker && worker->interrupted())
      log::write("host", spdlog::level::info,
                 "daemon: " + std::to_string(worker->interrupted()) +
                     " job(s) interrupted; back in the queue for the next worker");
  }
  log::write("host", spdlog::level::info, "daemon: stopped");
  return 0;
}

// `worker`: claims and runs jobs of the queue until stopped.
int worker_command(HostContext &ctx, std::optional<double> grace_seconds,
                   std::optional<int> slots) {
  auto store = open_schedules(ctx);
  boost::asio::io_context io;
  auto guard = boost::asio::make_work_guard(io);
  {
    JobWorker worker(ctx, store, io, std::max<size_t>(1, worker_slots(ctx, slots)));
    schedule::GracefulStop stop(io, schedule::grace_period(ctx.config(), grace_seconds), "worker",
                                {[&] { worker.stop_taking(); }, [&] { worker.cancel(); }});
    log::write("host", spdlog::level::info,
               "worker: started as " + schedule::worker_id() + ", " +
                   std::to_string(std::max<size_t>(1, worker_slots(ctx, slots))) +
                   " slot(s), lease " + std::to_string(worker.times().lease_ms) + " ms");
    worker.poll();
    while (!stop.stopping() || !worker.idle()) io.run_one();
    stop.close();
    if (worker.interrupted())
      log::write("host", spdlog::level::info,
                 "worker: " + std::to_string(worker.interrupted()) +
                     " job(s) interrupted; back in the queue for the next worker");
  }
  log::write("host", spdlog::level::info, "worker: stopped");
  return 0;
}

}  // namespace

void add_schedule_commands(CLI::App &app, const std::function<HostContext &()> &context,
                           int *exit_code) {
  auto *sched = app.add_subcommand("schedule", "Schedules that run plugin actions at set times");
  sched->require_subcommand(1);

  struct AddArgs {
    std::string plugin, account, action = "run", cron, preset, zone;
    std::vector<std::string> options;
  };
  auto a = std::make_shared<AddArgs>();
  auto *add = sched->add_subcommand("add", "Add a schedule");
  add->add_option("--plugin", a->plugin, "Plugin id")->required();
  add->add_option("--account", a->account, "Account nickname");
  add->add_option("--action", a->action, "Action (default: run)");
  auto *cron = add->add_option("--cron", a->cron, "Five-field cron expression");
  add->add_option("--preset", a->preset,
                  "daily (10:00), twice (10:00, 16:00), thrice (08:00, 12:00, 18:00)")
      ->excludes(cron);
  add->add_option("--timezone", a->zone, "IANA time zone, e.g. Europe/Berlin (default UTC)");
  add->add_option("--option", a->options,
                  "KEY=VALUE: an option of the action, given to every run (repeatable), e.g. "
                  "--option width=270 --option also-publish=twitter:main")
      ->allow_extra_args(false);
  add->callback([=] {
    *exit_code = add_command(context(), a->plugin, a->account, a->action, a->cron, a->preset,
                             a->zone, a->options);
  });

  auto list_json = std::make_shared<bool>(false);
  auto *list = sched->add_subcommand("list", "List schedules with their next run");
  list->add_flag("--json", *list_json, "Print JSON");
  list->callback([=] { *exit_code = list_command(context(), *list_json); });

  for (const char *what : {"remove", "pause", "resume"}) {
    auto id = std::make_shared<std::string>();
    auto *cmd = sched->add_subcommand(what, std::string(what) + " a schedule");
    cmd->add_option("ID", *id, "Schedule id (or a unique prefix)")->required();
    std::string w = what;
    cmd->callback([=] { *exit_code = change_command(context(), *id, w); });
  }

  auto runs_json = std::make_shared<bool>(false);
  auto runs_limit = std::make_shared<int>(50);
  auto *runs = app.add_subcommand("runs", "Show job runs, newest first");
  runs->add_flag("--json", *runs_json, "Print JSON");
  runs->add_option("--limit", *runs_limit, "How many (default 50)");
  runs->callback([=] { *exit_code = runs_command(context(), *runs_json, *runs_limit); });

  auto *due = app.add_subcommand("run-due", "Run whatever is due now, then exit (for system cron)");
  due->callback([=] { *exit_code = run_due_command(context()); });

  auto grace = std::make_shared<std::optional<double>>();
  auto daemon_slots = std::make_shared<std::optional<int>>();
  auto *daemon = app.add_subcommand("daemon", "Run schedules in the foreground until stopped");
  daemon->add_option("--grace", *grace,
                     "Seconds running jobs get to finish after SIGINT/SIGTERM before they are "
                     "cancelled (default: schedule.grace_seconds, 30)");
  daemon->add_option("--slots", *daemon_slots,
                     "Jobs its in-process worker runs at once (default: limits.network_jobs); 0: "
                     "only enqueue due slots, separate `worker` processes run them");
  auto serve_flag = std::make_shared<bool>(false);
  auto serve_args = std::make_shared<ServeArgs>();
  daemon->add_flag("--serve", *serve_flag,
                   "Also serve the REST API (docs/web.md) from this process");
  add_serve_options(daemon, serve_args);
  daemon->callback([=] {
    try {
      *exit_code =
          daemon_command(context(), *grace, *daemon_slots,
                         *serve_flag ? std::optional<ServeArgs>(*serve_args) : std::nullopt);
    } catch (const std::runtime_error &e) {
      std::cerr << "automuse-host: daemon: " << e.what() << "\n";
      *exit_code = 2;
    }
  });

  auto worker_grace = std::make_shared<std::optional<double>>();
  auto worker_slots = std::make_shared<std::optional<int>>();
  auto *worker = app.add_subcommand(
      "worker",
      "Claim and run jobs of the queue (scheduled slots, runs left behind) until stopped");
  worker->add_option("--slots", *worker_slots, "Jobs run at once (default: limits.network_jobs)");
  worker->add_option("--grace", *worker_grace,
                     "Seconds running jobs get to finish after SIGINT/SIGTERM before they are "
                     "cancelled and put back in the queue (default: schedule.grace_seconds, 30)");
  worker->callback([=] { *exit_code = worker_command(context(), *worker_grace, *worker_slots); });

  auto jobs_json = std::make_shared<bool>(false);
  auto *jobs = app.add_subcommand(
      "jobs",
      "Show queued, running and awaiting-approval jobs and their lease holders; approve or "
      "reject a job awaiting approval");
  jobs->add_flag("--json", *jobs_json, "Print JSON");
  add_approval_commands(*jobs, context, exit_code);
  jobs->callback([=] {
    if (jobs->get_subcommands().empty()) *exit_code = jobs_command(context(), *jobs_json);
  });
}

}  // namespace automuse::app
