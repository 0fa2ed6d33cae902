// host/speech/script_text.cpp — script cleaning with ICU's character properties (what is an
// emoji, what is a letter) and Boost.URL (which part of a link is its domain); where a sentence
// ends is the captions' rule (automuse_render/captions.h), so speech and captions agree.
#include "speech/script_text.hpp"

#include <automuse_render/captions.h>
#include <unicode/uchar.h>
#include <unicode/utf8.h>

#include <algorithm>
#include <boost/url/parse.hpp>

namespace automuse::speech {
namespace {

bool is_space_at(std::string_view s, size_t i, size_t *len) {
  unsigned char c = static_cast<unsigned char>(s[i]);
  if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v') {
    *len = 1;
    return true;
  }
  if (c < 0x80) return false;
  int32_t at = static_cast<int32_t>(i);
  UChar32 cp;
  U8_NEXT(s.data(), at, static_cast<int32_t>(s.size()), cp);
  if (cp >= 0 && u_isUWhiteSpace(cp)) {
    *len = static_cast<size_t>(at) - i;
    return true;
  }
  return false;
}

// Emoji and their glue (skin tones, variation selectors, joiners, keycaps, flags, tags): not
// spoken. Digits, '#' and '*' are emoji components too but stay: they are text.
bool is_emoji_part(UChar32 cp) {
  return u_hasBinaryProperty(cp, UCHAR_EXTENDED_PICTOGRAPHIC) ||
         u_hasBinaryProperty(cp, UCHAR_EMOJI_MODIFIER) ||
         u_hasBinaryProperty(cp, UCHAR_REGIONAL_INDICATOR) ||
         u_hasBinaryProperty(cp, UCHAR_VARIATION_SELECTOR) || cp == 0x200D || cp == 0x20E3 ||
         (cp >= 0xE0020 && cp <= 0xE007F);
}

bool starts_with_ci(std::string_view s, std::string_view prefix) {
  if (s.size() < prefix.size()) return false;
  for (size_t i = 0; i < prefix.size(); ++i)
    if (std::tolower(static_cast<unsigned char>(s[i])) != prefix[i]) return false;
  return true;
}

// "https://www.example.com/a?b" -> "example.com"; empty when `core` is not a link.
std::string link_domain(std::string_view core) {
  std::string uri;
  if (starts_with_ci(core, "http://") || starts_with_ci(core, "https://"))
    uri = std::string(core);
  else if (starts_with_ci(core, "www."))
    uri = "http://" + std::string(core);
  else
    return {};
  auto parsed = boost::urls::parse_uri(uri);
  if (!parsed || parsed->encoded_host().empty()) return {};
  std::string host(parsed->encoded_host());
  if (starts_with_ci(host, "www.")) host.erase(0, 4);
  return host;
}

constexpr std::string_view kLeadingPunct = "\"'([{\xC2\xAB";  // also «'s lead byte
constexpr std::string_view kTrailingPunct = ".,;:!?)]}\"'";

// Removes emoji and markup from a word; keeps everything else as written.
std::string clean_word(std::string_view word) {
  std::string out;
  int32_t i = 0, n = static_cast<int32_t>(word.size());
  while (i < n) {
    int32_t at = i;
    UChar32 cp;
    U8_NEXT(word.data(), i, n, cp);
    if (cp < 0) continue;  // invalid UTF-8: drop the byte
    if (is_emoji_part(cp)) continue;
    if (cp == '*' || cp == '_' || cp == '`' || cp == '~') continue;
    if ((cp == '#' || cp == '@') && out.empty()) continue;  // hashtags and mentions
    out.append(word.substr(static_cast<size_t>(at), static_cast<size_t>(i - at)));
  }
  return out;
}

bool has_alnum(std::string_view s) {
  int32_t i = 0, n = static_cast<int32_t>(s.size());
  while (i < n) {
    UChar32 cp;
    U8_NEXT(s.data(), i, n, cp);
    if (cp >= 0 && u_isalnum(cp)) return true;
  }
  return false;
}

// The last code point of s that is not a closing quote or bracket.
UChar32 last_meaningful(std::string_view s) {
  int32_t i = static_cast<int32_t>(s.size());
  while (i > 0) {
    UChar32 cp;
    U8_PREV(s.data(), 0, i, cp);
    if (cp == '"' || cp == '\'' || cp == ')' || cp == ']' || cp == 0x201D || cp == 0x2019 ||
        cp == 0xBB)
      continue;
    return cp;
  }
  return 0;
}

bool is_sentence_mark(UChar32 cp) {
  return cp == '.' || cp == '!' || cp == '?' || cp == 0x2026 || cp == 0x3002 || cp == 0xFF01 ||
         cp == 0xFF1F || cp == 0x0964;
}
bool is_clause_mark(UChar32 cp) {
  return cp == ',' || cp == ';' || cp == ':' || cp == 0x2014 || cp == 0x2013 || cp == 0xFF0C ||
         cp == 0x3001;
}

std::string spoken_form(std::string_view word) {
  size_t lead = 0;
  while (lead < word.size() && kLeadingPunct.find(word[lead]) != std::string_view::npos) ++lead;
  size_t trail = word.size();
  while (trail > lead && kTrailingPunct.find(word[trail - 1]) != std::string_view::npos) --trail;
  std::string domain = link_domain(word.substr(lead, trail - lead));
  std::string spoken;
  if (!domain.empty())
    spoken = std::string(word.substr(0, lead)) + domain + std::string(word.substr(trail));
  else
    spoken = clean_word(word);
  return has_alnum(spoken) ? spoken : std::string();
}

}  // namespace

