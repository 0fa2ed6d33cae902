// host/llm/llm_client.cpp — one chat call as a small state machine on the caller's strand:
// cache lookup, attempts over the HTTP engine (its own retries off: a 429 may be a quota that
// must not be retried, which only the body tells), waits, stream decoding, usage, cache write.
#include "llm/llm_client.hpp"

#include <automuse/log.h>

#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/json.hpp>
#include <random>

#include "cache/cache.hpp"
#include "cache/sha256.hpp"
#include "http/retry_rules.hpp"
#include "llm/json_extract.hpp"
#include "llm/usage_log.hpp"
#include "llm/wire.hpp"

namespace automuse::llm {

namespace asio = boost::asio;
namespace json = boost::json;

namespace {

std::string result_to_cache(const ChatResult &r) {
  return json::serialize(
      json::object{{"content", r.content},
                   {"finish_reason", r.finish_reason},
                   {"model", r.model},
                   {"usage", json::object{{"prompt_tokens", r.usage.prompt_tokens},
                                          {"completion_tokens", r.usage.completion_tokens},
                                          {"reported", r.usage.reported}}}});
}

std::optional<ChatResult> result_from_cache(const std::string &text) {
  boost::system::error_code ec;
  json::value v = json::parse(text, ec);
  if (ec || !v.is_object()) return std::nullopt;
  const json::object &o = v.as_object();
  const json::value *content = o.if_contains("content");
  if (!content || !content->is_string()) return std::nullopt;
  ChatResult r;
  r.content = std::string(content->as_string());
  if (auto *f = o.if_contains("finish_reason"); f && f->is_string())
    r.finish_reason = std::string(f->as_string());
  if (auto *m = o.if_contains("model"); m && m->is_string()) r.model = std::string(m->as_string());
  if (auto *u = o.if_contains("usage"); u && u->is_object()) {
    const json::object &uo = u->as_object();
    if (auto *p = uo.if_contains("prompt_tokens"); p && p->is_int64())
      r.usage.prompt_tokens = p->as_int64();
    if (auto *c = uo.if_contains("completion_tokens"); c && c->is_int64())
      r.usage.completion_tokens = c->as_int64();
    if (auto *rep = uo.if_contains("reported"); rep && rep->is_bool())
      r.usage.reported = rep->as_bool();
  }
  r.from_cache = true;
  return r;
}

}  // namespace

// ---- one chat ------------------------------------------------------------------------------

struct LlmClient::ChatCall : std::enable_shared_from_this<ChatCall> {
  LlmClient &client;
  uint64_t id;
  ChatRequest request;
  asio::any_io_executor ex;
  DeltaFn on_delta;
  DoneFn done;

  Provider provider;
  std::string key, url;
  std::unique_ptr<StreamDecoder> decoder;
  std::optional<std::pair<am_status, std::string>> stream_error;
  uint64_t http_id = 0;
  std::unique_ptr<asio::steady_timer> timer;
  int attempts = 0;
  bool finished = false;
  http::Clock::time_point started = http::Clock::now();
  std::mt19937_64 rng{std::random_device{}()};

  ChatCall(LlmClient &c, uint64_t i, ChatRequest r, asio::any_io_executor e, DeltaFn d, DoneFn f)
      : client(c),
        id(i),
        request(std::move(r)),
        ex(std::move(e)),
        on_delta(std::move(d)),
        done(std::move(f)) {}

  void log(int level, const std::string &m) {
    if (client.options_.log) client.options_.log(level, m);
  }

  void start() {
    if (finished) return;
    try {
      if (request.messages.empty())
        throw am::error(AM_INVALID_ARGUMENT, "messages: at least one message is needed");
      provider = client.options_.providers.resolve(request.provider, request.model);
    } catch (const am::error &e) {
      return fail(e.status(), e.what());
    }
    url = provider.chat_url();
    key = cache_key(provider, request);
    if (request.use_cache && client.options_.cache) {
      std::optional<std::string> hit;
      try {
        hit = client.options_.cache->get(key);
      } catch (const std::exception &e) {
        log(AM_LOG_WARN, std::string("llm: cache read failed, asking the provider: ") + e.what());
      }
      if (hit) {
        if (std::optional<ChatResult> r = result_from_cache(*hit)) {
          r->provider = provider.name;
          r->cache_key = key;
          if (request.stream && on_delta && !r->content.empty()) on_delta(r->content);
          record_usage(*r);
          return succeed(std::move(*r));
        }
      }
    }
    attempt();
  }

