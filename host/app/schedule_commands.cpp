// host/app/schedule_commands.cpp — the schedule CLI, run-due and the daemon. The daemon runs
// on the main thread's io_context: a system_timer wakes it at the next firing time (or every
// 30 s, to see schedules added or removed by other processes), due schedules start as jobs
// through the ActionRunner, every attempt is a row in job_runs, and transient failures are
// retried with exponential backoff. After downtime a missed schedule runs once. On
// SIGINT/SIGTERM (schedule::GracefulStop) nothing new starts, running jobs get the grace
// period, the rest are cancelled and recorded "interrupted"; the next daemon or run-due takes
// those up first, with the same request, so the plugin resumes from its cached steps. Runs a
// killed process left "running" are found by their owner (schedule/orphaned_runs.hpp) and
// resumed the same way; a slot is claimed in one UPDATE, so two daemons never both fire it.
// A schedule carries its action's options (`schedule add --option KEY=VALUE`), checked against
// the plugin's describe() when added, and every firing runs with them.
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
#include "app/plugin_commands.hpp"
#include "app/run_action.hpp"
#include "core/text.hpp"
#include "log/logging.hpp"
#include "schedule/cron.hpp"
#include "schedule/graceful_stop.hpp"
#include "schedule/orphaned_runs.hpp"
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

bool transient(am_status s) {
  return s == AM_UNAVAILABLE || s == AM_TIMEOUT || s == AM_RATE_LIMITED;
}

// One job to run: a schedule's firing, or an interrupted run taken up again.
struct Work {
  std::string key;  // one at a time per key: the schedule's id, or the resumed run's
  std::optional<std::string> schedule_id;
  std::string plugin, action;
  std::optional<std::string> account_id;
  std::string request = "{}";
  std::optional<std::string> resume_of;  // the first attempt's link to the interrupted run
  std::string job_id;                    // the job it continues (empty: a new one)
};

// Runs due schedules and interrupted runs through an ActionRunner, records attempts, retries
// transient failures; stops in two steps (stop_taking, cancel) for GracefulStop.
class Firing {
 public:
  Firing(HostContext &ctx, ScheduleStore &store, boost::asio::io_context &io)
      : ctx_(ctx), store_(store), io_(io), runner_(ctx, io, network_jobs(ctx)) {
    if (auto *v = ctx.config().find("schedule.retry_base_seconds"); v && v->is_number())
      retry_base_ms_ = static_cast<int64_t>(v->to_number<double>() * 1000);
    if (auto *v = ctx.config().find("schedule.max_attempts"); v && v->is_number())
      max_attempts_ = std::max(1, static_cast<int>(v->to_number<double>()));
  }

  // Takes up every interrupted scheduled run (oldest first), before anything new; returns how
  // many. A run another process claimed first is left to it.
  int resume_interrupted() {
    int resumed = 0;
    for (auto &r : store_.interrupted_runs(true)) {
      if (!taking_ || busy_.count(*r.schedule_id) || !store_.claim_interrupted(r.id)) continue;
      log::write("host", spdlog::level::info,
                 "resuming the interrupted run " + r.id.substr(0, 8) + " of schedule " +
                     r.schedule_id->substr(0, 8));
      Work w{*r.schedule_id, r.schedule_id, r.plugin_id, r.action,
             r.account_id,   r.request,     r.id,        r.job_id};
      busy_.insert(w.key);
      ++resumed;
      attempt(w, r.attempt);
    }
    return resumed;
  }

  // Fires every due, unpaused schedule once; returns how many started.
  int fire_due() {
    int started = 0;
    SysTime now = now_sys();
    for (auto &s : store_.list()) {
      if (!taking_ || s.paused || busy_.count(s.id)) continue;
      std::optional<SysTime> next;
      try {
        next = next_fire(s);
      } catch (const std::exception &e) {
        log::write("host", spdlog::level::err, "schedule " + s.id + ": " + e.what());
        continue;
      }
      if (!next || *next > now) continue;
      // Missed slots collapse into this one run. Another daemon or run-due on the same store
      // may take the slot first: then it is theirs.
      if (!store_.claim_fire(s.id, s.last_fire_at, now.time_since_epoch().count())) continue;
      busy_.insert(s.id);
      ++started;
      attempt(Work{s.id, s.id, s.plugin_id, s.action, s.account_id, s.request, std::nullopt, {}},
              1);
    }
    return started;
  }

  std::optional<SysTime> earliest_next() {
    std::optional<SysTime> best;
    for (auto &s : store_.list()) {
      if (s.paused) continue;
      try {
        auto n = next_fire(s);
        if (n && (!best || *n < *best)) best = n;
      } catch (...) {
      }
    }
    return best;
  }

