// The HTTP engine: attempts, retry decisions, cancellation and logging; see http_engine.hpp.
#include "http/http_engine.hpp"

#include <automuse/log.h>

#include <boost/asio/post.hpp>

#include "http/redact.hpp"
#include "http/redirect_rules.hpp"
#include "http/retry_rules.hpp"

namespace automuse::http {

namespace asio = boost::asio;

namespace {

// Failures where the server may not have seen the request, or may answer next time.
bool is_retryable_transport(CURLcode code) {
  switch (code) {
    case CURLE_COULDNT_CONNECT:
    case CURLE_COULDNT_RESOLVE_HOST:
    case CURLE_RECV_ERROR:
    case CURLE_SEND_ERROR:
    case CURLE_GOT_NOTHING:
    case CURLE_PARTIAL_FILE:
    case CURLE_HTTP2:
    case CURLE_HTTP2_STREAM:
      return true;
    default:
      return false;
  }
}

am_status status_of(CURLcode code) {
  switch (code) {
    case CURLE_OK:
      return AM_OK;
    case CURLE_OPERATION_TIMEDOUT:
      return AM_TIMEOUT;
    case CURLE_URL_MALFORMAT:
    case CURLE_UNSUPPORTED_PROTOCOL:
    case CURLE_BAD_FUNCTION_ARGUMENT:
      return AM_INVALID_ARGUMENT;
    case CURLE_OUT_OF_MEMORY:
      return AM_NO_MEMORY;
    case CURLE_WRITE_ERROR:
    case CURLE_READ_ERROR:
    case CURLE_ABORTED_BY_CALLBACK:
      return AM_IO;
    default:
      return is_retryable_transport(code) ? AM_UNAVAILABLE : AM_ERROR;
  }
}

}  // namespace

HttpEngine::HttpEngine(asio::io_context &io, ClientConfig config)
    : io_(io), config_(std::move(config)) {
  static const CURLcode global = curl_global_init(CURL_GLOBAL_DEFAULT);
  (void)global;
}

void HttpEngine::init() {
  driver_ = std::make_shared<CurlMultiDriver>(
      io_, config_.max_host_connections, config_.max_total_connections,
      [weak = weak_from_this()](CURL *easy, CURLcode result) {
        if (auto self = weak.lock()) self->on_curl_done(easy, result);
      });
}

HttpEngine::~HttpEngine() {
  // Reached when no handler holds the engine any more; nothing runs concurrently now.
  for (auto &[id, active] : active_) {
    if (active.in_multi) driver_->remove(active.transfer->easy());
    active.transfer->complete(AM_CANCELLED, "the HTTP service shut down");
  }
}

uint64_t HttpEngine::send(Request request, asio::any_io_executor completion, DoneFn done) {
  uint64_t id = next_id_.fetch_add(1);
  ++in_flight_;
  auto transfer =
      std::make_unique<Transfer>(id, std::move(request), std::move(completion), std::move(done));
  asio::post(driver_->strand(), [self = shared_from_this(), t = std::move(transfer)]() mutable {
    self->start(std::move(t));
  });
  return id;
}

void HttpEngine::cancel(uint64_t id) {
  asio::post(driver_->strand(), [self = shared_from_this(), id] {
    auto it = self->active_.find(id);
    if (it == self->active_.end()) return;  // finished already: harmless no-op
    if (it->second.in_multi) self->driver_->remove(it->second.transfer->easy());
    it->second.in_multi = false;
    if (it->second.retry_timer) it->second.retry_timer->cancel();
    self->finish(id, AM_CANCELLED, "cancelled");
  });
}

void HttpEngine::cancel_all() {
  asio::post(driver_->strand(), [self = shared_from_this()] {
    std::vector<uint64_t> ids;
    for (auto &[id, active] : self->active_) ids.push_back(id);
    for (uint64_t id : ids) {
      auto &active = self->active_.at(id);
      if (active.in_multi) self->driver_->remove(active.transfer->easy());
      active.in_multi = false;
      if (active.retry_timer) active.retry_timer->cancel();
      self->finish(id, AM_CANCELLED, "the HTTP service shut down");
    }
  });
}

void HttpEngine::start(std::unique_ptr<Transfer> transfer) {
  uint64_t id = transfer->id();
  if (auto bad = transfer->validate()) {
    Active a{std::move(transfer), nullptr, false};
    active_.emplace(id, std::move(a));
    finish(id, bad->first, bad->second);
    return;
  }
  // Streamed chunks pause the transfer when the caller lags; resume it here once it caught up.
  transfer->chunk_channel()->relieve = [weak = weak_from_this(), id] {
    auto self = weak.lock();
    if (!self) return;
    asio::post(self->driver_->strand(), [self, id] {
      auto it = self->active_.find(id);
      if (it != self->active_.end() && it->second.in_multi)
        self->driver_->unpause(it->second.transfer->easy());
    });
  };
  active_.emplace(id, Active{std::move(transfer), nullptr, false});
  attempt(id);
}

void HttpEngine::attempt(uint64_t id) {
  auto it = active_.find(id);
  if (it == active_.end()) return;
  Active &active = it->second;
  Transfer &t = *active.transfer;
  if (auto failed = t.prepare_attempt(config_)) {
    finish(id, failed->first, failed->second);
    return;
  }
  log_request(t);
  std::string error;
  if (!driver_->add(t.easy(), &error)) {
    finish(id, AM_INTERNAL, "curl refused the transfer: " + error);
    return;
  }
  active.in_multi = true;
}

void HttpEngine::on_curl_done(CURL *easy, CURLcode result) {
  Transfer *t = nullptr;
  curl_easy_getinfo(easy, CURLINFO_PRIVATE, &t);
  if (!t) return;
  auto it = active_.find(t->id());
  if (it == active_.end()) return;
  it->second.in_multi = false;
  t->end_attempt(result);
  decide(it->second, result);
}

void HttpEngine::decide(Active &active, CURLcode result) {
  Transfer &t = *active.transfer;
  const RetryPolicy &policy = t.request().retry;
  Response &r = t.response();
  uint64_t id = t.id();

  // A refused address fails the attempt unless curl connected to another, allowed one.
  if (const auto &refused = t.refusal(); refused && result != CURLE_OK)
    return finish(id, AM_PERMISSION_DENIED, *refused);
  if (auto sink_error = t.sink_error()) {
    finish(id, sink_error->first, sink_error->second);
    return;
  }
  if (result == CURLE_OK && t.request().follow_redirects && is_followed_redirect(r.http_status))
    if (auto location = r.header("location")) return redirect(active, *location);
  am_status status = status_of(result);
  std::string error = result == CURLE_OK ? std::string() : t.curl_error(result);
  bool retryable_status = result == CURLE_OK && is_retryable_status(r.http_status);
  bool retryable = is_retryable_transport(result) || retryable_status;

  auto give_up = [&](const std::string &why) {
    if (retryable && !why.empty())
      log(AM_LOG_DEBUG, "http #" + std::to_string(id) + " not retried: " + why);
    finish(id, status, error);
  };
  if (!retryable) return give_up("");
  if (r.attempts >= policy.max_attempts)
    return give_up("attempt " + std::to_string(r.attempts) + " of " +
                   std::to_string(policy.max_attempts));
  if (t.delivered_chunks()) return give_up("part of the body was already streamed to the caller");
  // A 429 means the server refused the request without acting on it; anything else after the
  // body went out may have had an effect, so only re-send when the caller said it is safe.
  if (t.body_sent() && r.http_status != 429 && !policy.safe_to_resend_body)
    return give_up("its body was already sent and the request is not marked safe to re-send");

  Millis delay{0};
  std::string reason;
  std::optional<Millis> asked;
  if (r.http_status == 429 || r.http_status == 503)
    asked = server_requested_wait(r.headers, std::chrono::system_clock::now());
  if (asked) {
    if (*asked > policy.max_server_wait)
      return give_up("the server asked to wait " + std::to_string(asked->count()) +
                     " ms, more than max_server_wait");
    delay = *asked;
    reason = "server asked";
  } else {
    delay = backoff_delay(policy, r.attempts, rng_);
    reason = "backoff";
  }
  auto elapsed = std::chrono::duration_cast<Millis>(Clock::now() - t.started());
  if (elapsed + delay > policy.max_total)
    return give_up("waiting " + std::to_string(delay.count()) + " ms would pass max_total");

  log(AM_LOG_DEBUG, "http #" + std::to_string(id) + " retry " + std::to_string(r.attempts + 1) +
                        "/" + std::to_string(policy.max_attempts) + " in " +
                        std::to_string(delay.count()) + " ms (" + reason + ", " +
                        (result == CURLE_OK ? "HTTP " + std::to_string(r.http_status) : error) +
                        ")");
  active.retry_timer = std::make_unique<asio::steady_timer>(driver_->strand(), delay);
  active.retry_timer->async_wait(
      [self = shared_from_this(), id](const boost::system::error_code &ec) {
        if (!ec) self->attempt(id);
      });
}

void HttpEngine::redirect(Active &active, std::string_view location) {
  Transfer &t = *active.transfer;
  const uint64_t id = t.id();
  const long code = t.response().http_status;
  if (t.redirects() >= kMaxRedirects)
    return finish(id, AM_ERROR,
                  "too many redirects (more than " + std::to_string(kMaxRedirects) + ") from " +
                      redact_url(t.request().url));
  RedirectStep step = follow_redirect(t.request(), code, location);
  if (!step.next) return finish(id, step.status, std::move(step.error));
  log(AM_LOG_DEBUG, "http #" + std::to_string(id) + " HTTP " + std::to_string(code) +
                        ", following to " + redact_url(step.next->url));
  t.redirect_to(std::move(*step.next));
  attempt(id);
}

void HttpEngine::finish(uint64_t id, am_status status, std::string error) {
  auto it = active_.find(id);
  if (it == active_.end()) return;
  auto active = std::move(it->second);
  active_.erase(it);
  Transfer &t = *active.transfer;
  if (config_.log) {
    const Response &r = t.response();
    auto ms = std::chrono::duration_cast<Millis>(Clock::now() - t.started()).count();
    std::string line = "http #" + std::to_string(id) + " <- ";
    line += status == AM_OK ? "HTTP " + std::to_string(r.http_status) : am_status_name(status);
    line += " " + t.request().method + " " + redact_url(t.request().url) + " (" +
            std::to_string(r.body_bytes) + " B, " + std::to_string(ms) + " ms, attempts " +
            std::to_string(r.attempts) + ")";
    if (!error.empty()) line += ": " + redact_text(error);
    log(AM_LOG_DEBUG, line);
    for (const auto &h : r.headers)
      log(AM_LOG_TRACE, "http #" + std::to_string(id) + " <- " + redact_header(h.name, h.value));
  }
  --in_flight_;
  t.complete(status, std::move(error));
  // The Transfer (and its easy handle) is destroyed here, after complete() posted the result.
}

void HttpEngine::log(int level, const std::string &message) const {
  if (config_.log) config_.log(level, message);
}

void HttpEngine::log_request(const Transfer &t) const {
  if (!config_.log) return;
  const Request &q = t.request();
  std::string line =
      "http #" + std::to_string(t.id()) + " -> " + q.method + " " + redact_url(q.url);
  if (t.response().attempts > 1) line += " (attempt " + std::to_string(t.response().attempts) + ")";
  for (const auto &h : q.headers) line += "\n  " + redact_header(h.name, h.value);
  log(AM_LOG_DEBUG, line);
}

}  // namespace automuse::http
