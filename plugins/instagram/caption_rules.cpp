// plugins/instagram/caption_rules.cpp — counting a caption's characters, hashtags and mentions.
#include "caption_rules.hpp"

#include <automuse/cpp/error.hpp>
#include <cctype>

namespace instagram {

namespace {

constexpr size_t kMaxCharacters = 2200, kMaxHashtags = 30, kMaxMentions = 20;

// Code points of UTF-8 text (bytes that do not continue a sequence).
size_t characters(const std::string &text) {
  size_t n = 0;
  for (unsigned char c : text) n += (c & 0xC0) != 0x80;
  return n;
}

// Words starting with `mark` ("#" or "@") followed by a word character.
size_t marked_words(const std::string &text, char mark) {
  size_t n = 0;
  for (size_t i = 0; i + 1 < text.size(); ++i) {
    const bool starts = i == 0 || std::isspace(static_cast<unsigned char>(text[i - 1]));
    const unsigned char next = static_cast<unsigned char>(text[i + 1]);
    if (starts && text[i] == mark && (std::isalnum(next) || next == '_' || next >= 0x80)) ++n;
  }
  return n;
}

}  // namespace

void check_caption(const std::string &caption, const std::string &label) {
  const size_t chars = characters(caption), tags = marked_words(caption, '#'),
               mentions = marked_words(caption, '@');
  std::string broken;
  if (chars > kMaxCharacters)
    broken = std::to_string(chars) + " characters, Instagram takes at most 2200";
  else if (tags > kMaxHashtags)
    broken = std::to_string(tags) + " hashtags, Instagram takes at most 30";
  else if (mentions > kMaxMentions)
    broken = std::to_string(mentions) + " @-mentions, Instagram takes at most 20";
  if (!broken.empty())
    throw am::error(AM_INVALID_ARGUMENT,
                    label + ": the caption has " + broken + "; nothing was uploaded");
}

}  // namespace instagram