  // Shutdown, first step: no new jobs or retries; a retry still waiting becomes an
  // interrupted run (resumed at the next start). Running jobs go on.
  void stop_taking() {
    taking_ = false;
    for (auto &[key, timer] : retries_) timer->cancel();
    runner_.stop_taking();
  }
  // Shutdown, second step: cancel the running jobs (they are recorded as interrupted).
  void cancel() { runner_.cancel_all(); }

  bool idle() const { return busy_.empty(); }
  int failures() const { return failures_; }
  int interrupted() const { return interrupted_; }

 private:
  static size_t network_jobs(HostContext &ctx) {
    if (auto *v = ctx.config().find("limits.network_jobs"); v && v->is_number())
      return static_cast<size_t>(std::max(1.0, v->to_number<double>()));
    return 16;
  }

  schedule::JobRun start_row(const Work &w, int n) {
    schedule::JobRun run;
    run.schedule_id = w.schedule_id;
    run.plugin_id = w.plugin;
    run.account_id = w.account_id;
    run.action = w.action;
    run.attempt = n;
    run.request = w.request;
    run.resume_of = w.resume_of;
    run.job_id = w.job_id;
    return store_.start_run(run);
  }

  // Attempt `n` of `w`; `queued` is its row when a retry recorded it while waiting.
  void attempt(Work w, int n, std::optional<std::string> queued = std::nullopt) {
    ActionRequest r;
    r.plugin = w.plugin;
    r.action = w.action;
    apply_request_json(w.request, r);
    schedule::JobRun run;
    if (queued) {
      if (!store_.begin_retry(*queued)) {  // recorded otherwise meanwhile: not ours to run
        busy_.erase(w.key);
        return;
      }
      run.id = *queued;
      run.job_id = w.job_id;
    } else {
      run = start_row(w, n);
    }
    w.resume_of.reset();    // a retry links to the previous attempt by its schedule
    w.job_id = run.job_id;  // and is the same job
    r.job_id = run.job_id;
    if (w.account_id) {
      auto a = ctx_.store().get_account(*w.account_id);
      if (!a) {
        store_.finish_run(run.id, "failed",
                          "account " + *w.account_id + " no longer exists (schedule " +
                              (w.schedule_id ? *w.schedule_id : std::string("-")) + ")",
                          std::nullopt);
        ++failures_;
        busy_.erase(w.key);
        return;
      }
      r.account = a->nickname;
    }
    log::write("host", spdlog::level::info,
               "schedule " + w.key.substr(0, 8) + ": " + w.plugin + " " + w.action +
                   (r.account ? " for " + *r.account : "") + " (attempt " + std::to_string(n) +
                   ")");
    runner_.submit(r, [this, w, n, run_id = run.id](const ActionOutcome &o) {
      store_.finish_run(
          run_id, run_status(o),
          o.status == AM_OK ? std::nullopt : std::optional<std::string>(o.message),
          o.result_json.empty() ? std::nullopt : std::optional<std::string>(o.result_json));
      if (o.interrupted) {
        ++interrupted_;
        busy_.erase(w.key);
        return;
      }
      if (o.status != AM_OK && transient(o.status) && n < max_attempts_ && taking_) {
        retry_later(w, n, o.message);
        return;
      }
      if (o.status != AM_OK) ++failures_;
      busy_.erase(w.key);
    });
  }

  void retry_later(const Work &w, int n, const std::string &why) {
    auto delay = std::chrono::milliseconds(retry_base_ms_ << (n - 1));
    log::write("host", spdlog::level::warn,
               "schedule " + w.key.substr(0, 8) + ": transient failure (" + why +
                   "); retrying in " + std::to_string(delay.count()) + " ms");
    // The next attempt is recorded now, "retrying": if this process is killed while it
    // waits, the next start finds the row orphaned and resumes it, so the slot is not lost.
    schedule::JobRun next;
    next.schedule_id = w.schedule_id;
    next.plugin_id = w.plugin;
    next.account_id = w.account_id;
    next.action = w.action;
    next.attempt = n + 1;
    next.request = w.request;
    next.job_id = w.job_id;
    const std::string row = store_.queue_retry(next).id;
    auto timer = std::make_shared<boost::asio::steady_timer>(io_, delay);
    retries_[w.key] = timer;
    timer->async_wait([this, timer, w, n, row](const boost::system::error_code &ec) {
      retries_.erase(w.key);
      if (!ec && taking_) return attempt(w, n + 1, row);
      // Stopped while waiting: the next attempt is an interrupted run, taken up at the next
      // start like any other.
      store_.finish_run(row, "interrupted", "stopped before this retry started", std::nullopt);
      ++interrupted_;
      busy_.erase(w.key);
    });
  }

