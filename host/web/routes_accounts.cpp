// host/web/routes_accounts.cpp — accounts: list, show, add, change, remove. Fields are checked
// against the plugin's declared account fields; secret fields are write-only (an account shows
// the names of its secrets, never their values).
#include "schedule/approval.hpp"
#include "store/account_schema.hpp"
#include "web/api_context.hpp"
#include "web/api_json.hpp"

namespace automuse::web {
namespace json = boost::json;

namespace {

json::object account_json(store::Store &store, const store::Account &a) {
  json::array secrets;
  for (const std::string &n : store.secret_names(a.id)) secrets.push_back(json::string(n));
  return {{"id", a.id},
          {"plugin", a.plugin_id},
          {"nickname", a.nickname},
          {"fields", a.fields},
          {"secrets", std::move(secrets)},
          {"approval", a.approval},
          {"created_at", a.created_at},
          {"updated_at", a.updated_at}};
}

store::AccountSchema schema_of(ApiContext &api, const std::string &plugin) {
  const json::object *p = api.plugin(plugin);
  if (!p)
    throw ApiError(http::status::bad_request, "unknown_plugin",
                   "no plugin '" + plugin + "' is installed");
  return store::AccountSchema::parse(json::serialize(*p), plugin);
}

store::Account account_of(ApiContext &api, const std::string &id) {
  try {
    return api.store.resolve_account(id);
  } catch (const store::NotFound &) {
    throw ApiError(http::status::not_found, "unknown_account", "no account '" + id + "'");
  } catch (const store::StoreError &e) {
    throw ApiError(http::status::bad_request, "ambiguous_account", e.what());
  }
}

json::object fields_of(const json::object &body) {
  const json::value *f = body.if_contains("fields");
  if (!f) return {};
  if (!f->is_object())
    throw ApiError(http::status::bad_request, "invalid_field", "'fields' must be an object");
  return f->as_object();
}

// The body's "approval" ("required" or "none"), checked: only an account of a plugin with an
// action that can wait for approval may require it.
std::optional<std::string> approval_of(ApiContext &api, const json::object &body,
                                       const std::string &plugin) {
  auto approval = opt_string(body, "approval");
  if (!approval) return std::nullopt;
  if (*approval != "required" && *approval != "none")
    throw ApiError(http::status::bad_request, "invalid_field",
                   "'approval' must be \"required\" or \"none\", got \"" + *approval + "\"");
  const json::object *p = api.plugin(plugin);
  if (*approval == "required" && (!p || !schedule::any_approval_split(*p)))
    throw ApiError(http::status::bad_request, "approval_unsupported",
                   "plugin '" + plugin +
                       "' has no action that can wait for approval, so its accounts cannot "
                       "require it");
  return approval;
}

Reply add(ApiContext &api, RouteContext &c) {
  json::object body = body_object(c.request);
  store::NewAccount in;
  in.plugin_id = need_string(body, "plugin");
  in.nickname = need_string(body, "nickname");
  in.fields = fields_of(body);
  const store::AccountSchema schema = schema_of(api, in.plugin_id);
  const auto approval = approval_of(api, body, in.plugin_id);
  try {
    // One transaction: an account is never added without the approval it was asked with.
    store::Account a;
    api.store.transaction([&] {
      a = api.store.add_account(std::move(in), &schema);
      if (approval) a = api.store.set_account_approval(a.id, *approval);
    });
    return json_response(http::status::created, account_json(api.store, a));
  } catch (const store::Conflict &e) {
    throw ApiError(http::status::conflict, "account_exists", e.what());
  } catch (const store::StoreError &e) {
    throw ApiError(http::status::bad_request, "invalid_account", e.what());
  }
}

Reply change(ApiContext &api, RouteContext &c) {
  store::Account a = account_of(api, id_param(c, "id"));
  json::object body = body_object(c.request);
  json::object fields = fields_of(body);
  const auto approval = approval_of(api, body, a.plugin_id);
  if (fields.empty() && !approval)
    throw ApiError(http::status::bad_request, "missing_field",
                   "nothing to change: give 'fields' or 'approval'");
  const store::AccountSchema schema = schema_of(api, a.plugin_id);
  try {
    api.store.transaction([&] {
      if (!fields.empty()) a = api.store.update_account_fields(a.id, std::move(fields), &schema);
      if (approval) a = api.store.set_account_approval(a.id, *approval);
    });
  } catch (const store::StoreError &e) {
    throw ApiError(http::status::bad_request, "invalid_account", e.what());
  }
  return json_response(http::status::ok, account_json(api.store, a));
}

}  // namespace

void add_account_routes(Router &router, ApiContext &api) {
  router.add(http::verb::get, "/api/v1/accounts", Access::token, [&api](RouteContext &c) -> Reply {
    std::optional<std::string> plugin;
    if (auto it = c.query.find("plugin"); it != c.query.end()) plugin = it->second;
    json::array out;
    for (const auto &a : api.store.list_accounts(plugin)) out.push_back(account_json(api.store, a));
    return json_response(http::status::ok, json::object{{"accounts", std::move(out)}});
  });
  router.add(http::verb::post, "/api/v1/accounts", Access::token,
             [&api](RouteContext &c) { return add(api, c); });
  router.add(http::verb::get, "/api/v1/accounts/{id}", Access::token,
             [&api](RouteContext &c) -> Reply {
               return json_response(http::status::ok,
                                    account_json(api.store, account_of(api, id_param(c, "id"))));
             });
  router.add(http::verb::patch, "/api/v1/accounts/{id}", Access::token,
             [&api](RouteContext &c) { return change(api, c); });
  router.add(http::verb::delete_, "/api/v1/accounts/{id}", Access::token,
             [&api](RouteContext &c) -> Reply {
               store::Account a = account_of(api, id_param(c, "id"));
               api.store.remove_account(a.id);
               return json_response(http::status::ok, json::object{{"removed", a.id}});
             });
}

}  // namespace automuse::web
