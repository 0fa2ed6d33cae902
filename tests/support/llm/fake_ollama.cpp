// FakeOllama: /api/chat and /api/tags of Ollama's native API; see fake_ollama.hpp.
#include "support/llm/fake_ollama.hpp"

#include <boost/json.hpp>

#include "support/llm/fake_openai.hpp"

namespace automuse::testing {

namespace json = boost::json;

FakeOllama::FakeOllama(std::set<std::string> models) : models_(std::move(models)) {
  answer_ = [](const json::array &messages) {
    std::string last;
    for (const json::value &m : messages)
      if (m.at("role").as_string() == "user") last = std::string(m.at("content").as_string());
    return "Echo: " + last;
  };
  server_.route("POST", "/api/chat", [this](const ReceivedRequest &r) { return handle(r); });
  server_.route("GET", "/api/tags", [this](const ReceivedRequest &) {
    json::array list;
    for (const std::string &m : models_)
      list.push_back(json::object{{"name", m + ":latest"}, {"model", m + ":latest"}});
    return Reply::json(json::value(json::object{{"models", std::move(list)}}));
  });
}

std::string FakeOllama::base_url() const {
  return server_.url("/v1");
}

void FakeOllama::set_answer(std::function<std::string(const json::array &)> fn) {
  std::lock_guard lock(mutex_);
  answer_ = std::move(fn);
}

std::vector<json::value> FakeOllama::chat_bodies() const {
  std::lock_guard lock(mutex_);
  return bodies_;
}

Reply FakeOllama::handle(const ReceivedRequest &req) {
  boost::system::error_code ec;
  json::value body = json::parse(req.body, ec);
  std::lock_guard lock(mutex_);
  bodies_.push_back(ec ? json::value(nullptr) : body);
  if (ec || !body.is_object())
    return Reply::json(R"({"error":"invalid character 'x' looking for beginning of value"})", 400);
  const json::object &o = body.as_object();
  const json::value *model = o.if_contains("model");
  const json::value *messages = o.if_contains("messages");
  if (!model || !model->is_string() || model->as_string().empty())
    return Reply::json(R"({"error":"model is required"})", 400);
  std::string name(model->as_string());
  std::string base = name.substr(0, name.find(':'));
  if (!models_.count(base))
    return Reply::json(json::value(json::object{
                           {"error", "model \"" + name + "\" not found, try pulling it first"}}),
                       404);
  if (!messages || !messages->is_array())
    return Reply::json(R"({"error":"messages must be an array"})", 400);
  for (const json::value &m : messages->as_array()) {
    const json::object *mo = m.if_object();
    if (!mo || !mo->contains("role") || !mo->at("role").is_string() || !mo->contains("content") ||
        !mo->at("content").is_string())
      return Reply::json(R"({"error":"each message needs a role and a content string"})", 400);
  }
  bool stream = true;  // Ollama streams unless told not to
  if (const json::value *s = o.if_contains("stream"); s && s->is_bool()) stream = s->as_bool();
  int64_t num_predict = -1;
  if (const json::value *opts = o.if_contains("options"); opts && opts->is_object()) {
    if (const json::value *n = opts->as_object().if_contains("num_predict"); n && n->is_int64())
      num_predict = n->as_int64();
    if (opts->as_object().contains("max_tokens"))
      return Reply::json(R"({"error":"invalid option provided: max_tokens"})", 400);
  }
  std::string content = answer_(messages->as_array());
  std::string reason = "stop";
  if (num_predict >= 0 && fake_token_count(content) > num_predict) {
    // Cut to num_predict words.
    int64_t n = 0;
    bool in_word = false;
    for (size_t i = 0; i < content.size(); ++i) {
      bool space = content[i] == ' ' || content[i] == '\n';
      if (!space && !in_word && ++n > num_predict) {
        content.resize(i);
        break;
      }
      in_word = !space;
    }
    reason = "length";
  }
  int64_t prompt = 0;
  for (const json::value &m : messages->as_array())
    prompt += fake_token_count(m.at("content").as_string()) + 3;
  auto final_line = [&](std::string text) {
    return json::object{
        {"model", name},
        {"created_at", "2026-11-28T10:00:00.000000Z"},
        {"message", json::object{{"role", "assistant"}, {"content", std::move(text)}}},
        {"done", true},
        {"done_reason", reason},
        {"total_duration", 123456789},
        {"load_duration", 1234567},
        {"prompt_eval_count", prompt},
        {"prompt_eval_duration", 2345678},
        {"eval_count", fake_token_count(content)},
        {"eval_duration", 3456789}};
  };
  if (!stream) return Reply::json(json::value(final_line(content)));
  std::vector<std::string> lines;
  for (size_t i = 0; i < content.size(); i += 4) {
    json::object l{
        {"model", name},
        {"created_at", "2026-11-28T10:00:00.000000Z"},
        {"message", json::object{{"role", "assistant"}, {"content", content.substr(i, 4)}}},
        {"done", false}};
    lines.push_back(json::serialize(l) + "\n");
  }
  lines.push_back(json::serialize(final_line("")) + "\n");
  return Reply::chunked(std::move(lines), Ms(2), "application/x-ndjson");
}

}  // namespace automuse::testing