  HostContext &ctx_;
  ScheduleStore &store_;
  boost::asio::io_context &io_;
  ActionRunner runner_;
  std::set<std::string> busy_;
  std::map<std::string, std::shared_ptr<boost::asio::steady_timer>> retries_;
  bool taking_ = true;
  int64_t retry_base_ms_ = 60000;
  int max_attempts_ = 3;
  int failures_ = 0;
  int interrupted_ = 0;
};

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

int runs_command(HostContext &ctx, bool as_json, int limit) {
  auto store = open_schedules(ctx);
  json::array arr;
  for (auto &r : store.list_runs(limit)) {
    if (as_json) {
      json::object o;
      o["id"] = r.id;
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
      // The process that started it (what decides whether a "running" row is still running).
      o["owner_pid"] = r.owner ? json::value(r.owner->pid) : json::value(nullptr);
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

int run_due_command(HostContext &ctx) {
  auto store = open_schedules(ctx);
  boost::asio::io_context io;
  auto guard = boost::asio::make_work_guard(io);
  int started = 0, resumed = 0, failures = 0, interrupted = 0;
  {
    Firing firing(ctx, store, io);
    schedule::GracefulStop stop(io, schedule::grace_period(ctx.config()), "run-due",
                                {[&] { firing.stop_taking(); }, [&] { firing.cancel(); }});
    schedule::recover_orphaned_runs(store);  // runs a killed process left running
    resumed = firing.resume_interrupted();
    started = firing.fire_due();
    while (!firing.idle()) io.run_one();
    stop.close();
    failures = firing.failures();
    interrupted = firing.interrupted();
  }
  std::cout << "ran " << started << " due schedule" << (started == 1 ? "" : "s");
  if (resumed)
    std::cout << ", resumed " << resumed << " interrupted run" << (resumed == 1 ? "" : "s");
  if (interrupted) std::cout << "; " << interrupted << " interrupted (resumed at the next start)";
  std::cout << "\n";
  return interrupted ? 130 : failures ? 1 : 0;
}

int daemon_command(HostContext &ctx, std::optional<double> grace_seconds) {
  auto store = open_schedules(ctx);
  boost::asio::io_context io;
  auto guard = boost::asio::make_work_guard(io);
  {
    Firing firing(ctx, store, io);
    boost::asio::system_timer timer(io);
    schedule::GracefulStop stop(io, schedule::grace_period(ctx.config(), grace_seconds), "daemon",
                                {[&] {
                                   timer.cancel();
                                   firing.stop_taking();
                                 },
                                 [&] { firing.cancel(); }});
    std::function<void()> tick = [&] {
      if (stop.stopping()) return;
      // Runs left running by a process killed meanwhile (another daemon, run-due), then every
      // interrupted one, also those another process left, once their key is free.
      schedule::recover_orphaned_runs(store);
      firing.resume_interrupted();
      firing.fire_due();
      auto wake = std::chrono::system_clock::now() + std::chrono::seconds(30);
      if (auto next = firing.earliest_next(); next && *next < wake) wake = *next;
      timer.expires_at(wake);
      timer.async_wait([&](const boost::system::error_code &ec) {
        if (!ec) tick();
      });
    };
    log::write("host", spdlog::level::info,
               "daemon: started, " + std::to_string(store.list().size()) + " schedule(s)");
    // Interrupted runs first: they were due before anything that is due now. Those a killed
    // process left "running" become interrupted first.
    schedule::recover_orphaned_runs(store);
    if (int n = firing.resume_interrupted())
      log::write("host", spdlog::level::info,
                 "daemon: resumed " + std::to_string(n) + " interrupted run(s)");
    tick();
    while (!stop.stopping() || !firing.idle()) io.run_one();
    stop.close();
    if (firing.interrupted())
      log::write("host", spdlog::level::info,
                 "daemon: " + std::to_string(firing.interrupted()) +
                     " run(s) interrupted; the next start resumes them");
  }
  log::write("host", spdlog::level::info, "daemon: stopped");
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
  auto *daemon = app.add_subcommand("daemon", "Run schedules in the foreground until stopped");
  daemon->add_option("--grace", *grace,
                     "Seconds running jobs get to finish after SIGINT/SIGTERM before they are "
                     "cancelled (default: schedule.grace_seconds, 30)");
  daemon->callback([=] { *exit_code = daemon_command(context(), *grace); });
}

}  // namespace automuse::app