  void attempt() {
    if (finished) return;
    ++attempts;
    http::Request req;
    req.method = "POST";
    req.url = url;
    req.headers.push_back({"Content-Type", "application/json"});
    if (!provider.api_key.empty())
      req.headers.push_back({"Authorization", "Bearer " + provider.api_key});
    req.body = build_chat_body(provider, request);
    req.retry.max_attempts = 1;  // this call decides about retries (see the file comment)
    if (client.options_.answer_limit.bytes > 0) req.body_limit = client.options_.answer_limit;
    req.timeouts.connect = client.options_.connect_timeout;
    req.timeouts.total = client.options_.request_timeout;
    stream_error.reset();
    decoder.reset();
    if (request.stream) {
      req.headers.push_back(
          {"Accept", provider.api == Api::ollama ? "application/x-ndjson" : "text/event-stream"});
      std::weak_ptr<ChatCall> weak = weak_from_this();
      decoder = std::make_unique<StreamDecoder>(provider, [weak](std::string_view piece) {
        if (auto self = weak.lock(); self && !self->finished && self->on_delta)
          self->on_delta(piece);
      });
      req.sink = http::SinkKind::callback;
      req.on_chunk = [weak](std::string_view chunk) {
        auto self = weak.lock();
        if (!self || self->finished || self->stream_error) return;
        try {
          self->decoder->feed(chunk);
        } catch (const am::error &e) {
          self->stream_error.emplace(e.status(), e.what());
          self->client.http_.cancel(self->http_id);
        }
      };
    }
    log(AM_LOG_DEBUG, "llm: " + provider.name + " model " + provider.model + " attempt " +
                          std::to_string(attempts) + (request.stream ? " (stream)" : ""));
    auto self = shared_from_this();
    http_id = client.http_.send(std::move(req), ex,
                                [self](http::Response r) { self->on_response(std::move(r)); });
  }

  void on_response(http::Response r) {
    http_id = 0;
    if (finished) return;
    if (stream_error) return fail(stream_error->first, stream_error->second);
    if (r.status != AM_OK) {
      Failure f = classify_transport_error(provider, url, r.status, r.error);
      return fail(f.status, f.message);
    }
    if (!r.ok()) {
      Failure f = classify_http_error(provider, url, r.http_status, r.body);
      if (f.retry && !(decoder && decoder->delivered())) return retry(f, r);
      return fail(f.status, f.message);
    }
    try {
      ChatResult result = decoder ? decoder->finish() : parse_chat_answer(provider, r.body);
      result.provider = provider.name;
      result.attempts = attempts;
      if (!result.usage.reported) {
        int64_t prompt = 0;
        for (const Message &m : request.messages) prompt += estimate_tokens(m.content) + 4;
        result.usage.prompt_tokens = prompt;
        result.usage.completion_tokens = estimate_tokens(result.content);
      }
      record_usage(result);
      if (request.use_cache && client.options_.cache && result.finish_reason != "length" &&
          result.finish_reason != "content_filter" && !result.content.empty()) {
        try {
          if (client.options_.cache->put(key, result_to_cache(result), client.options_.cache_ttl))
            result.cache_key = key;
        } catch (const std::exception &e) {
          log(AM_LOG_WARN, std::string("llm: cache write failed: ") + e.what());
        }
      }
      log(AM_LOG_DEBUG, "llm: " + provider.name + " answered (" +
                            std::to_string(result.usage.prompt_tokens) + " tokens in, " +
                            std::to_string(result.usage.completion_tokens) + " out" +
                            (result.usage.reported ? "" : ", estimated") + ")");
      succeed(std::move(result));
    } catch (const am::error &e) {
      fail(e.status(), e.what());
    }
  }

