// host/oauth/oauth_flow.cpp — the authorization-code flow with PKCE, step by step.
#include "oauth/oauth_flow.hpp"

#include <boost/asio/post.hpp>
#include <cstdio>

#include "core/text.hpp"
#include "log/logging.hpp"
#include "oauth/browser.hpp"
#include "oauth/browser_page.hpp"
#include "oauth/pkce.hpp"

namespace automuse::oauth {
namespace asio = boost::asio;

namespace {

constexpr uint32_t kTokenTimeoutMs = 30000;

void info(const std::string &message) {
  log::write("oauth", spdlog::level::info, message);
}

// "300" or "0.3": seconds for messages.
std::string seconds_text(std::chrono::milliseconds ms) {
  if (ms.count() % 1000 == 0) return std::to_string(ms.count() / 1000);
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f", static_cast<double>(ms.count()) / 1000.0);
  return buf;
}

am_str view(const std::string &s) {
  return am_str{s.data(), s.size()};
}

// Keeps the flow and the browser's pending answer alive across the HTTP request.
struct Exchange {
  std::shared_ptr<OAuthFlow> flow;
  Responder respond;
};

}  // namespace

OAuthFlow::OAuthFlow(std::shared_ptr<am_job> job, const am_http *http, FlowRequest request,
                     am_oauth_done_fn done, void *user, Notify notify)
    : job_(std::move(job)),
      http_(http),
      request_(std::move(request)),
      done_(done),
      user_(user),
      notify_(std::move(notify)),
      timer_(job_->executor()) {}

am_op_id OAuthFlow::launch() {
  keep_ = shared_from_this();
  std::weak_ptr<OAuthFlow> weak = keep_;
  op_ = job_->add_op([weak](am_op_id) {
    if (auto self = weak.lock())
      asio::post(self->job_->executor(), [self] {
        self->finish(AM_CANCELLED, self->request_.label + ": authorisation cancelled");
      });
  });
  asio::post(job_->executor(), [self = shared_from_this()] { self->start(); });
  return op_;
}

am_op_id OAuthFlow::launch_failed(am_status status, std::string message) {
  op_ = job_->add_op([](am_op_id) {});
  asio::post(job_->executor(), [self = shared_from_this(), status, message = std::move(message)] {
    self->finish(status, message);
  });
  return op_;
}

void OAuthFlow::start() {
  if (finished_) return;
  try {
    secrets_.verifier = make_code_verifier();
    secrets_.challenge = challenge_for(request_, secrets_.verifier);
    secrets_.state = random_urlsafe(24);
  } catch (const std::exception &e) {
    return finish(AM_INTERNAL, request_.label + ": " + e.what());
  }
  log::add_secret(secrets_.verifier);
  log::add_secret(request_.client_secret);
  std::string error;
  listener_ = RedirectListener::open(job_->executor(), request_.port, error);
  if (!listener_)
    return finish(
        AM_UNAVAILABLE,
        request_.label + ": " + error +
            (request_.port ? " (another program uses the port? choose another one)" : ""));
  redirect_uri_ = redirect_uri(request_, listener_->port());
  const std::string url = authorize_url(request_, redirect_uri_, secrets_);
  std::weak_ptr<OAuthFlow> weak = shared_from_this();
  listener_->start([weak](const RedirectHit &hit, Responder respond) {
    if (auto self = weak.lock()) self->on_request(hit, std::move(respond));
  });
  timer_.expires_after(request_.timeout);
  timer_.async_wait([weak](boost::system::error_code ec) {
    auto self = weak.lock();
    if (ec || !self || self->exchanging_) return;
    self->finish(AM_TIMEOUT, self->request_.label + ": no answer from the browser within " +
                                 seconds_text(self->request_.timeout) +
                                 " s; run the command again");
  });

  std::string why_not;
  const bool opened = can_open_browser(request_.browser, &why_not) && open_browser(url);
  const std::string port = std::to_string(listener_->port());
  notify_("\n" + request_.label + ": open this address in a web browser and allow access:\n\n  " +
          url + "\n\n" + (opened ? "(a browser window was opened for it)\n" : "") +
          "Waiting up to " + seconds_text(request_.timeout) +
          " s for the browser to come back to " + redirect_uri_ +
          " (Ctrl-C cancels). On a machine without a browser, forward the port and open "
          "the address elsewhere: ssh -L " +
          port + ":127.0.0.1:" + port + " THIS-HOST (a fixed port: --port)\n");
  info(request_.label + ": waiting for the browser on " + redirect_uri_ +
       (opened ? " (browser opened)" : " (browser not opened: " + why_not + ")"));
  if (request_.on_url) request_.on_url(user_, view(url), view(redirect_uri_));
}

void OAuthFlow::on_request(const RedirectHit &hit, Responder respond) {
  const std::string &want = request_.redirect_path.empty() ? "/" : request_.redirect_path;
  if (finished_ || exchanging_)
    return respond(
        409, browser_page("Already answered", "This authorisation has already been answered."), {});
  if (hit.path != want) return respond(404, browser_page("Not found", "Nothing here."), {});
  auto get = [&](const char *k) {
    auto it = hit.query.find(k);
    return it == hit.query.end() ? std::string() : it->second;
  };
  if (!constant_time_equal(get("state"), secrets_.state)) {
    // Not from the authorisation we started (a stale tab, or a forged request): refuse it
    // and keep waiting for the real one; its code, if any, is never used.
    log::write("oauth", spdlog::level::warn,
               request_.label + ": refused a redirect with a wrong state");
    notify_(request_.label +
            ": refused a redirect whose state does not match this authorisation "
            "(an old browser tab?); still waiting\n");
    return respond(400,
                   browser_page("Wrong request",
                                "This answer does not belong to the authorisation "
                                "AutoMuse is waiting for (its state does not match). "
                                "Use the address AutoMuse printed last."),
                   {});
  }
  const std::string error = get("error");
  if (!error.empty()) {
    std::string description = get("error_description");
    if (description.size() > 200)
      description = std::string(core::utf8_prefix(description, 200)) + "...";
    const std::string what = error + (description.empty() ? "" : ": " + description);
    std::string message =
        error == "access_denied"
            ? request_.label +
                  ": access was refused in the browser (access_denied); run the command "
                  "again and allow access to authorise"
            : request_.label + ": the provider refused the authorisation (" + what + ")";
    auto self = shared_from_this();
    respond(200,
            browser_page("Authorisation refused",
                         "AutoMuse was not authorised (" + what + "). You can close this tab."),
            [self, message] { self->finish(AM_PERMISSION_DENIED, message); });
    timer_.cancel();
    exchanging_ = true;  // the outcome is decided: other requests are turned away
    return;
  }
  const std::string code = get("code");
  if (code.empty())
    return respond(400, browser_page("Wrong request", "The answer has no authorisation code."), {});
  exchange(code, std::move(respond));
}

void OAuthFlow::exchange(const std::string &code, Responder respond) {
  exchanging_ = true;
  timer_.cancel();
  listener_->stop();
  log::add_secret(code);
  info(request_.label + ": exchanging the authorisation code at " + request_.token_url);
  TokenRequest t = token_request(request_, code, redirect_uri_, secrets_.verifier);
  std::vector<am_http_header> headers;
  for (const auto &[k, v] : t.headers) headers.push_back({view(k), view(v)});
  am_http_request req{};
  req.struct_size = sizeof req;
  req.method = view(t.method);
  req.url = view(t.url);
  req.headers = headers.data();
  req.header_count = headers.size();
  req.body = view(t.body);
  req.total_timeout_ms = kTokenTimeoutMs;
  req.safe_to_resend_body = false;  // a code is single use: never send it twice
  auto *x = new Exchange{shared_from_this(), std::move(respond)};
  http_op_ = http_->send(
      http_, job_.get(), &req,
      [](void *user, const am_http_response *r) {
        std::unique_ptr<Exchange> ex(static_cast<Exchange *>(user));
        ex->flow->http_op_ = 0;
        ex->flow->on_token(*r, std::move(ex->respond));
      },
      x);
}

void OAuthFlow::on_token(const am_http_response &r, Responder respond) {
  am_status status = AM_OK;
  std::string message, token;
  if (r.status != AM_OK) {
    status = r.status == AM_CANCELLED ? AM_CANCELLED : AM_UNAVAILABLE;
    message = request_.label + ": cannot reach the token endpoint " + request_.token_url + ": " +
              std::string(r.error.data ? r.error.data : "", r.error.len);
  } else {
    TokenOutcome o = interpret_token_answer(
        request_, r.http_status, std::string(r.body.data ? r.body.data : "", r.body.len));
    for (auto &secret : o.secrets) log::add_secret(std::move(secret));
    status = o.status;
    message = std::move(o.message);
    token = std::move(o.token_json);
  }
  if (status == AM_OK) {
    info(request_.label + ": authorised");
  } else {
    log::write("oauth", spdlog::level::warn, message);
  }
  auto self = shared_from_this();
  std::string page = status == AM_OK
                         ? browser_page("Authorised", "AutoMuse is authorised (" + request_.label +
                                                          "). You can close this tab.")
                         : browser_page("Authorisation failed", message);
  respond(status == AM_OK ? 200 : 502, std::move(page),
          [self, status, message = std::move(message), token = std::move(token)]() mutable {
            self->finish(status, std::move(message), std::move(token));
          });
}

void OAuthFlow::finish(am_status status, std::string message, std::string token_json) {
  if (finished_) return;
  finished_ = true;
  timer_.cancel();
  if (listener_) listener_->stop();
  if (http_op_) http_->cancel(http_, job_.get(), http_op_);
  secrets_ = FlowSecrets{};  // the verifier is of no use any more
  job_->complete_op(op_, [done = done_, user = user_, status, message = std::move(message),
                          token = std::move(token_json), redirect = redirect_uri_] {
    am_oauth_result r{};
    r.struct_size = sizeof r;
    r.status = status;
    r.error = view(message);
    r.token_json = view(token);
    r.redirect_uri = view(redirect);
    done(user, &r);
  });
  keep_.reset();  // callers hold their own reference while they run
}

}  // namespace automuse::oauth
