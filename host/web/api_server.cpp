// host/web/api_server.cpp — the checks before a route, the login exchange, error answers.
#include "web/api_server.hpp"

#include <boost/url.hpp>
#include <chrono>

#include "log/logging.hpp"
#include "log/redaction.hpp"
#include "web/api_json.hpp"
#include "web/host_check.hpp"
#include "web/static_files.hpp"

namespace automuse::web {
namespace json = boost::json;

namespace {

int64_t steady_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

int64_t unix_now() {
  return std::chrono::duration_cast<std::chrono::seconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

std::string bearer_of(const Request &r) {
  auto it = r.find(http::field::authorization);
  if (it == r.end()) return {};
  std::string_view v = it->value();
  constexpr std::string_view kScheme = "Bearer ";
  if (v.size() <= kScheme.size() || v.substr(0, kScheme.size()) != kScheme) return {};
  return std::string(v.substr(kScheme.size()));
}

}  // namespace

ApiServer::ApiServer(ApiContext &api, ApiOptions options, Credentials credentials)
    : api_(api),
      options_(std::move(options)),
      credentials_(std::move(credentials)),
      login_code_(random_secret(18)),
      server_(api.io, options_.listen, options_.limits,
              [this](Request &r, const std::string &client) { return handle(r, client); }) {
  add_login_route();
  add_system_routes(router_, api_);
  add_account_routes(router_, api_);
  add_job_routes(router_, api_);
  add_outbox_routes(router_, api_);
  add_schedule_routes(router_, api_);
}

std::string ApiServer::login_link() const {
  const auto a = options_.listen.address();
  std::string host = a.is_unspecified() ? "127.0.0.1" : a.to_string();
  if (a.is_v6() && !a.is_unspecified()) host = "[" + host + "]";
  return "http://" + host + ":" + std::to_string(port()) + "/login#code=" + login_code_;
}

void ApiServer::add_login_route() {
  router_.add(http::verb::post, "/api/v1/login", Access::open, [this](RouteContext &c) -> Reply {
    json::object body = body_object(c.request);
    const std::string code = need_string(body, "code");
    if (login_code_.empty() || !same_secret(code, login_code_)) {
      throttle_.failed(c.client, steady_ms());
      throw ApiError(http::status::unauthorized, "bad_login_code",
                     "the login code is wrong or was used already; start `automuse-host serve` "
                     "again for a new login link");
    }
    login_code_.clear();  // one use
    throttle_.succeeded(c.client);
    return json_response(http::status::ok, json::object{{"token", credentials_.token}});
  });
}

std::optional<Response> ApiServer::refuse(const Route &route, const RouteContext &c) {
  if (route.access == Access::signature) {
    auto exp = c.query.find("exp"), sig = c.query.find("sig");
    if (exp != c.query.end() && sig != c.query.end()) {
      if (api_.signer.verify(c.request.target().substr(0, c.request.target().find('?')),
                             exp->second, sig->second, unix_now()))
        return std::nullopt;
      return error_response(http::status::forbidden, "bad_signature",
                            "the signed URL is wrong or has expired; ask the API for a new one");
    }
  }
  if (route.access == Access::open) return std::nullopt;
  const std::string token = bearer_of(c.request);
  if (!token.empty() && same_secret(token, credentials_.token)) {
    throttle_.succeeded(c.client);
    return std::nullopt;
  }
  throttle_.failed(c.client, steady_ms());
  Response r = error_response(
      http::status::unauthorized, token.empty() ? "missing_token" : "wrong_token",
      token.empty() ? "this call needs 'Authorization: Bearer TOKEN' (the API token in the data "
                      "folder's web/api-token)"
                    : "the API token is wrong");
  r.set(http::field::www_authenticate, "Bearer");
  return r;
}

Reply ApiServer::route(Request &request, const std::string &client) {
  auto host = request.find(http::field::host);
  if (host == request.end() || !host_allowed(host->value(), port(), options_.allowed_hosts))
    return error_response(http::status::forbidden, "host_not_allowed",
                          "the Host header names neither this server's address nor localhost "
                          "(start it with --allow-host NAME to allow a name)");
  auto url = boost::urls::parse_origin_form(request.target());
  if (!url)
    return error_response(http::status::bad_request, "bad_target",
                          "the request's target is "
                          "not a path");
  // The page's files need no token: they hold no secret, and every call the page makes does.
  if (auto page = static_reply(request, url->path())) return std::move(*page);
  RouteContext c{request, client, {}, {}, url->path()};
  std::vector<std::string> segments;
  for (auto s : url->segments()) segments.push_back(s);
  for (auto p : url->params()) c.query[p.key] = p.value;
  Router::Match m = router_.match(request.method(), segments);
  if (!m.route && m.allowed.empty())
    return error_response(http::status::not_found, "not_found", "no such resource: " + c.path);
  if (!m.route) {
    Response r = error_response(
        http::status::method_not_allowed, "method_not_allowed",
        std::string(request.method_string()) + " is not allowed here (" + m.allowed + ")");
    r.set(http::field::allow, m.allowed);
    return r;
  }
  if (int64_t wait = throttle_.wait_seconds(client, steady_ms()); wait > 0) {
    Response r = error_response(
        http::status::too_many_requests, "too_many_failures",
        "too many failed attempts from this address; try again in " + std::to_string(wait) + " s");
    r.set(http::field::retry_after, std::to_string(wait));
    return r;
  }
  c.params = std::move(m.params);
  if (auto no = refuse(*m.route, c)) return std::move(*no);
  return m.route->handler(c);
}

Reply ApiServer::handle(Request &request, const std::string &client) {
  const std::string line = std::string(request.method_string()) + " " +
                           std::string(request.target().substr(0, request.target().find('?')));
  Reply reply;
  try {
    reply = route(request, client);
  } catch (const ApiError &e) {
    reply = error_response(e.status, e.code, log::redact(e.what()));
  } catch (const std::exception &e) {
    // The cause goes to the log (redacted), never to the client.
    log::write("web", spdlog::level::err, line + ": " + e.what());
    reply = error_response(http::status::internal_server_error, "internal",
                           "the server failed to answer (its log says why)");
  }
  const unsigned status = std::visit(
      [](auto &r) -> unsigned {
        if constexpr (std::is_same_v<std::decay_t<decltype(r)>, StreamReply>)
          return 200;
        else
          return r.result_int();
      },
      reply);
  log::write("web", spdlog::level::debug,
             log::redact(line) + " -> " + std::to_string(status) + " (" + client + ")");
  return reply;
}

}  // namespace automuse::web
