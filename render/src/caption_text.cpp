// The captions' text rules (see automuse_render/captions.h): emoji by ICU's character
// properties, sentence ends by the last mark that is not a closing quote, bracket or emoji.
#include <unicode/uchar.h>
#include <unicode/utf8.h>

#include <vector>

#include "automuse_render/captions.h"

namespace automuse::render {
namespace {

// Emoji and their glue: pictographs, skin tones, flags' regional indicators, variation
// selectors, the zero-width joiner, the keycap mark and tag characters.
bool is_emoji_part(UChar32 cp) {
  return u_hasBinaryProperty(cp, UCHAR_EMOJI_PRESENTATION) ||
         u_hasBinaryProperty(cp, UCHAR_EXTENDED_PICTOGRAPHIC) ||
         u_hasBinaryProperty(cp, UCHAR_EMOJI_MODIFIER) ||
         u_hasBinaryProperty(cp, UCHAR_REGIONAL_INDICATOR) ||
         u_hasBinaryProperty(cp, UCHAR_VARIATION_SELECTOR) || cp == 0x200D || cp == 0x20E3 ||
         (cp >= 0xE0020 && cp <= 0xE007F);
}

struct CodePoint {
  UChar32 cp;
  size_t begin, end;  // bytes
};

std::vector<CodePoint> code_points(std::string_view s) {
  std::vector<CodePoint> out;
  int32_t i = 0;
  const auto n = static_cast<int32_t>(s.size());
  while (i < n) {
    const int32_t at = i;
    UChar32 cp;
    U8_NEXT(s.data(), i, n, cp);
    out.push_back({cp, static_cast<size_t>(at), static_cast<size_t>(i)});
  }
  return out;
}

// A keycap ("1️⃣"): the digit, '#' or '*' before an optional VS16 and U+20E3 is part of it.
bool starts_keycap(const std::vector<CodePoint> &cps, size_t k) {
  const UChar32 c = cps[k].cp;
  if (!((c >= '0' && c <= '9') || c == '#' || c == '*')) return false;
  size_t next = k + 1;
  if (next < cps.size() && cps[next].cp == 0xFE0F) ++next;
  return next < cps.size() && cps[next].cp == 0x20E3;
}

bool is_space(UChar32 cp) {
  return cp >= 0 && u_isUWhiteSpace(cp);
}

// Marks that attach to the text before them rather than stand alone.
bool is_closing_mark(UChar32 cp) {
  return cp == '.' || cp == ',' || cp == '!' || cp == '?' || cp == ';' || cp == ':' || cp == ')' ||
         cp == ']' || cp == '"' || cp == '\'' || cp == 0x2026 || cp == 0x201D || cp == 0x2019 ||
         cp == 0xBB || cp == 0x3002 || cp == 0xFF01 || cp == 0xFF1F || cp == 0xFF0C ||
         cp == 0x3001 || cp == 0x0964;
}

bool is_sentence_mark(UChar32 cp) {
  return cp == '.' || cp == '!' || cp == '?' || cp == 0x2026 || cp == 0x3002 || cp == 0xFF01 ||
         cp == 0xFF1F || cp == 0x0964;
}

bool is_closing_quote(UChar32 cp) {
  return cp == '"' || cp == '\'' || cp == ')' || cp == ']' || cp == 0x201D || cp == 0x2019 ||
         cp == 0xBB;
}

}  // namespace

std::string caption_text(std::string_view word) {
  const std::vector<CodePoint> cps = code_points(word);
  std::string out;
  bool space = false;        // whitespace (or a dropped emoji) since the last character kept
  bool after_emoji = false;  // ... and an emoji was among it
  for (size_t k = 0; k < cps.size(); ++k) {
    const UChar32 cp = cps[k].cp;
    if (cp < 0) continue;  // invalid UTF-8
    if (is_emoji_part(cp) || starts_keycap(cps, k)) {
      after_emoji = true;
      continue;
    }
    if (is_space(cp)) {
      space = true;
      continue;
    }
    // "week ⏰." -> "week.": a mark the emoji stood before goes back to its word.
    const bool glue = after_emoji && is_closing_mark(cp);
    if (!out.empty() && (space || after_emoji) && !glue) out += ' ';
    out.append(word.substr(cps[k].begin, cps[k].end - cps[k].begin));
    space = after_emoji = false;
  }
  return out;
}

bool ends_sentence(std::string_view word) {
  const std::vector<CodePoint> cps = code_points(word);
  for (size_t k = cps.size(); k-- > 0;) {
    const UChar32 cp = cps[k].cp;
    if (cp < 0 || is_space(cp) || is_emoji_part(cp) || is_closing_quote(cp)) continue;
    return is_sentence_mark(cp);
  }
  return false;
}

}  // namespace automuse::render
