// host/llm/wire.cpp — request bodies, answers, streams and errors of the chat protocols.
#include "llm/wire.hpp"

#include <algorithm>
#include <boost/json.hpp>
#include <limits>

namespace automuse::llm {

namespace json = boost::json;

namespace {

const json::value *path(const json::value &v, std::initializer_list<std::string_view> keys) {
  const json::value *at = &v;
  for (std::string_view k : keys) {
    const json::object *o = at->if_object();
    if (!o) return nullptr;
    at = o->if_contains(k);
    if (!at) return nullptr;
  }
  return at;
}

std::string string_at(const json::value &v, std::initializer_list<std::string_view> keys) {
  const json::value *s = path(v, keys);
  return s && s->is_string() ? std::string(s->as_string()) : std::string();
}

// A count (tokens) the provider reports: whatever number it sends lands in [0, kMaxCount];
// a double beyond int64's range is never cast (undefined behaviour), negatives read as 0.
int64_t int_at(const json::value &v, std::initializer_list<std::string_view> keys) {
  constexpr int64_t kMaxCount = int64_t(1) << 53;
  const json::value *n = path(v, keys);
  if (!n) return 0;
  if (n->is_int64()) return std::clamp<int64_t>(n->as_int64(), 0, kMaxCount);
  if (n->is_uint64()) return static_cast<int64_t>(std::min<uint64_t>(n->as_uint64(), kMaxCount));
  if (n->is_double()) {
    const double d = n->as_double();
    if (!(d > 0)) return 0;  // also NaN
    return d >= static_cast<double>(kMaxCount) ? kMaxCount : static_cast<int64_t>(d);
  }
  return 0;
}

json::value parse_or_throw(const Provider &p, std::string_view text, const char *what) {
  boost::system::error_code ec;
  json::value v = json::parse(text, ec);
  if (ec) {
    std::string sample(text.substr(0, 200));
    throw am::error(AM_ERROR, "LLM provider '" + p.name + "' sent " + what + " that is not JSON (" +
                                  ec.message() + "): " + sample);
  }
  return v;
}

void read_openai_usage(const json::value &v, Usage &usage) {
  const json::value *u = path(v, {"usage"});
  if (!u || !u->is_object()) return;
  usage.prompt_tokens = int_at(*u, {"prompt_tokens"});
  usage.completion_tokens = int_at(*u, {"completion_tokens"});
  usage.reported = true;
}

void read_ollama_usage(const json::value &v, Usage &usage) {
  if (!path(v, {"prompt_eval_count"}) && !path(v, {"eval_count"})) return;
  usage.prompt_tokens = int_at(v, {"prompt_eval_count"});
  usage.completion_tokens = int_at(v, {"eval_count"});
  usage.reported = true;
}

// The error text of any of the documented error bodies.
struct ErrorBody {
  std::string message, type, code;
};

ErrorBody error_body(std::string_view body) {
  ErrorBody e;
  boost::system::error_code ec;
  json::value v = json::parse(body, ec);
  if (ec) {
    e.message = std::string(body.substr(0, 300));
    return e;
  }
  if (const json::value *err = path(v, {"error"})) {
    if (err->is_string()) {
      e.message = std::string(err->as_string());  // Ollama
    } else if (err->is_object()) {
      e.message = string_at(*err, {"message"});  // OpenAI
      e.type = string_at(*err, {"type"});
      e.code = string_at(*err, {"code"});
      if (e.code.empty()) {
        if (const json::value *c = path(*err, {"code"}); c && c->is_number())
          e.code = json::serialize(*c);
      }
    }
  }
  if (e.message.empty()) e.message = string_at(v, {"message"});  // Mistral
  if (e.message.empty()) e.message = string_at(v, {"detail"});
  if (e.type.empty()) e.type = string_at(v, {"type"});
  if (e.code.empty()) e.code = string_at(v, {"code"});
  if (e.message.empty()) e.message = std::string(body.substr(0, 300));
  return e;
}

bool contains(std::string_view haystack, std::string_view needle) {
  return haystack.find(needle) != std::string_view::npos;
}

std::string key_hint(const Provider &p) {
  if (!p.api_key_env.empty())
    return "check the key in the environment variable " + p.api_key_env + " (llm.providers." +
           p.name + ".api_key in automuse.json)";
  return "check llm.providers." + p.name + ".api_key in automuse.json";
}

}  // namespace

std::string build_chat_body(const Provider &p, const ChatRequest &r) {
  json::object body{
      {"model", p.model}, {"messages", messages_to_json(r.messages)}, {"stream", r.stream}};
  if (p.api == Api::ollama) {
    json::object options;
    if (r.params.temperature) options["temperature"] = *r.params.temperature;
    if (r.params.max_tokens) options["num_predict"] = *r.params.max_tokens;
    if (r.params.seed) options["seed"] = *r.params.seed;
    if (!options.empty()) body["options"] = std::move(options);
    return json::serialize(body);
  }
  if (r.params.temperature) body["temperature"] = *r.params.temperature;
  if (r.params.max_tokens) body[p.token_param] = *r.params.max_tokens;
  if (r.params.seed) body[p.seed_param] = *r.params.seed;
  if (r.stream && p.stream_options) body["stream_options"] = json::object{{"include_usage", true}};
  return json::serialize(body);
}

ChatResult parse_chat_answer(const Provider &p, std::string_view body) {
  json::value v = parse_or_throw(p, body, "an answer");
  ChatResult r;
  r.provider = p.name;
  r.model = string_at(v, {"model"});
  if (r.model.empty()) r.model = p.model;
  if (p.api == Api::ollama) {
    const json::value *content = path(v, {"message", "content"});
    if (!content || !content->is_string())
      throw am::error(AM_ERROR, "LLM provider '" + p.name +
                                    "' sent an answer without message.content: " +
                                    std::string(body.substr(0, 200)));
    r.content = std::string(content->as_string());
    r.finish_reason = string_at(v, {"done_reason"});
    if (r.finish_reason.empty()) r.finish_reason = "stop";
    read_ollama_usage(v, r.usage);
    return r;
  }
  const json::value *choices = path(v, {"choices"});
  if (!choices || !choices->is_array() || choices->as_array().empty())
    throw am::error(AM_ERROR, "LLM provider '" + p.name + "' sent an answer without choices: " +
                                  std::string(body.substr(0, 200)));
  const json::value &first = choices->as_array().front();
  const json::value *content = path(first, {"message", "content"});
  if (!content || !(content->is_string() || content->is_null()))
    throw am::error(AM_ERROR, "LLM provider '" + p.name +
                                  "' sent a choice without message.content: " +
                                  std::string(body.substr(0, 200)));
  if (content->is_string()) r.content = std::string(content->as_string());
  r.finish_reason = string_at(first, {"finish_reason"});
  read_openai_usage(v, r.usage);
  return r;
}

// ---- streams -------------------------------------------------------------------------------

StreamDecoder::StreamDecoder(const Provider &provider, DeltaFn on_delta)
    : provider_(provider), on_delta_(std::move(on_delta)) {
  result_.provider = provider.name;
  result_.model = provider.model;
}

void StreamDecoder::feed(std::string_view bytes) {
  buffer_.append(bytes);
  size_t start = 0;
  for (size_t nl; (nl = buffer_.find('\n', start)) != std::string::npos; start = nl + 1) {
    std::string_view l(buffer_.data() + start, nl - start);
    if (!l.empty() && l.back() == '\r') l.remove_suffix(1);
    line(l);
  }
  buffer_.erase(0, start);
}

void StreamDecoder::line(std::string_view l) {
  if (provider_.api == Api::ollama) {
    if (!l.empty()) ndjson_line(l);
    return;
  }
  // Server-Sent Events: "data:" lines accumulate until a blank line ends the event.
  if (l.empty()) {
    if (!sse_data_.empty()) {
      std::string data = std::move(sse_data_);
      sse_data_.clear();
      sse_event(data);
    }
    return;
  }
  if (l.front() == ':') return;  // comment / keep-alive
  if (l.substr(0, 5) == "data:") {
    std::string_view d = l.substr(5);
    if (!d.empty() && d.front() == ' ') d.remove_prefix(1);
    if (!sse_data_.empty()) sse_data_ += '\n';
    sse_data_.append(d);
  }
  // event:, id:, retry: fields carry nothing a chat needs.
}

json::value StreamDecoder::event(std::string_view text, const char *what) {
  json::value v = parse_or_throw(provider_, text, what);
  any_event_ = true;
  if (const json::value *err = path(v, {"error"}); err && !err->is_null()) {
    ErrorBody e = error_body(text);
    throw am::error(AM_ERROR,
                    "LLM provider '" + provider_.name + "' failed mid-answer: " + e.message);
  }
  return v;
}

void StreamDecoder::sse_event(std::string_view data) {
  if (data == "[DONE]") {
    done_ = true;
    return;
  }
  json::value v = event(data, "a stream event");
  if (std::string m = string_at(v, {"model"}); !m.empty()) result_.model = m;
  read_openai_usage(v, result_.usage);
  const json::value *choices = path(v, {"choices"});
  if (!choices || !choices->is_array() || choices->as_array().empty()) return;  // usage chunk
  const json::value &c = choices->as_array().front();
  if (const json::value *content = path(c, {"delta", "content"}); content && content->is_string()) {
    std::string_view piece = content->as_string();
    if (!piece.empty()) {
      result_.content.append(piece);
      delivered_ = true;
      if (on_delta_) on_delta_(piece);
    }
  }
  if (std::string f = string_at(c, {"finish_reason"}); !f.empty()) result_.finish_reason = f;
}

void StreamDecoder::ndjson_line(std::string_view l) {
  json::value v = event(l, "a stream line");
  if (std::string m = string_at(v, {"model"}); !m.empty()) result_.model = m;
  if (const json::value *content = path(v, {"message", "content"});
      content && content->is_string()) {
    std::string_view piece = content->as_string();
    if (!piece.empty()) {
      result_.content.append(piece);
      delivered_ = true;
      if (on_delta_) on_delta_(piece);
    }
  }
  if (const json::value *d = path(v, {"done"}); d && d->is_bool() && d->as_bool()) {
    done_ = true;
    result_.finish_reason = string_at(v, {"done_reason"});
    if (result_.finish_reason.empty()) result_.finish_reason = "stop";
    read_ollama_usage(v, result_.usage);
  }
}

ChatResult StreamDecoder::finish() {
  if (!buffer_.empty()) {
    std::string rest = std::move(buffer_);
    buffer_.clear();
    line(rest);
  }
  if (!sse_data_.empty()) {
    std::string data = std::move(sse_data_);
    sse_data_.clear();
    sse_event(data);
  }
  if (!any_event_)
    throw am::error(AM_ERROR, "LLM provider '" + provider_.name +
                                  "' ended the stream without an "
                                  "answer");
  if (!done_ && result_.finish_reason.empty())
    throw am::error(AM_UNAVAILABLE, "LLM provider '" + provider_.name +
                                        "' cut the streamed answer off before its end (" +
                                        std::to_string(result_.content.size()) +
                                        " bytes received)");
  return result_;
}

// ---- errors --------------------------------------------------------------------------------

Failure classify_http_error(const Provider &p, const std::string &url, long status,
                            std::string_view body) {
  ErrorBody e = error_body(body);
  std::string who = "LLM provider '" + p.name + "'";
  std::string said = " (HTTP " + std::to_string(status) + ": " + e.message + ")";
  Failure f;
  if (status == 429) {
    if (e.code == "insufficient_quota" || e.type == "insufficient_quota" ||
        contains(e.message, "exceeded your current quota")) {
      f.status = AM_QUOTA_EXCEEDED;
      f.message = who + " says the account's quota is used up" + said +
                  ": add credit or raise the limit in " + p.name +
                  "'s billing settings, or choose another provider with llm.provider "
                  "(waiting will not help)";
      return f;
    }
    f.status = AM_RATE_LIMITED;
    f.message = who + " kept refusing with rate limits" + said +
                ": wait a while, lower the request rate, or raise the plan's limits";
    f.retry = true;
    f.server_wait_allowed = true;
    return f;
  }
  if (status == 401 || status == 403) {
    f.status = status == 401 ? AM_UNAUTHENTICATED : AM_PERMISSION_DENIED;
    f.message = who + " refused the credentials" + said + ": " + key_hint(p);
    return f;
  }
  if (status == 404 && (contains(e.message, "not found") || contains(e.message, "does not exist") ||
                        e.code == "model_not_found")) {
    f.status = AM_NOT_FOUND;
    if (p.is_ollama())
      f.message = who + " has no model '" + p.model + "'" + said + ": run `ollama pull " + p.model +
                  "` on the Ollama machine, or set llm.providers." + p.name + ".model";
    else
      f.message = who + " does not know the model '" + p.model + "'" + said +
                  ": set llm.providers." + p.name + ".model (or pass --model) to a model it offers";
    return f;
  }
  if (status == 404) {
    f.status = AM_NOT_FOUND;
    f.message = who + " has no chat endpoint at " + url + said + ": check llm.providers." + p.name +
                ".base_url";
    return f;
  }
  if (status == 400 || status == 422) {
    f.status = AM_INVALID_ARGUMENT;
    f.message = who + " rejected the request" + said;
    return f;
  }
  if (status == 408 || status == 500 || status == 502 || status == 503 || status == 504 ||
      status == 529) {
    f.status = AM_UNAVAILABLE;
    f.message = who + " is failing or overloaded at " + url + said + "; try again later";
    f.retry = true;
    f.server_wait_allowed = status == 503 || status == 529;
    return f;
  }
  f.status = AM_ERROR;
  f.message = who + " answered with an error" + said;
  return f;
}

Failure classify_transport_error(const Provider &p, const std::string &url, am_status status,
                                 const std::string &error) {
  Failure f;
  f.status = status == AM_TIMEOUT     ? AM_TIMEOUT
             : status == AM_CANCELLED ? AM_CANCELLED
                                      : AM_UNAVAILABLE;
  if (status == AM_CANCELLED) {
    f.message = "cancelled";
    return f;
  }
  std::string who = "LLM provider '" + p.name + "'";
  if (status == AM_ERROR) {  // reached, but the answer broke a rule (a size cap): say which
    f.status = AM_ERROR;
    f.message = who + " at " + url + ": " + error;
    return f;
  }
  if (status == AM_TIMEOUT) {
    f.message = who + " did not answer in time at " + url + " (" + error + ")";
    return f;
  }
  f.message = who + " could not be reached at " + url + " (" + error + ")";
  if (p.is_ollama())
    f.message += ": is Ollama running? Start it with `ollama serve`, or set llm.providers." +
                 p.name + ".base_url";
  else
    f.message += ": is the server running and llm.providers." + p.name + ".base_url right?";
  return f;
}

int64_t estimate_tokens(std::string_view text) {
  return static_cast<int64_t>((text.size() + 3) / 4);
}

}  // namespace automuse::llm