size_t count_code_points(std::string_view s) {
  size_t n = 0;
  for (char c : s)
    if ((static_cast<unsigned char>(c) & 0xC0) != 0x80) ++n;
  return n;
}

std::vector<ScriptWord> split_script(std::string_view script) {
  std::vector<ScriptWord> words;
  // The spoken word that unspoken words after it on its line are shown with (kNone: none).
  constexpr size_t kNone = static_cast<size_t>(-1);
  size_t shown_with = kNone;
  size_t i = 0;
  while (i < script.size()) {
    size_t len = 0;
    if (is_space_at(script, i, &len)) {
      // A line break after a word without its own stop still ends its sentence: headings
      // and list items should not run into the next line.
      if (script[i] == '\n') {
        shown_with = kNone;
        if (!words.empty() && !words.back().sentence_end) {
          ScriptWord &w = words.back();
          w.sentence_end = w.clause_end = true;
          if (w.speaks() && !is_sentence_mark(last_meaningful(w.spoken)) &&
              !is_clause_mark(last_meaningful(w.spoken)))
            w.spoken += '.';
        }
      }
      i += len;
      continue;
    }
    size_t start = i;
    while (i < script.size() && !is_space_at(script, i, &len)) ++i;
    ScriptWord w;
    w.begin = start;
    w.end = w.shown_end = i;
    w.text = w.shown = std::string(script.substr(start, i - start));
    w.spoken = spoken_form(w.text);
    w.sentence_end = render::ends_sentence(w.text);
    w.clause_end = w.sentence_end || is_clause_mark(last_meaningful(w.text));
    if (w.speaks()) {
      shown_with = words.size();
    } else if (shown_with != kNone && w.clause_end) {
      // "my week ⏰." — an unspoken word carrying a mark is shown with the spoken word before it
      // on its line, and the mark ends that word's clause or sentence too.
      ScriptWord &prev = words[shown_with];
      prev.shown_end = w.end;
      prev.shown = std::string(script.substr(prev.begin, w.end - prev.begin));
      if (!is_sentence_mark(last_meaningful(prev.spoken)))
        prev.spoken += std::string(w.sentence_end ? "." : ",");
      prev.sentence_end = prev.sentence_end || w.sentence_end;
      prev.clause_end = true;
    }
    words.push_back(std::move(w));
  }
  return words;
}

std::vector<std::pair<size_t, size_t>> sentence_ranges(const std::vector<ScriptWord> &words) {
  std::vector<std::pair<size_t, size_t>> out;
  size_t first = 0;
  for (size_t i = 0; i < words.size(); ++i) {
    if (words[i].sentence_end || i + 1 == words.size()) {
      out.emplace_back(first, i + 1);
      first = i + 1;
    }
  }
  return out;
}

SpeechText make_speech_text(const std::vector<ScriptWord> &words, size_t first, size_t last) {
  SpeechText st;
  int position = 1;
  for (size_t i = first; i < last && i < words.size(); ++i) {
    if (!words[i].speaks()) continue;
    if (!st.text.empty()) {
      st.text += ' ';
      ++position;
    }
    st.word_index.push_back(i);
    st.char_position.push_back(position);
    st.text += words[i].spoken;
    position += static_cast<int>(count_code_points(words[i].spoken));
  }
  return st;
}

size_t SpeechText::word_for_position(int position) const {
  auto it = std::upper_bound(char_position.begin(), char_position.end(), position);
  if (it == char_position.begin()) return 0;
  return static_cast<size_t>(it - char_position.begin()) - 1;
}

}  // namespace automuse::speech
