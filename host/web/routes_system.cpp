// host/web/routes_system.cpp — health, the OpenAPI document, plugins (their actions, options
// and account fields, from the plugins' own describe() documents) and LLM usage.
#include <chrono>

#include "llm/usage_log.hpp"
#include "version.hpp"
#include "web/api_context.hpp"
#include "web/api_json.hpp"
#include "web/api_server.hpp"

namespace automuse::web {
namespace json = boost::json;

namespace {

json::object plugin_json(const json::object &p) {
  json::object o;
  for (const char *key : {"id", "name", "version", "description", "actions", "account_fields",
                          "publishes", "action_approval"})
    if (auto *v = p.if_contains(key)) o[key] = *v;
  // Each action's options as declared, else as the host reads them.
  json::object options;
  if (auto *declared = p.if_contains("action_options"); declared && declared->is_object())
    options = declared->as_object();
  if (auto *read = p.if_contains("options"); read && read->is_object())
    for (auto &[action, list] : read->as_object())
      if (!options.contains(action)) options[action] = list;
  o["options"] = std::move(options);
  return o;
}

Reply health(ApiContext &api) {
  json::object o{
      {"status", "ok"},
      {"version", core::kHostVersion},
      {"store", api.store.backend() == store::Backend::postgresql ? "postgres" : "sqlite"},
      {"schema_version", api.store.schema_version()},
      {"plugins", api.plugins.size()}};
  return json_response(http::status::ok, o);
}

Reply usage(ApiContext &api, RouteContext &c) {
  llm::UsageQuery q;
  if (auto it = c.query.find("since"); it != c.query.end()) q.since_day = it->second;
  if (auto it = c.query.find("account_id"); it != c.query.end()) q.account_id = it->second;
  json::array rows;
  for (const auto &u : llm::UsageLog(api.location).list(q))
    rows.push_back(json::object{{"day", u.day},
                                {"provider", u.provider},
                                {"model", u.model},
                                {"account_id", u.account_id},
                                {"requests", u.requests},
                                {"cached_requests", u.cached_requests},
                                {"prompt_tokens", u.prompt_tokens},
                                {"completion_tokens", u.completion_tokens},
                                {"estimated", u.estimated}});
  return json_response(http::status::ok, json::object{{"usage", std::move(rows)}});
}

}  // namespace

void add_system_routes(Router &router, ApiContext &api) {
  router.add(http::verb::get, "/api/v1/health", Access::token,
             [&api](RouteContext &) { return health(api); });
  router.add(http::verb::get, "/api/v1/openapi.json", Access::token, [](RouteContext &) -> Reply {
    Response r{http::status::ok, 11};
    r.set(http::field::content_type, "application/json");
    r.body() = std::string(openapi_document());
    r.prepare_payload();
    return r;
  });
  router.add(http::verb::get, "/api/v1/plugins", Access::token, [&api](RouteContext &) -> Reply {
    json::array out;
    for (auto &p : api.plugins)
      if (p.is_object()) out.push_back(plugin_json(p.as_object()));
    return json_response(http::status::ok, json::object{{"plugins", std::move(out)}});
  });
  router.add(http::verb::get, "/api/v1/plugins/{id}", Access::token,
             [&api](RouteContext &c) -> Reply {
               const std::string &id = id_param(c, "id");
               const json::object *p = api.plugin(id);
               if (!p)
                 throw ApiError(http::status::not_found, "unknown_plugin",
                                "no plugin '" + id + "' is installed");
               return json_response(http::status::ok, plugin_json(*p));
             });
  router.add(http::verb::get, "/api/v1/usage", Access::token,
             [&api](RouteContext &c) { return usage(api, c); });
}

std::string ApiContext::signed_url(const std::string &path) const {
  const int64_t now = std::chrono::duration_cast<std::chrono::seconds>(
                          std::chrono::system_clock::now().time_since_epoch())
                          .count();
  return path + "?" + signer.query(path, now, signed_seconds);
}

const json::object *ApiContext::plugin(const std::string &id) const {
  for (auto &p : plugins)
    if (auto *o = p.if_object(); o && o->contains("id") && o->at("id") == json::value(id)) return o;
  return nullptr;
}

}  // namespace automuse::web
