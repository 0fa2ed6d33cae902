// FakeOpenAI: request checks, answers, SSE streams and error bodies; see fake_openai.hpp.
#include "support/llm/fake_openai.hpp"

#include <boost/json.hpp>

namespace automuse::testing {

namespace json = boost::json;

int64_t fake_token_count(std::string_view text) {
  int64_t n = 0;
  bool in_word = false;
  for (char c : text) {
    bool space = c == ' ' || c == '\n' || c == '\t';
    if (!space && !in_word) ++n;
    in_word = !space;
  }
  return n;
}

namespace {

Reply openai_error(unsigned status, std::string message, std::string type, json::value code,
                   json::value param = nullptr) {
  json::object err{{"message", std::move(message)},
                   {"type", std::move(type)},
                   {"param", std::move(param)},
                   {"code", std::move(code)}};
  return Reply::json(json::value(json::object{{"error", std::move(err)}}), status);
}

// The content cut to `limit` words (the "tokens" of the fakes).
std::string truncate_words(const std::string &s, int64_t limit, bool &cut) {
  cut = false;
  int64_t n = 0;
  bool in_word = false;
  for (size_t i = 0; i < s.size(); ++i) {
    bool space = s[i] == ' ' || s[i] == '\n' || s[i] == '\t';
    if (!space && !in_word && ++n > limit) {
      cut = true;
      return s.substr(0, i);
    }
    in_word = !space;
  }
  return s;
}

std::vector<std::string> pieces(const std::string &s) {
  std::vector<std::string> out;
  for (size_t i = 0; i < s.size(); i += 5) out.push_back(s.substr(i, 5));
  return out;
}

}  // namespace

FakeOpenAI::FakeOpenAI() : FakeOpenAI(Options{}) {}

FakeOpenAI::FakeOpenAI(Options options) : options_(std::move(options)) {
  answer_ = [](const json::array &messages) {
    std::string last;
    for (const json::value &m : messages)
      if (m.at("role").as_string() == "user") last = std::string(m.at("content").as_string());
    return "Echo: " + last;
  };
  server_.route("POST", "/v1/chat/completions",
                [this](const ReceivedRequest &r) { return handle(r); });
}

std::string FakeOpenAI::base_url() const {
  return server_.url("/v1");
}

json::object FakeOpenAI::host_config() const {
  json::object fake{
      {"api", "openai"}, {"base_url", base_url()}, {"model", *options_.models.begin()}};
  if (!options_.api_key.empty()) fake["api_key"] = options_.api_key;
  return {{"provider", "fake"}, {"providers", json::object{{"fake", fake}}}};
}

void FakeOpenAI::set_answer(std::function<std::string(const json::array &)> fn) {
  std::lock_guard lock(mutex_);
  answer_ = std::move(fn);
}

void FakeOpenAI::set_answers(std::vector<std::string> answers) {
  auto next = std::make_shared<size_t>(0);
  set_answer([answers = std::move(answers), next](const json::array &) {
    std::string a = answers[std::min(*next, answers.size() - 1)];
    ++*next;
    return a;
  });
}

void FakeOpenAI::set_stuck(std::string system_part, std::vector<std::string> stuck,
                           std::vector<std::string> fresh) {
  std::function<std::string(const json::array &)> others;
  {
    std::lock_guard lock(mutex_);
    others = answer_;
  }
  auto turns = std::make_shared<std::pair<size_t, size_t>>(0, 0);  // stuck and fresh given
  set_answer([=, stuck = std::move(stuck), fresh = std::move(fresh)](const json::array &messages) {
    bool matches = false, pushed_back = false;
    for (const json::value &m : messages) {
      const auto &role = m.at("role").as_string();
      if (role == "system" && m.at("content").as_string().find(system_part) != std::string::npos)
        matches = true;
      if (role == "assistant") pushed_back = true;
    }
    const std::vector<std::string> &list = pushed_back ? fresh : stuck;
    if (!matches || list.empty()) return others(messages);
    size_t &given = pushed_back ? turns->second : turns->first;
    return list[std::min(given++, list.size() - 1)];
  });
}

void FakeOpenAI::push_fault(Reply reply) {
  std::lock_guard lock(mutex_);
  faults_.push_back(std::move(reply));
}

std::vector<json::value> FakeOpenAI::chat_bodies() const {
  std::lock_guard lock(mutex_);
  return bodies_;
}

size_t FakeOpenAI::chat_count() const {
  std::lock_guard lock(mutex_);
  return bodies_.size();
}

Reply FakeOpenAI::handle(const ReceivedRequest &req) {
  json::value body;
  boost::system::error_code ec;
  body = json::parse(req.body, ec);
  std::lock_guard lock(mutex_);
  bodies_.push_back(ec ? json::value(nullptr) : body);
  bool mistral = options_.flavour == Flavour::mistral;

  if (!options_.api_key.empty()) {
    auto auth = req.header("Authorization");
    if (!auth || *auth != "Bearer " + options_.api_key) {
      if (mistral) return Reply::json(R"({"message":"Unauthorized","request_id":"r1"})", 401);
      return invalid_api_key();
    }
  }
  if (!faults_.empty()) {
    Reply r = std::move(faults_.front());
    faults_.pop_front();
    return r;
  }
  if (ec || !body.is_object())
    return openai_error(400, "We could not parse the JSON body of your request.",
                        "invalid_request_error", nullptr);
  const json::object &o = body.as_object();
  const json::value *model = o.if_contains("model");
  const json::value *messages = o.if_contains("messages");
  if (!model || !model->is_string())
    return openai_error(400, "you must provide a model parameter", "invalid_request_error",
                        nullptr);
  if (!messages || !messages->is_array() || messages->as_array().empty())
    return openai_error(400, "[] is too short - 'messages'", "invalid_request_error", nullptr,
                        "messages");
  for (const json::value &m : messages->as_array()) {
    const json::object *mo = m.if_object();
    if (!mo || !mo->contains("role") || !mo->contains("content") || !mo->at("role").is_string() ||
        !mo->at("content").is_string())
      return openai_error(400, "Invalid message: each needs role and content",
                          "invalid_request_error", nullptr, "messages");
  }
  bool stream = o.contains("stream") && o.at("stream").is_bool() && o.at("stream").as_bool();
  bool include_usage = false;
  if (const json::value *so = o.if_contains("stream_options")) {
    if (mistral) {
      return Reply::json(
          R"({"object":"error","message":{"detail":[{"type":"extra_forbidden","loc":["body","stream_options"],"msg":"Extra inputs are not permitted","input":{"include_usage":true}}]},"type":"invalid_request_message_error","param":null,"code":null})",
          422);
    }
    if (!stream)
      return openai_error(400,
                          "The 'stream_options' parameter is only allowed when 'stream' is "
                          "enabled.",
                          "invalid_request_error", nullptr, "stream_options");
    include_usage = so->is_object() && so->as_object().contains("include_usage") &&
                    so->as_object().at("include_usage") == json::value(true);
  }
  if (options_.reject_max_tokens && o.contains("max_tokens"))
    return openai_error(400,
                        "Unsupported parameter: 'max_tokens' is not supported with this model. "
                        "Use 'max_completion_tokens' instead.",
                        "invalid_request_error", "unsupported_parameter", "max_tokens");
  std::string model_name(model->as_string());
  if (!options_.models.count(model_name)) {
    if (mistral)
      return Reply::json(R"({"object":"error","message":"Invalid model: )" + model_name +
                             R"(","type":"invalid_model","param":null,"code":"1500"})",
                         400);
    return openai_error(
        404, "The model `" + model_name + "` does not exist or you do not have access to it.",
        "invalid_request_error", "model_not_found");
  }

  std::string content = answer_(messages->as_array());
  int64_t limit = -1;
  for (const char *k : {"max_tokens", "max_completion_tokens"})
    if (const json::value *v = o.if_contains(k); v && v->is_int64()) limit = v->as_int64();
  bool cut = false;
  if (limit >= 0) content = truncate_words(content, limit, cut);
  std::string finish = cut ? "length" : "stop";
  int64_t prompt_tokens = 0;
  for (const json::value &m : messages->as_array())
    prompt_tokens += fake_token_count(m.at("content").as_string()) + 3;
  int64_t completion_tokens = fake_token_count(content);
  json::object usage{{"prompt_tokens", prompt_tokens},
                     {"completion_tokens", completion_tokens},
                     {"total_tokens", prompt_tokens + completion_tokens}};
  std::string id = mistral ? "cmpl-e5cc70bb28c444948073e77776eb30ef" : "chatcmpl-fake123";
  int64_t created = 1764300000;

  if (!stream) {
    json::object answer{
        {"id", id},
        {"object", "chat.completion"},
        {"created", created},
        {"model", model_name},
        {"choices", json::array{json::object{
                        {"index", 0},
                        {"message", json::object{{"role", "assistant"}, {"content", content}}},
                        {"finish_reason", finish}}}},
        {"usage", usage}};
    return Reply::json(json::value(std::move(answer)));
  }
  auto chunk = [&](json::object delta, json::value finish_reason) {
    json::object c{
        {"id", id},
        {"object", "chat.completion.chunk"},
        {"created", created},
        {"model", model_name},
        {"choices", json::array{json::object{{"index", 0},
                                             {"delta", std::move(delta)},
                                             {"finish_reason", std::move(finish_reason)}}}}};
    return c;
  };
  std::vector<std::string> events;
  events.push_back(json::serialize(chunk({{"role", "assistant"}, {"content", ""}}, nullptr)));
  for (const std::string &p : pieces(content))
    events.push_back(json::serialize(chunk({{"content", p}}, nullptr)));
  json::object last = chunk({}, json::value(finish));
  if (mistral) last["usage"] = usage;  // Mistral always reports usage in its last chunk
  events.push_back(json::serialize(last));
  if (include_usage) {
    json::object u{{"id", id},
                   {"object", "chat.completion.chunk"},
                   {"created", created},
                   {"model", model_name},
                   {"choices", json::array{}},
                   {"usage", usage}};
    events.push_back(json::serialize(u));
  }
  events.push_back("[DONE]");
  return Reply::sse(events, Ms(2));
}