  void retry(const Failure &f, const http::Response &r) {
    const LlmClientOptions &o = client.options_;
    if (attempts >= o.max_attempts)
      return fail(f.status, f.message + " [" + std::to_string(attempts) + " attempts]");
    std::optional<http::Millis> asked;
    if (f.server_wait_allowed)
      asked = http::server_requested_wait(r.headers, std::chrono::system_clock::now());
    http::Millis delay;
    if (asked) {
      if (*asked > o.max_server_wait)
        return fail(f.status, f.message + " [the server asked to wait " +
                                  std::to_string(asked->count() / 1000) +
                                  " s, longer than this client waits]");
      delay = *asked;
    } else {
      http::RetryPolicy policy;
      policy.base_delay = o.retry_base_delay;
      policy.max_delay = o.retry_max_delay;
      delay = http::backoff_delay(policy, attempts, rng);
    }
    auto elapsed = std::chrono::duration_cast<http::Millis>(http::Clock::now() - started);
    if (elapsed + delay > o.max_total)
      return fail(f.status, f.message + " [gave up after " + std::to_string(attempts) +
                                " attempts in " + std::to_string(elapsed.count() / 1000) + " s]");
    log(AM_LOG_INFO, "llm: " + provider.name + " answered HTTP " + std::to_string(r.http_status) +
                         "; retrying in " + std::to_string(delay.count()) + " ms" +
                         (asked ? " as the server asked" : ""));
    timer = std::make_unique<asio::steady_timer>(ex, delay);
    auto self = shared_from_this();
    timer->async_wait([self](const boost::system::error_code &ec) {
      if (!ec) self->attempt();
    });
  }

  void record_usage(const ChatResult &r) {
    if (!client.options_.usage) return;
    try {
      client.options_.usage->record(provider.name, r.model.empty() ? provider.model : r.model,
                                    request.account_id, r.usage.prompt_tokens,
                                    r.usage.completion_tokens, !r.usage.reported, r.from_cache);
    } catch (const std::exception &e) {
      log(AM_LOG_WARN, std::string("llm: could not record usage: ") + e.what());
    }
  }

  void succeed(ChatResult r) {
    if (finished) return;
    finished = true;
    client.forget(id);
    done(ChatOutcome{AM_OK, {}, std::move(r)});
  }

  void fail(am_status status, std::string message) {
    if (finished) return;
    finished = true;
    client.forget(id);
    if (timer) timer->cancel();
    done(ChatOutcome{status, std::move(message), {}});
  }

  void cancel() {
    if (finished) return;
    if (http_id) client.http_.cancel(http_id);
    fail(AM_CANCELLED, "cancelled");
  }
};

// ---- structured answers --------------------------------------------------------------------

struct LlmClient::JsonCall : std::enable_shared_from_this<JsonCall> {
  LlmClient &client;
  uint64_t id;
  ChatRequest request;
  json::value shape;
  int max_reasks;
  asio::any_io_executor ex;
  DoneFn done;
  int reasks = 0;
  uint64_t inner = 0;
  bool finished = false;

  JsonCall(LlmClient &c, uint64_t i, ChatRequest r, json::value s, int m, asio::any_io_executor e,
           DoneFn d)
      : client(c),
        id(i),
        request(std::move(r)),
        shape(std::move(s)),
        max_reasks(m),
        ex(std::move(e)),
        done(std::move(d)) {}

  void start() {
    if (finished) return;
    try {
      validate_shape_schema(shape);
    } catch (const am::error &e) {
      return finish(ChatOutcome{e.status(), e.what(), {}});
    }
    std::string instruction = json_instruction(shape);
    if (!request.messages.empty() && request.messages.front().role == "system")
      request.messages.front().content += "\n\n" + instruction;
    else
      request.messages.insert(request.messages.begin(), Message{"system", instruction});
    request.stream = false;
    ask();
  }

  void ask() {
    auto self = shared_from_this();
    inner =
        client.chat(request, ex, nullptr, [self](ChatOutcome o) { self->on_answer(std::move(o)); });
  }

