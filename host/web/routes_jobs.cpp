// host/web/routes_jobs.cpp — jobs: start (one, or a batch), list, show (steps, progress,
// attempts, result, errors), cancel, and their event streams. Jobs are enqueued in the store's
// job queue; whichever worker claims them runs them (the serving process's own, or `worker`
// processes on any host sharing the store). A job awaiting approval is approved or rejected
// here (schedule/approval.hpp).
#include <boost/json.hpp>
#include <charconv>

#include "log/redaction.hpp"
#include "schedule/approval.hpp"
#include "web/api_context.hpp"
#include "web/api_json.hpp"
#include "web/job_event_stream.hpp"
#include "web/job_request.hpp"

namespace automuse::web {
namespace json = boost::json;

namespace {

// A state event the API itself writes (enqueued, or cancelled while queued). Watching must not
// fail the call: on PostgreSQL a worker that claimed the job at the same moment may take the
// same sequence number first, and then this event is left out.
void state_event(ApiContext &api, const std::string &job_id, const std::string &state) {
  try {
    schedule::JobEvent e;
    e.job_id = job_id;
    e.kind = "state";
    e.name = state;
    api.events->add(std::move(e));
  } catch (const std::exception &) {
  }
}

json::object job_json(ApiContext &api, const schedule::Job &j) {
  json::object o{{"id", j.id},
                 {"plugin", j.plugin_id},
                 {"account_id", opt(j.account_id)},
                 {"action", j.action},
                 {"state", j.state},
                 {"attempts", j.attempts},
                 {"error", j.error ? json::value(log::redact(*j.error)) : json::value(nullptr)},
                 {"schedule_id", opt(j.schedule_id)},
                 {"enqueued_ms", j.enqueued_ms},
                 {"approval", j.approval},
                 {"approval_item", opt(j.approval_item)},
                 {"approved_ms", opt(j.approved_ms)}};
  json::error_code ec;
  json::value request = json::parse(j.request, ec);
  json::object options;
  if (!ec && request.is_object())
    if (auto *sets = request.as_object().if_contains("sets"); sets && sets->is_array())
      for (auto &s : sets->as_array())
        if (s.is_string()) {
          std::string kv(s.as_string());
          const size_t eq = kv.find('=');
          options[kv.substr(0, eq)] = eq == std::string::npos ? "" : kv.substr(eq + 1);
        }
  o["options"] = std::move(options);
  o["events_url"] = api.signed_url("/api/v1/jobs/" + j.id + "/events");
  return o;
}

// Steps and progress from the job's events.
void add_steps(ApiContext &api, const schedule::Job &j, json::object &o) {
  json::array steps;
  json::value progress = nullptr;
  std::map<std::string, size_t> open;  // step name -> index in steps
  for (const auto &e : api.events->after(j.id, 0, 10000)) {
    if (e.kind == "step_started") {
      open[e.name] = steps.size();
      steps.push_back(
          json::object{{"name", e.name}, {"state", "running"}, {"started_ms", e.at_ms}});
      continue;
    }
    auto it = open.find(e.name);
    if (it == open.end()) continue;
    json::object &s = steps[it->second].as_object();
    if (e.kind == "progress") {
      s["percent"] = *e.percent;
      progress = json::object{{"step", e.name}, {"percent", *e.percent}};
    } else if (e.kind == "step_finished" || e.kind == "step_failed") {
      s["state"] = e.kind == "step_finished" ? "done" : "failed";
      s["seconds"] = static_cast<double>(e.at_ms - s["started_ms"].as_int64()) / 1000.0;
      if (e.note) s["note"] = log::redact(*e.note);
    }
  }
  if (j.state == "done") progress = json::object{{"step", nullptr}, {"percent", 100}};
  o["steps"] = std::move(steps);
  o["progress"] = std::move(progress);
}

Reply show(ApiContext &api, RouteContext &c) {
  const std::string &id = id_param(c, "id");
  auto j = api.queue.get(id);
  if (!j) throw ApiError(http::status::not_found, "unknown_job", "no job '" + id + "'");
  json::object o = job_json(api, *j);
  add_steps(api, *j, o);
  json::array runs;
  json::value result = nullptr;
  for (const auto &r : api.schedules.runs_of_job(id)) {
    runs.push_back(json::object{{"id", r.id},
                                {"attempt", r.attempt},
                                {"status", r.status},
                                {"error", r.error ? json::value(log::redact(*r.error)) : nullptr},
                                {"worker", opt(r.worker)},
                                {"started_at", r.started_at},
                                {"finished_at", opt(r.finished_at)}});
    if (r.result) result = stored_json(r.result);
  }
  o["runs"] = std::move(runs);
  o["result"] = std::move(result);
  return json_response(http::status::ok, o);
}

Reply start(ApiContext &api, RouteContext &c) {
  std::vector<schedule::Job> jobs = jobs_of_request(api, body_object(c.request));
  json::array out;
  for (auto &j : jobs) {
    schedule::Job queued = api.queue.enqueue(std::move(j));
    state_event(api, queued.id, "queued");
    out.push_back(job_json(api, queued));
  }
  return json_response(http::status::created, json::object{{"jobs", std::move(out)}});
}

Reply cancel(ApiContext &api, RouteContext &c) {
  const std::string &id = id_param(c, "id");
  auto state = api.queue.request_cancel(id);
  if (!state) throw ApiError(http::status::not_found, "unknown_job", "no job '" + id + "'");
  if (*state == "cancelled") {
    // Ended here (it was queued): its watchers hear it from here; a running one's worker says.
    state_event(api, id, "cancelled");
  }
  return json_response(
      http::status::accepted,
      json::object{{"id", id}, {"state", *state}, {"cancel_requested", *state == "running"}});
}

// POST /jobs/{id}/approve and /reject: 200 with the job, 404 for an unknown job, 409 for a job
// not awaiting approval (nothing changes then).
Reply decide(ApiContext &api, RouteContext &c, bool approve) {
  const std::string &id = id_param(c, "id");
  const schedule::Decision d = approve ? schedule::approve_job(api.queue, *api.events, id)
                                       : schedule::reject_job(api.queue, *api.events, id);
  if (d.kind == schedule::Decision::Kind::unknown_job)
    throw ApiError(http::status::not_found, "unknown_job", "no job '" + id + "'");
  if (d.kind == schedule::Decision::Kind::not_awaiting)
    throw ApiError(http::status::conflict, "not_awaiting_approval",
                   schedule::decision_refusal(d, id) + "; only a job awaiting approval can be " +
                       (approve ? "approved" : "rejected"));
  return show(api, c);
}

int64_t last_event_id(const RouteContext &c) {
  auto it = c.request.find("Last-Event-ID");
  if (it == c.request.end()) return 0;
  int64_t v = 0;
  std::string_view s = it->value();
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  return ec == std::errc() && end == s.data() + s.size() && v > 0 ? v : 0;
}

}  // namespace

void add_job_routes(Router &router, ApiContext &api) {
  router.add(http::verb::post, "/api/v1/jobs", Access::token,
             [&api](RouteContext &c) { return start(api, c); });
  router.add(http::verb::get, "/api/v1/jobs", Access::token, [&api](RouteContext &c) -> Reply {
    json::array out;
    for (const auto &j : api.queue.recent_jobs(query_int(c, "limit", 50, 1, 500),
                                               query_int(c, "offset", 0, 0, 1000000)))
      out.push_back(job_json(api, j));
    return json_response(http::status::ok, json::object{{"jobs", std::move(out)}});
  });
  router.add(http::verb::get, "/api/v1/jobs/{id}", Access::token,
             [&api](RouteContext &c) { return show(api, c); });
  router.add(http::verb::post, "/api/v1/jobs/{id}/cancel", Access::token,
             [&api](RouteContext &c) { return cancel(api, c); });
  router.add(http::verb::post, "/api/v1/jobs/{id}/approve", Access::token,
             [&api](RouteContext &c) { return decide(api, c, true); });
  router.add(http::verb::post, "/api/v1/jobs/{id}/reject", Access::token,
             [&api](RouteContext &c) { return decide(api, c, false); });
  router.add(http::verb::get, "/api/v1/jobs/{id}/events", Access::signature,
             [&api](RouteContext &c) -> Reply {
               const std::string &id = id_param(c, "id");
               if (!api.queue.get(id))
                 throw ApiError(http::status::not_found, "unknown_job", "no job '" + id + "'");
               return job_event_stream(api, id, last_event_id(c));
             });
}

}  // namespace automuse::web