Reply FakeOpenAI::rate_limited(std::optional<int> retry_after_s,
                               std::optional<int> retry_after_ms) {
  Reply r = openai_error(429,
                         "Rate limit reached for gpt-test in organization org-x on requests per "
                         "min (RPM): Limit 3, Used 3, Requested 1.",
                         "requests", "rate_limit_exceeded");
  if (retry_after_s) r.with_header("Retry-After", std::to_string(*retry_after_s));
  if (retry_after_ms) r.with_header("retry-after-ms", std::to_string(*retry_after_ms));
  r.with_header("x-ratelimit-remaining-requests", "0");
  return r;
}

Reply FakeOpenAI::insufficient_quota() {
  return openai_error(429,
                      "You exceeded your current quota, please check your plan and billing "
                      "details.",
                      "insufficient_quota", "insufficient_quota");
}

Reply FakeOpenAI::invalid_api_key() {
  return openai_error(401,
                      "Incorrect API key provided: sk-wrong. You can find your API key at "
                      "https://platform.openai.com/account/api-keys.",
                      "invalid_request_error", "invalid_api_key");
}

Reply FakeOpenAI::mistral_rate_limited_plain() {
  return Reply::json(R"({"message":"Requests rate limit exceeded"})", 429);
}

Reply FakeOpenAI::mistral_rate_limited_object() {
  return Reply::json(
      R"({"object":"error","message":"Rate limit exceeded","type":"rate_limited","param":null,"code":"1300"})",
      429);
}

Reply FakeOpenAI::overloaded() {
  return openai_error(503, "The server is overloaded or not ready yet.", "server_error", nullptr);
}

}  // namespace automuse::testing