  void on_answer(ChatOutcome o) {
    if (finished) return;
    if (o.status != AM_OK) return finish(std::move(o));
    Extracted x = extract_json(o.result.content, &shape);
    if (x.value) {
      o.result.json = std::move(*x.value);
      return finish(std::move(o));
    }
    // A cached bad answer would come back on every re-run: forget it.
    if (!o.result.cache_key.empty() && client.options_.cache) {
      try {
        client.options_.cache->remove(o.result.cache_key);
      } catch (const std::exception &) {
      }
    }
    if (reasks >= max_reasks) {
      return finish(ChatOutcome{AM_ERROR,
                                "LLM provider '" + o.result.provider +
                                    "' gave no usable JSON after " + std::to_string(reasks + 1) +
                                    (reasks ? " tries" : " try") + ": " + x.error,
                                {}});
    }
    ++reasks;
    if (client.options_.log)
      client.options_.log(AM_LOG_INFO, "llm: answer was not usable JSON (" + x.error +
                                           "); asking again (" + std::to_string(reasks) + "/" +
                                           std::to_string(max_reasks) + ")");
    request.messages.push_back({"assistant", o.result.content});
    request.messages.push_back(
        {"user", "That answer could not be used: " + x.error +
                     ". Reply again with only the JSON value, without code fences, comments or "
                     "any other text."});
    ask();
  }

  void finish(ChatOutcome o) {
    if (finished) return;
    finished = true;
    client.forget(id);
    done(std::move(o));
  }

  void cancel() {
    if (finished) return;
    if (inner) client.cancel(inner);
    finish(ChatOutcome{AM_CANCELLED, "cancelled", {}});
  }
};

// ---- the client ----------------------------------------------------------------------------

LlmClient::LlmClient(http::HttpClient &http, LlmClientOptions options)
    : http_(http), options_(std::move(options)) {}

LlmClient::~LlmClient() = default;

uint64_t LlmClient::next_id() {
  std::lock_guard lock(mutex_);
  return next_id_++;
}

void LlmClient::remember(uint64_t id, std::function<void()> cancel) {
  std::lock_guard lock(mutex_);
  calls_[id] = std::move(cancel);
}

void LlmClient::forget(uint64_t id) {
  std::lock_guard lock(mutex_);
  calls_.erase(id);
}

uint64_t LlmClient::chat(ChatRequest request, asio::any_io_executor executor, DeltaFn on_delta,
                         DoneFn done) {
  uint64_t id = next_id();
  auto call = std::make_shared<ChatCall>(*this, id, std::move(request), executor,
                                         std::move(on_delta), std::move(done));
  remember(id, [call] { asio::post(call->ex, [call] { call->cancel(); }); });
  asio::post(executor, [call] { call->start(); });
  return id;
}

uint64_t LlmClient::chat_json(ChatRequest request, json::value shape, int max_reasks,
                              asio::any_io_executor executor, DoneFn done) {
  uint64_t id = next_id();
  auto call = std::make_shared<JsonCall>(*this, id, std::move(request), std::move(shape),
                                         std::max(0, max_reasks), executor, std::move(done));
  remember(id, [call] { asio::post(call->ex, [call] { call->cancel(); }); });
  asio::post(executor, [call] { call->start(); });
  return id;
}

void LlmClient::cancel(uint64_t id) {
  std::function<void()> fn;
  {
    std::lock_guard lock(mutex_);
    auto it = calls_.find(id);
    if (it == calls_.end()) return;
    fn = it->second;
  }
  fn();
}

std::string LlmClient::cache_key(const Provider &p, const ChatRequest &r) {
  json::object o{{"api", p.api == Api::ollama ? "ollama" : "openai"},
                 {"url", p.chat_url()},
                 {"model", p.model},
                 {"messages", messages_to_json(r.messages)}};
  if (r.params.temperature) o["temperature"] = *r.params.temperature;
  if (r.params.max_tokens) o["max_tokens"] = *r.params.max_tokens;
  if (r.params.seed) o["seed"] = *r.params.seed;
  if (!r.cache_scope.empty()) o["scope"] = r.cache_scope;
  return cache::sha256_hex("automuse.llm/1\n" + json::serialize(o));
}

std::string json_instruction(const json::value &shape) {
  return "Answer with JSON only: no prose, no code fences, no comments. The JSON must match "
         "this JSON Schema: " +
         json::serialize(shape);
}

}  // namespace automuse::llm
