// plugins/youtube/metadata_text.hpp — the offline title, description and tags of a Short,
// made from its script when no LLM writes them, within YouTube's limits (title <= 100
// characters, description <= 5,000 bytes, tags <= 500 characters in all).
#pragma once

#include <string>
#include <vector>

namespace youtube {

inline constexpr size_t kMaxTitleChars = 100;
inline constexpr size_t kMaxDescriptionBytes = 5000;
inline constexpr size_t kMaxTagsChars = 500;

// The title cut to 100 characters (at a word boundary when possible), emoji kept (YouTube
// shows them), no line breaks. Empty input gives an empty title.
std::string clamp_title(const std::string &title);

// A title from the script's first sentence.
std::string title_from_script(const std::string &script);

// The script's key words, most frequent first (stop words and short words left out), at
// most `max_tags`, lower case, total length within YouTube's 500 characters.
std::vector<std::string> key_words(const std::string &script, size_t max_tags = 12);

// The description: the script, then hashtags of the first tags and #shorts, within 5,000
// bytes (YouTube refuses angle brackets in descriptions: they are removed).
std::string description_from(const std::string &script, const std::vector<std::string> &tags);

}  // namespace youtube
