// host/web/routes_schedules.cpp — schedules (list, add, pause, resume, remove), job runs and
// history. A schedule's options are checked against the action's declaration like a job's.
#include <boost/json.hpp>

#include "log/redaction.hpp"
#include "schedule/cron.hpp"
#include "web/api_context.hpp"
#include "web/api_json.hpp"
#include "web/job_request.hpp"

namespace automuse::web {
namespace json = boost::json;

namespace {

json::object schedule_json(const schedule::Schedule &s) {
  return {{"id", s.id},
          {"plugin", s.plugin_id},
          {"account_id", opt(s.account_id)},
          {"action", s.action},
          {"cron", s.cron},
          {"timezone", s.time_zone.empty() ? "UTC" : s.time_zone},
          {"paused", s.paused},
          {"request", stored_json(s.request)},
          {"created_at", s.created_at},
          {"last_fire_at", opt(s.last_fire_at)}};
}

schedule::Schedule schedule_of(ApiContext &api, const RouteContext &c) {
  const std::string &id = id_param(c, "id");
  auto s = api.schedules.get(id);
  if (!s) throw ApiError(http::status::not_found, "unknown_schedule", "no schedule '" + id + "'");
  return *s;
}

Reply add(ApiContext &api, RouteContext &c) {
  json::object body = body_object(c.request);
  // The job it would start, checked as POST /jobs checks one (no batch, no script text).
  if (body.contains("topics") || body.contains("script_text"))
    throw ApiError(http::status::bad_request, "invalid_field",
                   "a schedule takes neither 'topics' nor 'script_text'");
  schedule::Job job = jobs_of_request(api, body).front();
  schedule::Schedule s;
  s.plugin_id = job.plugin_id;
  s.account_id = job.account_id;
  s.action = job.action;
  s.request = job.request;
  const auto preset = opt_string(body, "preset");
  const auto cron = opt_string(body, "cron");
  try {
    if (preset) {
      auto p = schedule::CronExpr::preset(*preset);
      if (!p)
        throw ApiError(http::status::bad_request, "invalid_field",
                       "unknown preset '" + *preset + "' (daily, twice, thrice)");
      s.cron = *p;
    } else if (cron) {
      s.cron = schedule::CronExpr::parse(*cron).text();
    } else {
      throw ApiError(http::status::bad_request, "missing_field", "give 'cron' or 'preset'");
    }
  } catch (const schedule::CronError &e) {
    throw ApiError(http::status::bad_request, "invalid_field", std::string("cron: ") + e.what());
  }
  s.time_zone = opt_string(body, "timezone").value_or("");
  if (!s.time_zone.empty() && !schedule::valid_time_zone(s.time_zone))
    throw ApiError(http::status::bad_request, "invalid_field",
                   "unknown time zone '" + s.time_zone + "'");
  return json_response(http::status::created, schedule_json(api.schedules.add(s)));
}

Reply runs(ApiContext &api, RouteContext &c) {
  json::array out;
  for (const auto &r : api.schedules.list_runs(query_int(c, "limit", 50, 1, 500)))
    out.push_back(json::object{{"id", r.id},
                               {"job_id", r.job_id},
                               {"schedule_id", opt(r.schedule_id)},
                               {"plugin", r.plugin_id},
                               {"account_id", opt(r.account_id)},
                               {"action", r.action},
                               {"attempt", r.attempt},
                               {"status", r.status},
                               {"error", r.error ? json::value(log::redact(*r.error)) : nullptr},
                               {"started_at", r.started_at},
                               {"finished_at", opt(r.finished_at)}});
  return json_response(http::status::ok, json::object{{"runs", std::move(out)}});
}

Reply history(ApiContext &api, RouteContext &c) {
  store::HistoryQuery q;
  auto take = [&](const char *key, std::optional<std::string> &into) {
    if (auto it = c.query.find(key); it != c.query.end()) into = it->second;
  };
  take("plugin", q.plugin_id);
  take("account_id", q.account_id);
  take("kind", q.kind);
  take("status", q.status);
  q.limit = query_int(c, "limit", 50, 1, 500);
  json::array out;
  for (const auto &h : api.store.list_history(q)) out.push_back(history_json(h));
  return json_response(http::status::ok, json::object{{"history", std::move(out)}});
}

void add_pause_routes(Router &router, ApiContext &api) {
  for (bool pause : {true, false})
    router.add(http::verb::post,
               pause ? "/api/v1/schedules/{id}/pause" : "/api/v1/schedules/{id}/resume",
               Access::token, [&api, pause](RouteContext &c) -> Reply {
                 schedule::Schedule s = schedule_of(api, c);
                 api.schedules.set_paused(s.id, pause);
                 s.paused = pause;
                 return json_response(http::status::ok, schedule_json(s));
               });
}

}  // namespace

void add_schedule_routes(Router &router, ApiContext &api) {
  router.add(http::verb::get, "/api/v1/schedules", Access::token, [&api](RouteContext &) -> Reply {
    json::array out;
    for (const auto &s : api.schedules.list()) out.push_back(schedule_json(s));
    return json_response(http::status::ok, json::object{{"schedules", std::move(out)}});
  });
  router.add(http::verb::post, "/api/v1/schedules", Access::token,
             [&api](RouteContext &c) { return add(api, c); });
  router.add(http::verb::get, "/api/v1/schedules/{id}", Access::token,
             [&api](RouteContext &c) -> Reply {
               return json_response(http::status::ok, schedule_json(schedule_of(api, c)));
             });
  router.add(http::verb::delete_, "/api/v1/schedules/{id}", Access::token,
             [&api](RouteContext &c) -> Reply {
               schedule::Schedule s = schedule_of(api, c);
               api.schedules.remove(s.id);
               return json_response(http::status::ok, json::object{{"removed", s.id}});
             });
  add_pause_routes(router, api);
  router.add(http::verb::get, "/api/v1/runs", Access::token,
             [&api](RouteContext &c) { return runs(api, c); });
  router.add(http::verb::get, "/api/v1/history", Access::token,
             [&api](RouteContext &c) { return history(api, c); });
}

}  // namespace automuse::web
