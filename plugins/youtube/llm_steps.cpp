// plugins/youtube/llm_steps.cpp — LLM prompts for each step and cleaning of the answers.
#include "llm_steps.hpp"

#include <algorithm>
#include <automuse/cpp/error.hpp>
#include <boost/json.hpp>
#include <cctype>
#include <cstdio>
#include <sstream>

#include "metadata_text.hpp"
#include "recent_history.hpp"
#include "script_text.hpp"
#include "text.hpp"  // plugins/plugin_support

namespace youtube {
namespace json = boost::json;
using plugin_support::trim;

namespace {

std::string messages(const std::string &system, const std::string &user) {
  json::array a;
  a.push_back(json::object{{"role", "system"}, {"content", system}});
  a.push_back(json::object{{"role", "user"}, {"content", user}});
  return json::serialize(a);
}

std::string language_line(const Account &a) {
  return "Write in the language with the code '" + a.language + "'.";
}

// Removes every [..] and (..) span, and *..* spans of a few words (stage directions).
std::string drop_directions(const std::string &line) {
  std::string out;
  int square = 0, round = 0;
  for (size_t i = 0; i < line.size(); ++i) {
    char c = line[i];
    if (c == '[')
      ++square;
    else if (c == ']' && square > 0)
      --square;
    else if (c == '(')
      ++round;
    else if (c == ')' && round > 0)
      --round;
    else if (square == 0 && round == 0)
      out += c;
  }
  // A line that is one *action* is a stage direction; elsewhere asterisks are emphasis.
  std::string res = out;
  size_t b = res.find_first_not_of(' '), e = res.find_last_not_of(' ');
  if (b != std::string::npos && e > b && res[b] == '*' && res[e] == '*' &&
      std::count(res.begin(), res.end(), '*') == 2)
    return {};
  std::string clean;
  for (char c : res) {
    if (c == '*' || c == '_' || c == '#' || c == '`') continue;
    if (c == ' ' && !clean.empty() && clean.back() == ' ') continue;  // gaps left by removals
    clean += c;
  }
  return clean;
}

}  // namespace

std::string topic_messages(const Account &a, const std::vector<std::string> &recent) {
  const std::string avoid = fresh_content::avoid_instruction(recent, "videos");
  return messages(
      "You plan YouTube Shorts. Answer with one specific video idea in one sentence, nothing "
      "else: no quotes, no label, no list.",
      "Give one specific, surprising idea for a YouTube Short in the niche '" + a.niche + "'. " +
          language_line(a) + (avoid.empty() ? "" : "\n\n" + avoid));
}

std::string continued_messages(const std::string &messages, const std::string &answer,
                               const std::string &reply) {
  json::array a = json::parse(messages).as_array();
  a.push_back(json::object{{"role", "assistant"}, {"content", answer}});
  a.push_back(json::object{{"role", "user"}, {"content", reply}});
  return json::serialize(a);
}

std::string script_messages(const Account &a, const std::string &topic, int sentences) {
  const int n = sentences > 0 ? sentences : 6;
  return messages(
      "You write voice-over scripts for YouTube Shorts. Answer with the spoken text only: plain "
      "sentences, no markdown, no title, no headings, no speaker names, no stage directions, no "
      "emoji, no hashtags.",
      "Write a script of exactly " + std::to_string(n) + " short sentences about: " + topic +
          ". Hook the viewer in the first sentence. It must take under 50 seconds to say. " +
          language_line(a));
}

std::string shorten_messages(const Account &a, const std::string &script, double measured,
                             double max_seconds) {
  char buf[160];
  std::snprintf(buf, sizeof buf,
                "This script takes %.1f seconds to say, but a Short may last at most %.0f "
                "seconds. Shorten it to about %.0f seconds, keeping the hook.",
                measured, max_seconds, max_seconds * 0.8);
  return messages(
      "You edit voice-over scripts for YouTube Shorts. Answer with the spoken text only: plain "
      "sentences, no markdown, no stage directions, no emoji.",
      std::string(buf) + " " + language_line(a) + "\n\n" + script);
}

std::string metadata_messages(const Account &a, const std::string &topic,
                              const std::string &script) {
  return messages(
      "You write YouTube metadata. Answer with JSON only: {\"title\": string of at most 90 "
      "characters, \"description\": string of at most 600 characters ending with 2-3 "
      "hashtags, \"tags\": array of 5 to 12 short lowercase strings}.",
      "Topic: " + topic + "\nNiche: " + a.niche + "\n" + language_line(a) + "\nScript:\n" + script);
}

std::string prompts_messages(const Account &a, const std::vector<std::string> &scene_texts) {
  std::string list;
  for (size_t i = 0; i < scene_texts.size(); ++i)
    list += std::to_string(i + 1) + ". " + scene_texts[i] + "\n";
  return messages(
      "You write prompts for an image generator, one vertical picture per scene of a YouTube "
      "Short. Answer with JSON only: {\"prompts\": [one English prompt per scene, in order]}. "
      "Each prompt describes a concrete scene: subject, setting, light, style; no text in the "
      "image.",
      "Niche: " + a.niche + "\nScenes (" + std::to_string(scene_texts.size()) + "):\n" + list);
}

std::string metadata_shape() {
  return R"({"type":"object","properties":{"title":{"type":"string","minLength":1},)"
         R"("description":{"type":"string","minLength":1},)"
         R"("tags":{"type":"array","items":{"type":"string","minLength":1},"minItems":1}},)"
         R"("required":["title","description","tags"]})";
}

std::string prompts_shape(size_t count) {
  const std::string n = std::to_string(count);
  return R"({"type":"object","properties":{"prompts":{"type":"array","items":{"type":"string",)"
         R"("minLength":3},"minItems":)" +
         n + R"(,"maxItems":)" + n + R"(}},"required":["prompts"]})";
}

std::string clean_topic(const std::string &answer) {
  std::string t(trim(answer));
  if (size_t nl = t.find('\n'); nl != std::string::npos) t = trim(t.substr(0, nl));
  for (const char *label : {"Topic:", "Idea:", "Video idea:"})
    if (t.rfind(label, 0) == 0) t = trim(t.substr(std::string(label).size()));
  t = drop_directions(t);
  while (!t.empty() && (t.front() == '"' || t.front() == '\'')) t.erase(0, 1);
  while (!t.empty() && (t.back() == '"' || t.back() == '\'')) t.pop_back();
  return std::string(trim(t));
}

std::string clean_script(const std::string &answer) {
  std::istringstream in(answer);
  std::string line, out;
  while (std::getline(in, line)) {
    std::string t(trim(line));
    if (t.empty() || t.rfind("#", 0) == 0 || t == "---") continue;
    t = trim(drop_directions(t));
    // Speaker labels and section labels: "Narrator:", "Scene 1:", "Voiceover:".
    if (size_t colon = t.find(':'); colon != std::string::npos && colon < 24) {
      std::string label = t.substr(0, colon);
      bool is_label = !label.empty() && label.find_first_of(".!?,") == std::string::npos &&
                      std::count(label.begin(), label.end(), ' ') <= 2;
      if (is_label) t = trim(t.substr(colon + 1));
    }
    // List markers.
    if (t.size() > 2 && (t[0] == '-' || t[0] == '*') && t[1] == ' ') t = trim(t.substr(2));
    if (t.size() > 3 && std::isdigit(static_cast<unsigned char>(t[0])) && t[1] == '.' &&
        t[2] == ' ')
      t = trim(t.substr(3));
    if (strip_emoji(t).empty()) continue;
    if (!out.empty()) out += '\n';
    out += t;
  }
  return out;
}

LlmMetadata parse_metadata(const std::string &text) {
  boost::system::error_code ec;
  json::value v = json::parse(text, ec);
  if (ec || !v.is_object()) throw am::error(AM_ERROR, "LLM metadata: not a JSON object");
  const json::object &o = v.as_object();
  LlmMetadata m;
  auto str = [&](const char *k) {
    auto *x = o.if_contains(k);
    if (!x || !x->is_string()) throw am::error(AM_ERROR, std::string("LLM metadata: no ") + k);
    return std::string(x->as_string());
  };
  m.title = clamp_title(str("title"));
  std::string d = str("description");
  std::string safe;
  for (char c : d)
    if (c != '<' && c != '>') safe += c;
  m.description = truncate_utf8(safe, kMaxDescriptionBytes);
  if (auto *t = o.if_contains("tags"); t && t->is_array()) {
    size_t total = 0;
    for (const auto &x : t->as_array()) {
      if (!x.is_string()) continue;
      std::string tag(trim(x.as_string()));
      if (!tag.empty() && tag[0] == '#') tag.erase(0, 1);
      if (tag.empty()) continue;
      size_t cost = utf8_length(tag) + (m.tags.empty() ? 0 : 1);
      if (total + cost > kMaxTagsChars) break;
      total += cost;
      m.tags.push_back(tag);
    }
  }
  if (m.title.empty()) throw am::error(AM_ERROR, "LLM metadata: empty title");
  return m;
}

std::vector<std::string> parse_prompts(const std::string &text, size_t count) {
  boost::system::error_code ec;
  json::value v = json::parse(text, ec);
  const json::array *a = nullptr;
  if (!ec && v.is_object())
    if (auto *p = v.as_object().if_contains("prompts")) a = p->if_array();
  if (!a) throw am::error(AM_ERROR, "LLM image prompts: no \"prompts\" array");
  std::vector<std::string> out;
  for (const auto &x : *a)
    if (x.is_string() && !trim(x.as_string()).empty()) out.emplace_back(trim(x.as_string()));
  if (out.size() != count)
    throw am::error(AM_ERROR, "LLM image prompts: expected " + std::to_string(count) + ", got " +
                                  std::to_string(out.size()));
  return out;
}

}  // namespace youtube
