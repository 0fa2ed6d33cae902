// automuse/cpp/oauth.hpp — C++ access to "automuse.oauth/1": an owned request type and an
// awaitable authorize, so a plugin's auth action reads
//
//   am::oauth_request req;
//   req.label = "YouTube account 'chef'";
//   req.authorize_url = "https://accounts.google.com/o/oauth2/v2/auth";
//   req.token_url = "https://oauth2.googleapis.com/token";
//   req.client_id = id;  req.client_secret = secret;
//   req.scopes = {"https://www.googleapis.com/auth/youtube.upload"};
//   req.params = {{"access_type", "offline"}};
//   am::oauth_result r = co_await am::oauth(job).authorize(std::move(req));
//   if (!r.ok()) throw am::error(r.status, r.error);
//   ... store r.token_json with automuse.store/1 set_oauth_token (never log it) ...
//
// The coroutine resumes on the job's executor.
#pragma once

#include <automuse/oauth.h>

#include <automuse/cpp/async.hpp>
#include <automuse/cpp/error.hpp>
#include <automuse/cpp/host.hpp>
#include <automuse/cpp/job.hpp>
#include <automuse/cpp/str.hpp>
#include <automuse/cpp/task.hpp>
#include <charconv>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace am {

// Not an aggregate on purpose (see http_request in http.hpp): build it, then assign fields.
struct oauth_request {
  oauth_request() = default;

  std::string label{};
  std::string authorize_url{};
  std::string token_url{};
  std::string client_id{};
  std::string client_secret{};  // empty: a public client
  am_oauth_client_auth client_auth = AM_OAUTH_CLIENT_SECRET_POST;
  am_oauth_browser browser = AM_OAUTH_BROWSER_AUTO;
  std::vector<std::string> scopes{};
  std::vector<std::pair<std::string, std::string>> params{};  // extra authorize parameters
  std::string redirect_path{};                                // "/" when empty
  uint32_t port = 0;                                          // 0: any free port
  uint32_t timeout_ms = 0;                                    // 0: 300 s
  // Called on the job's executor with the authorize URL and the redirect URI once the
  // listener is ready.
  std::function<void(std::string_view authorize_url, std::string_view redirect_uri)> on_url{};
  // ABI 1.7: how a provider departs from the RFCs (the defaults are the RFCs').
  std::string client_id_name{};   // "" = "client_id" (TikTok: "client_key")
  std::string scope_separator{};  // "" = " " (TikTok: ",")
  am_oauth_challenge challenge = AM_OAUTH_CHALLENGE_S256;  // TikTok: AM_OAUTH_CHALLENGE_S256_HEX
  am_oauth_token_method token_method = AM_OAUTH_TOKEN_POST_FORM;
  am_oauth_token_answer token_answer = AM_OAUTH_ANSWER_OBJECT;  // Instagram: ..._DATA_ARRAY
};

struct oauth_result {
  am_status status = AM_OK;
  std::string error{};
  std::string token_json{};  // secret: never log it
  std::string redirect_uri{};

  bool ok() const noexcept { return status == AM_OK; }
};

// The options every `auth` action takes, as the action received them ("" when absent):
// `--no-browser` (any non-empty value), `--port N` (0-65535) and `--timeout SECS`
// (1-86400). Sets browser, port and timeout_ms; an absent option leaves the field as it is.
// Throws am::error(AM_INVALID_ARGUMENT) naming a bad value.
inline void apply_auth_options(oauth_request &req, std::string_view no_browser,
                               std::string_view port, std::string_view timeout_secs) {
  auto number = [](std::string_view name, std::string_view text, uint32_t min, uint32_t max) {
    uint32_t n = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), n);
    if (ec != std::errc() || end != text.data() + text.size() || n < min || n > max)
      throw error(AM_INVALID_ARGUMENT, "--" + std::string(name) + ": '" + std::string(text) +
                                           "' is not a number from " + std::to_string(min) +
                                           " to " + std::to_string(max));
    return n;
  };
  if (!no_browser.empty() && no_browser != "false") req.browser = AM_OAUTH_BROWSER_NEVER;
  if (!port.empty()) req.port = number("port", port, 0, 65535);
  if (!timeout_secs.empty()) req.timeout_ms = number("timeout", timeout_secs, 1, 86400) * 1000;
}

namespace detail {

class oauth_awaiter : public request_awaiter<oauth_awaiter, am_oauth, oauth_request, oauth_result> {
 public:
  using request_awaiter::request_awaiter;

 private:
  friend callback_awaiter;
  void start() {
    std::vector<am_str> scopes;
    scopes.reserve(req_.scopes.size());
    for (const auto &s : req_.scopes) scopes.push_back(to_am_str(s));
    std::vector<am_oauth_param> params;
    params.reserve(req_.params.size());
    for (const auto &[k, v] : req_.params) params.push_back({to_am_str(k), to_am_str(v)});
    am_oauth_request c{};
    c.struct_size = sizeof c;
    c.label = to_am_str(req_.label);
    c.authorize_url = to_am_str(req_.authorize_url);
    c.token_url = to_am_str(req_.token_url);
    c.client_id = to_am_str(req_.client_id);
    c.client_secret = to_am_str(req_.client_secret);
    c.client_auth = req_.client_auth;
    c.browser = req_.browser;
    c.scopes = scopes.data();
    c.scope_count = scopes.size();
    c.params = params.data();
    c.param_count = params.size();
    c.redirect_path = to_am_str(req_.redirect_path);
    c.port = req_.port;
    c.timeout_ms = req_.timeout_ms;
    c.on_url = req_.on_url ? &oauth_awaiter::on_url : nullptr;
    c.client_id_name = to_am_str(req_.client_id_name);
    c.scope_separator = to_am_str(req_.scope_separator);
    c.challenge = req_.challenge;
    c.token_method = req_.token_method;
    c.token_answer = req_.token_answer;
    svc_->authorize(svc_, job_, &c, &oauth_awaiter::on_done, this);
  }
  static void on_url(void *user, am_str url, am_str redirect_uri) {
    try {
      from(user).req_.on_url(view(url), view(redirect_uri));
    } catch (...) {  // a C callback: nothing may escape; showing the URL is best effort
    }
  }
  static void on_done(void *user, const am_oauth_result *r) {
    oauth_awaiter &self = from(user);
    oauth_result &out = self.result_;
    out.status = r->status;
    try {
      out.error = to_string(r->error);
      out.token_json = to_string(r->token_json);
      out.redirect_uri = to_string(r->redirect_uri);
    } catch (...) {  // out of memory: keep the status
      if (out.status == AM_OK) out.status = AM_NO_MEMORY;
    }
    self.resume();
  }
};

}  // namespace detail

// A non-owning handle on the OAuth service for one job. Cheap to copy.
class oauth {
 public:
  // Throws am::error(AM_UNSUPPORTED) if the host has no automuse.oauth/1.
  explicit oauth(const job &j)
      : svc_(&j.host_ref().service<am_oauth>(AM_OAUTH_SERVICE_ID)), job_(j.get()) {}

  // `co_await oauth.authorize(req)`: resumes on the job's executor with the outcome; a
  // failure is in the result's status, not an exception.
  // The task keeps its own copy of the service and job pointers, so this handle may be a
  // temporary.
  task<oauth_result> authorize(oauth_request req) const {
    return detail::as_task<detail::oauth_awaiter>(svc_, job_, std::move(req));
  }

 private:
  const am_oauth *svc_;
  am_job *job_;
};

}  // namespace am
