// plugins/afm/pitch_check.hpp — the rules a pitch must pass before it is shared: it fits its
// publisher (measured by the publisher's own rules, which afm asks for and never copies), it
// carries no link of its own, and it names no price that is not in the product's facts. Also
// the prompts that ask the LLM for a pitch and for a corrected one.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "facts.hpp"

namespace afm {

// A text as the publisher it is shared through counts it.
struct Measured {
  int length = 0;  // in the publisher's unit
  int links = 0;   // links the publisher recognises
};

// The publisher's rules for measuring a text (in the plugin: automuse.publish/1's text_length
// for the publisher the pitch is shared through).
using Measure = std::function<Measured(const std::string &text)>;

// What is shared: the body, the disclosure, then the tagged link on its own line.
std::string compose(const std::string &body, const std::string &disclosure,
                    const std::string &link);

// The longest body that still fits once composed.
int body_budget(int max_length, const std::string &disclosure, const std::string &link,
                const Measure &measure);

// Prices (a currency sign or code next to a number) mentioned in `text`, as written.
std::vector<std::string> prices_in(const std::string &text);

// Why `body` may not be shared, or nothing when it may: too long (with its measured length),
// a link of its own, or prices absent from the facts.
std::optional<std::string> problem_with(const std::string &body, const Facts &facts, int budget,
                                        const Measure &measure);

// True when the problem is only the length (the last resort may then cut the text).
bool only_too_long(const std::string &body, const Facts &facts, const Measure &measure);

// The model's answer tidied: trimmed, surrounding quotes and a "Pitch:" preamble removed.
std::string clean_answer(std::string answer);

// The system and user messages that ask for a pitch using only `facts`, at most `budget` long
// as publisher `publisher` counts it.
struct Prompt {
  std::string system, user;
};
Prompt pitch_prompt(const Facts &facts, const std::string &notes, const std::string &language,
                    int budget, const std::string &publisher);

}  // namespace afm
