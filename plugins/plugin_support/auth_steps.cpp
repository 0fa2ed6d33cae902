// plugins/plugin_support/auth_steps.cpp — an auth action's shared steps.
#include "auth_steps.hpp"

#include <automuse/store.h>

#include <automuse/cpp/buffer.hpp>
#include <automuse/cpp/error.hpp>
#include <automuse/cpp/str.hpp>
#include <chrono>

namespace plugin_support {
namespace json = boost::json;

void apply_auth_endpoints(am::oauth_request &req, const ConfigSection &section) {
  req.authorize_url =
      string_field(section.fields, "authorize_url", req.authorize_url, section.where);
  req.port = port_field(section.fields, "redirect_port", req.port, section.where);
}

std::string_view auth_options_json() {
  return R"json([
       {"name": "no-browser", "type": "boolean", "help": "Only print the address to open"},
       {"name": "port", "type": "string", "help": "Port on 127.0.0.1 for the browser's answer"},
       {"name": "timeout", "type": "string", "help": "Seconds to wait for the browser (default 300)"}
     ])json";
}

void apply_auth_options(am::oauth_request &req, const am::args &args) {
  // The host has already refused a bare `--port` (it needs a value) and a non-boolean
  // --no-browser; the SDK helper checks the numbers.
  am::apply_auth_options(req, args.option_bool("no-browser", false) ? "true" : "",
                         args.option("port", ""), args.option("timeout", ""));
}

am::task<json::object> authorize(am::job job, am::oauth_request req) {
  am::oauth oauth(job);
  auto call = oauth.authorize(std::move(req));
  am::oauth_result result = co_await std::move(call);
  if (!result.ok()) throw am::error(result.status, result.error);
  json::error_code ec;
  json::value token = json::parse(result.token_json, ec);
  // The message never quotes the answer: it holds the tokens.
  if (ec || !token.is_object())
    throw am::error(AM_ERROR, "the token endpoint's answer is not a JSON object");
  co_return std::move(token.as_object());
}

int64_t expires_at(int64_t expires_in_secs) {
  const auto now = std::chrono::duration_cast<std::chrono::seconds>(
      std::chrono::system_clock::now().time_since_epoch());
  return now.count() + expires_in_secs;
}

void store_oauth_token(const am::host &host, const std::string &account_key,
                       const json::object &record, const std::string &label) {
  const auto &store = host.service<am_store>(AM_STORE_SERVICE_ID);
  const std::string text = json::serialize(record);
  am::buffer error;
  if (store.set_oauth_token(host.get(), am::to_am_str(account_key), am::to_am_str(text),
                            error.out()) != AM_OK)
    throw am::error(AM_IO, "cannot store the token of " + label + ": " + error.str());
}

}  // namespace plugin_support
