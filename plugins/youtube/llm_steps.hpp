// plugins/youtube/llm_steps.hpp — what the plugin asks the LLM (topic, script, title/
// description/tags, image prompts) and how it cleans and checks the answers: scripts lose
// markdown, speaker labels and stage directions; structured answers are parsed against the
// shapes sent with the request and kept within YouTube's limits. Pure functions: the calls
// themselves are in service_calls, the steps in generate.
#pragma once

#include <string>
#include <vector>

#include "settings.hpp"

namespace youtube {

// Chat messages as JSON text ([{"role","content"}...]) for each step. The topic avoids the
// account's `recent` topics and titles.
std::string topic_messages(const Account &account, const std::vector<std::string> &recent);
// `messages` continued: the model's `answer`, then the user's `reply` to it.
std::string continued_messages(const std::string &messages, const std::string &answer,
                               const std::string &reply);
std::string script_messages(const Account &account, const std::string &topic, int sentences);
// Asks for a shorter version of `script`, whose speech measured `measured` seconds.
std::string shorten_messages(const Account &account, const std::string &script, double measured,
                             double max_seconds);
std::string metadata_messages(const Account &account, const std::string &topic,
                              const std::string &script);
std::string prompts_messages(const Account &account, const std::vector<std::string> &scene_texts);

// JSON shapes (automuse/llm.h's JSON Schema subset) for the structured steps.
std::string metadata_shape();
std::string prompts_shape(size_t count);

// One line, no quotes or "Topic:" label.
std::string clean_topic(const std::string &answer);
// Plain spoken sentences: markdown, headings, speaker labels ("Narrator:"), stage directions
// ("[Music]", "(pause)", "*smiles*") and emoji-only lines removed. Empty when nothing is left.
std::string clean_script(const std::string &answer);

struct LlmMetadata {
  std::string title;
  std::string description;
  std::vector<std::string> tags;
};
// Parses the metadata step's JSON, within YouTube's limits. Throws am::error(AM_ERROR).
LlmMetadata parse_metadata(const std::string &json_text);
// Parses the prompts step's JSON: exactly `count` non-empty prompts. Throws am::error(AM_ERROR).
std::vector<std::string> parse_prompts(const std::string &json_text, size_t count);

}  // namespace youtube
