// host/app/schedule_commands.cpp — the schedule CLI, run-due and the daemon. The daemon runs
// on the main thread's io_context: a system_timer wakes it at the next firing time (or every
// 30 s, to see schedules added or removed by other processes), due schedules start as jobs
// through the ActionRunner, every attempt is a row in job_runs, and transient failures are
// retried with exponential backoff. After downtime a missed schedule runs once.
#include "app/schedule_commands.hpp"

#include "app/action_runner.hpp"
#include "log/logging.hpp"
#include "schedule/cron.hpp"
#include "schedule/schedule_store.hpp"

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/system_timer.hpp>
#include <boost/json.hpp>

#include <ctime>
#include <iostream>
#include <map>
#include <set>

namespace automuse::app {
namespace json = boost::json;
using schedule::CronExpr;
using schedule::Schedule;
using schedule::ScheduleStore;
using schedule::SysTime;

namespace {

std::string format_time(int64_t t, const std::string &zone) {
  (void)zone;
  std::time_t tt = static_cast<std::time_t>(t);
  std::tm tm{};
  gmtime_r(&tt, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%d %H:%M UTC", &tm);
  return buf;
}

SysTime now_sys() { return std::chrono::time_point_cast<std::chrono::seconds>(std::chrono::system_clock::now()); }

// The next time the schedule fires after the last handled one (or its creation).
std::optional<SysTime> next_fire(const Schedule &s) {
  SysTime base{std::chrono::seconds(s.last_fire_at ? *s.last_fire_at : s.created_at)};
  return CronExpr::parse(s.cron).next_after(base, s.time_zone);
}

ScheduleStore open_schedules(HostContext &ctx) {
  ctx.store();  // creates and migrates the database
  return ScheduleStore(ctx.data_dir() / "automuse.db");
}

bool transient(am_status s) {
  return s == AM_UNAVAILABLE || s == AM_TIMEOUT || s == AM_RATE_LIMITED;
}

// Runs due schedules through an ActionRunner, records attempts, retries transient failures.
class Firing {
 public:
  Firing(HostContext &ctx, ScheduleStore &store, boost::asio::io_context &io)
      : ctx_(ctx), store_(store), io_(io), runner_(ctx, io, network_jobs(ctx)) {
    if (auto *v = ctx.config().find("schedule.retry_base_seconds"); v && v->is_number())
      retry_base_ms_ = static_cast<int64_t>(v->to_number<double>() * 1000);
    if (auto *v = ctx.config().find("schedule.max_attempts"); v && v->is_number())
      max_attempts_ = std::max(1, static_cast<int>(v->to_number<double>()));
  }

  // Fires every due, unpaused schedule once; returns how many started.
  int fire_due() {
    int started = 0;
    SysTime now = now_sys();
    for (auto &s : store_.list()) {
      if (s.paused || busy_.count(s.id)) continue;
      std::optional<SysTime> next;
      try {
        next = next_fire(s);
      } catch (const std::exception &e) {
        log::write("host", spdlog::level::err, "schedule " + s.id + ": " + e.what());
        continue;
      }
      if (!next || *next > now) continue;
      // Missed slots collapse into this one run.
      store_.set_last_fire(s.id, now.time_since_epoch().count());
      busy_.insert(s.id);
      ++started;
      attempt(s, 1);
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

  bool idle() const { return busy_.empty(); }
  ActionRunner &runner() { return runner_; }
  int failures() const { return failures_; }

 private:
  static size_t network_jobs(HostContext &ctx) {
    if (auto *v = ctx.config().find("limits.network_jobs"); v && v->is_number())
      return static_cast<size_t>(std::max(1.0, v->to_number<double>()));
    return 16;
  }

  void attempt(const Schedule &s, int n) {
    ActionRequest r;
    r.plugin = s.plugin_id;
    r.action = s.action;
    std::optional<std::string> nickname;
    if (s.account_id) {
      if (auto a = ctx_.store().get_account(*s.account_id)) nickname = a->nickname;
    }
    r.account = nickname;
    schedule::JobRun run;
    run.schedule_id = s.id;
    run.plugin_id = s.plugin_id;
    run.account_id = s.account_id;
    run.action = s.action;
    run.attempt = n;
    run = store_.start_run(run);
    log::write("host", spdlog::level::info,
               "schedule " + s.id.substr(0, 8) + ": " + s.plugin_id + " " + s.action +
                   (nickname ? " for " + *nickname : "") + " (attempt " + std::to_string(n) + ")");
    runner_.submit(r, [this, s, n, run_id = run.id](const ActionOutcome &o) {
      std::string status = o.status == AM_OK ? "succeeded"
                            : o.status == AM_CANCELLED ? "cancelled"
                                                       : "failed";
      store_.finish_run(run_id, status,
                        o.status == AM_OK ? std::nullopt : std::optional<std::string>(o.message),
                        o.result_json.empty() ? std::nullopt : std::optional<std::string>(o.result_json));
      if (o.status != AM_OK && transient(o.status) && n < max_attempts_) {
        auto delay = std::chrono::milliseconds(retry_base_ms_ << (n - 1));
        log::write("host", spdlog::level::warn,
                   "schedule " + s.id.substr(0, 8) + ": transient failure (" + o.message +
                       "); retrying in " + std::to_string(delay.count()) + " ms");
        auto timer = std::make_shared<boost::asio::steady_timer>(io_, delay);
        timer->async_wait([this, timer, s, n](const boost::system::error_code &ec) {
          if (ec) {
            busy_.erase(s.id);
            return;
          }
          attempt(s, n + 1);
        });
        return;
      }
      if (o.status != AM_OK) ++failures_;
      busy_.erase(s.id);
    });
  }

  HostContext &ctx_;
  ScheduleStore &store_;
  boost::asio::io_context &io_;
  ActionRunner runner_;
  std::set<std::string> busy_;
  int64_t retry_base_ms_ = 60000;
  int max_attempts_ = 3;
  int failures_ = 0;
};

int add_command(HostContext &ctx, const std::string &plugin, const std::string &account,
                const std::string &action, const std::string &cron, const std::string &preset,
                const std::string &zone) {
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
  if (!account.empty()) s.account_id = ctx.store().resolve_account(account, plugin).id;
  auto store = open_schedules(ctx);
  s = store.add(s);
  auto next = next_fire(s);
  std::cout << "schedule " << s.id << ": " << plugin << " " << action
            << (account.empty() ? "" : " for " + account) << " at '" << expr << "'"
            << (zone.empty() ? "" : " (" + zone + ")") << "; next run "
            << (next ? format_time(next->time_since_epoch().count(), zone) : "never") << "\n";
  return 0;
}

int list_command(HostContext &ctx, bool as_json) {
  auto store = open_schedules(ctx);
  json::array arr;
  for (auto &s : store.list()) {
    auto next = s.paused ? std::nullopt : next_fire(s);
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
      o["next_run"] = next ? json::value(next->time_since_epoch().count()) : json::value(nullptr);
      arr.push_back(std::move(o));
    } else {
      std::cout << s.id.substr(0, 8) << "  " << s.plugin_id << " " << s.action
                << (nickname.empty() ? "" : " for " + nickname) << "  '" << s.cron << "' "
                << (s.time_zone.empty() ? "UTC" : s.time_zone) << "  "
                << (s.paused ? "paused"
                             : "next " + (next ? format_time(next->time_since_epoch().count(), s.time_zone)
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
      o["started_at"] = r.started_at;
      o["finished_at"] = r.finished_at ? json::value(*r.finished_at) : json::value(nullptr);
      arr.push_back(std::move(o));
    } else {
      std::cout << format_time(r.started_at, "") << "  " << r.plugin_id << " " << r.action
                << "  attempt " << r.attempt << "  " << r.status
                << (r.error ? "  " + *r.error : "") << "\n";
    }
  }
  if (as_json) std::cout << json::serialize(arr) << "\n";
  return 0;
}

int run_due_command(HostContext &ctx) {
  auto store = open_schedules(ctx);
  boost::asio::io_context io;
  auto guard = boost::asio::make_work_guard(io);
  int started = 0, failures = 0;
  {
    Firing firing(ctx, store, io);
    started = firing.fire_due();
    while (!firing.idle()) io.run_one();
    failures = firing.failures();
  }
  std::cout << "ran " << started << " due schedule" << (started == 1 ? "" : "s") << "\n";
  return failures ? 1 : 0;
}

int daemon_command(HostContext &ctx) {
  auto store = open_schedules(ctx);
  boost::asio::io_context io;
  auto guard = boost::asio::make_work_guard(io);
  bool stopping = false;
  {
    Firing firing(ctx, store, io);
    boost::asio::system_timer timer(io);
    boost::asio::signal_set signals(io, SIGINT, SIGTERM);
    std::function<void()> tick = [&] {
      if (stopping) return;
      firing.fire_due();
      auto wake = std::chrono::system_clock::now() + std::chrono::seconds(30);
      if (auto next = firing.earliest_next(); next && *next < wake) wake = *next;
      timer.expires_at(wake);
      timer.async_wait([&](const boost::system::error_code &ec) {
        if (!ec) tick();
      });
    };
    signals.async_wait([&](const boost::system::error_code &ec, int sig) {
      if (ec) return;
      log::write("host", spdlog::level::info,
                 std::string("daemon: ") + (sig == SIGINT ? "SIGINT" : "SIGTERM") +
                     ": stopping, cancelling running jobs");
      stopping = true;
      timer.cancel();
      firing.runner().cancel_all();
    });
    log::write("host", spdlog::level::info,
               "daemon: started, " + std::to_string(store.list().size()) + " schedule(s)");
    tick();
    while (!stopping || !firing.idle()) io.run_one();
    signals.cancel();
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
  };
  auto a = std::make_shared<AddArgs>();
  auto *add = sched->add_subcommand("add", "Add a schedule");
  add->add_option("--plugin", a->plugin, "Plugin id")->required();
  add->add_option("--account", a->account, "Account nickname");
  add->add_option("--action", a->action, "Action (default: run)");
  auto *cron = add->add_option("--cron", a->cron, "Five-field cron expression");
  add->add_option("--preset", a->preset, "daily (10:00), twice (10:00, 16:00), thrice (08:00, 12:00, 18:00)")
      ->excludes(cron);
  add->add_option("--timezone", a->zone, "IANA time zone, e.g. Europe/Berlin (default UTC)");
  add->callback([=] {
    *exit_code = add_command(context(), a->plugin, a->account, a->action, a->cron, a->preset, a->zone);
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

  auto *daemon = app.add_subcommand("daemon", "Run schedules in the foreground until stopped");
  daemon->callback([=] { *exit_code = daemon_command(context()); });
}

}  // namespace automuse::app
