// plugins/youtube/script_text.cpp — sentence splitting, emoji removal, UTF-8 helpers.
#include "script_text.hpp"

namespace youtube {

char32_t next_code_point(std::string_view s, size_t &i) {
  const auto b0 = static_cast<unsigned char>(s[i]);
  auto cont = [&](size_t k) {
    return i + k < s.size() && (static_cast<unsigned char>(s[i + k]) & 0xC0) == 0x80;
  };
  auto bits = [&](size_t k) {
    return static_cast<char32_t>(static_cast<unsigned char>(s[i + k]) & 0x3F);
  };
  char32_t cp = 0xFFFD;
  size_t n = 1;
  if (b0 < 0x80) {
    cp = b0;
  } else if ((b0 & 0xE0) == 0xC0 && cont(1)) {
    cp = (static_cast<char32_t>(b0 & 0x1F) << 6) | bits(1), n = 2;
  } else if ((b0 & 0xF0) == 0xE0 && cont(1) && cont(2)) {
    cp = (static_cast<char32_t>(b0 & 0x0F) << 12) | (bits(1) << 6) | bits(2), n = 3;
  } else if ((b0 & 0xF8) == 0xF0 && cont(1) && cont(2) && cont(3)) {
    cp = (static_cast<char32_t>(b0 & 0x07) << 18) | (bits(1) << 12) | (bits(2) << 6) | bits(3);
    n = 4;
  }
  i += n;
  return cp;
}

size_t utf8_length(std::string_view text) {
  size_t n = 0;
  for (unsigned char c : text) n += (c & 0xC0) != 0x80;
  return n;
}

std::string truncate_utf8(std::string_view text, size_t max_bytes) {
  if (text.size() <= max_bytes) return std::string(text);
  size_t cut = max_bytes;
  while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;
  return std::string(text.substr(0, cut));
}

std::string normalise_script(std::string text) {
  if (text.rfind("\xEF\xBB\xBF", 0) == 0) text.erase(0, 3);
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '\r') {
      if (i + 1 < text.size() && text[i + 1] == '\n') continue;
      out += '\n';
    } else {
      out += text[i];
    }
  }
  size_t b = out.find_first_not_of(" \t\n");
  if (b == std::string::npos) return {};
  size_t e = out.find_last_not_of(" \t\n");
  return out.substr(b, e - b + 1);
}

std::vector<Sentence> split_sentences(std::string_view s) {
  std::vector<Sentence> out;
  auto emit = [&](size_t b, size_t e) {
    while (b < e && (s[b] == ' ' || s[b] == '\t' || s[b] == '\n')) ++b;
    while (e > b && (s[e - 1] == ' ' || s[e - 1] == '\t' || s[e - 1] == '\n')) --e;
    if (b >= e) return;
    Sentence sentence{std::string(s.substr(b, e - b)), b, e, 0};
    bool in_word = false;
    for (char c : sentence.text) {
      bool space = c == ' ' || c == '\t' || c == '\n';
      if (!space && !in_word) ++sentence.words;
      in_word = !space;
    }
    // A sentence of emoji alone says nothing: fold it into the previous one.
    if (strip_emoji(sentence.text).empty() && !out.empty()) {
      out.back().end = e;
      out.back().text = std::string(s.substr(out.back().begin, e - out.back().begin));
      return;
    }
    out.push_back(std::move(sentence));
  };
  size_t start = 0;
  for (size_t i = 0; i < s.size(); ++i) {
    const char c = s[i];
    bool boundary = false;
    size_t after = i + 1;
    if (c == '\n') {
      boundary = true;
    } else if (c == '.' || c == '!' || c == '?') {
      while (after < s.size() && (s[after] == '.' || s[after] == '!' || s[after] == '?' ||
                                  s[after] == '"' || s[after] == '\'' || s[after] == ')'))
        ++after;
      boundary = after >= s.size() || s[after] == ' ' || s[after] == '\n';
    } else if (s.compare(i, 3, "\xE2\x80\xA6") == 0) {  // …
      after = i + 3;
      boundary = after >= s.size() || s[after] == ' ' || s[after] == '\n';
    }
    if (boundary) {
      emit(start, after);
      start = after;
      i = after - 1;
    }
  }
  emit(start, s.size());
  return out;
}

bool is_emoji(char32_t cp) {
  return (cp >= 0x1F000 && cp <= 0x1FAFF) ||  // pictographs, emoticons, transport, flags...
         (cp >= 0x2600 && cp <= 0x27BF) ||    // misc symbols and dingbats
         (cp >= 0x2300 && cp <= 0x23FF) ||    // watch, hourglass, media keys
         (cp >= 0x2B00 && cp <= 0x2BFF) ||    // stars, arrows used as emoji
         (cp >= 0xFE00 && cp <= 0xFE0F) ||    // variation selectors
         (cp >= 0xE0000 && cp <= 0xE007F) ||  // tag sequences (subdivision flags)
         cp == 0x200D || cp == 0x20E3 ||      // zero-width joiner, keycap
         cp == 0x2139 || cp == 0x3030 || cp == 0x303D || cp == 0x3297 || cp == 0x3299 ||
         cp == 0xFFFD;  // an invalid byte: nothing a viewer should see
}

std::string strip_emoji(std::string_view text) {
  std::string out;
  size_t i = 0;
  while (i < text.size()) {
    size_t at = i;
    char32_t cp = next_code_point(text, i);
    if (is_emoji(cp)) continue;
    bool space = cp == ' ' || cp == '\t' || cp == '\n';
    if (space) {
      if (!out.empty() && out.back() != ' ') out += ' ';
      continue;
    }
    out.append(text.substr(at, i - at));
  }
  while (!out.empty() && out.back() == ' ') out.pop_back();
  return out;
}

}  // namespace youtube
