// plugins/afm/pitch_check.hpp — the rules a pitch must pass before it is shared: it fits its
// publisher (for X: 280 weighted characters with the link counted as 23, by the twitter
// plugin's own rule), it carries no link of its own, and it names no price that is not in the
// product's facts. Also the prompts that ask the LLM for a pitch and for a corrected one.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "facts.hpp"

namespace afm {

// How long a pitch may be for `publisher_plugin`, measured with measure(): X's 280 for
// twitter, `other_max` for anything else.
int max_length_for(const std::string &publisher_plugin, int other_max);

// X's weighted length (NFC; URLs 23; light code points 1, others 2; emoji 2).
int measure(const std::string &text);

// What is shared: the body, the disclosure, then the tagged link on its own line.
std::string compose(const std::string &body, const std::string &disclosure,
                    const std::string &link);

// The longest body that still fits once composed.
int body_budget(int max_length, const std::string &disclosure, const std::string &link);

// Prices (a currency sign or code next to a number) mentioned in `text`, as written.
std::vector<std::string> prices_in(const std::string &text);

// Why `body` may not be shared, or nothing when it may: too long (with its measured length),
// a link of its own, or prices absent from the facts.
std::optional<std::string> problem_with(const std::string &body, const Facts &facts, int budget);

// True when the problem is only the length (the last resort may then cut the text).
bool only_too_long(const std::string &body, const Facts &facts);

// The model's answer tidied: trimmed, surrounding quotes and a "Pitch:" preamble removed.
std::string clean_answer(std::string answer);

// The system and user messages that ask for a pitch using only `facts`.
struct Prompt {
  std::string system, user;
};
Prompt pitch_prompt(const Facts &facts, const std::string &notes, const std::string &language,
                    int budget);

}  // namespace afm
