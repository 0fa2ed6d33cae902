// plugins/youtube/metadata_text.cpp — offline title, description and tags.
#include "metadata_text.hpp"

#include <algorithm>
#include <cctype>
#include <map>
#include <set>

#include "script_text.hpp"

namespace youtube {

namespace {

const std::set<std::string> &stop_words() {
  static const std::set<std::string> kWords = {
      "about",     "above",   "after",    "again",   "against",  "almost", "also",    "although",
      "always",    "among",   "another",  "anyone",  "anything", "around", "because", "been",
      "before",    "being",   "below",    "between", "both",     "but",    "can",     "cannot",
      "could",     "does",    "doing",    "down",    "during",   "each",   "even",    "ever",
      "every",     "from",    "further",  "have",    "having",   "here",   "into",    "itself",
      "just",      "know",    "like",     "little",  "made",     "make",   "many",    "might",
      "more",      "most",    "much",     "must",    "never",    "next",   "once",    "only",
      "other",     "over",    "own",      "really",  "same",     "should", "since",   "some",
      "something", "still",   "such",     "than",    "that",     "their",  "them",    "then",
      "there",     "these",   "they",     "thing",   "things",   "this",   "those",   "through",
      "under",     "until",   "very",     "want",    "were",     "what",   "when",    "where",
      "which",     "while",   "will",     "with",    "without",  "would",  "your",    "yours",
      "yourself",  "youre",   "dont",     "doesnt",  "isnt",     "arent",  "wont",    "cant",
      "didnt",     "theyre",  "thats",    "heres",   "theres",   "whats",  "lets",    "look",
      "looks",     "time",    "takes",    "take",    "gets",     "keep",   "keeps",   "well",
      "back",      "first",   "last",     "three",   "four",     "five",   "seven",   "eight",
      "nine",      "hundred", "thousand", "million", "billion",  "called", "comes",   "goes"};
  return kWords;
}

std::string one_line(const std::string &s) {
  std::string out;
  for (char c : s) out += (c == '\n' || c == '\r' || c == '\t') ? ' ' : c;
  return out;
}

}  // namespace

std::string clamp_title(const std::string &title) {
  std::string t = one_line(title);
  size_t b = t.find_first_not_of(' ');
  if (b == std::string::npos) return {};
  t = t.substr(b, t.find_last_not_of(' ') - b + 1);
  if (utf8_length(t) <= kMaxTitleChars) return t;
  // Cut by code points, then back to the last space if that keeps most of it.
  size_t i = 0, n = 0;
  while (i < t.size() && n < kMaxTitleChars - 1) {
    next_code_point(t, i);
    ++n;
  }
  std::string cut = t.substr(0, i);
  if (size_t sp = cut.find_last_of(' '); sp != std::string::npos && sp > cut.size() / 2)
    cut.resize(sp);
  return cut + "\xE2\x80\xA6";  // …
}

std::string title_from_script(const std::string &script) {
  auto sentences = split_sentences(script);
  if (sentences.empty()) return {};
  std::string first = sentences.front().text;
  while (!first.empty() && (first.back() == '.' || first.back() == ' ')) first.pop_back();
  return clamp_title(first);
}

std::vector<std::string> key_words(const std::string &script, size_t max_tags) {
  std::map<std::string, int> counts;
  std::map<std::string, size_t> first_seen;
  std::string word;
  size_t order = 0;
  auto flush = [&] {
    if (word.size() >= 4 && !stop_words().count(word) &&
        !std::all_of(word.begin(), word.end(), [](unsigned char c) { return std::isdigit(c); })) {
      if (!counts.count(word)) first_seen[word] = order++;
      ++counts[word];
    }
    word.clear();
  };
  size_t i = 0;
  std::string stripped = strip_emoji(script);
  // Links are not key words: drop every whitespace-separated token that is one.
  for (const char *scheme : {"https://", "http://", "www."}) {
    for (size_t at = stripped.find(scheme); at != std::string::npos;
         at = stripped.find(scheme, at)) {
      size_t end = stripped.find_first_of(" \n\t", at);
      stripped.erase(at, end == std::string::npos ? std::string::npos : end - at);
    }
  }
  while (i < stripped.size()) {
    size_t at = i;
    char32_t cp = next_code_point(stripped, i);
    if (cp < 0x80) {
      auto c = static_cast<unsigned char>(cp);
      if (std::isalnum(c)) {
        word += static_cast<char>(std::tolower(c));
      } else if (c == '\'' || c == '-') {
        // "don't" -> "dont"; "deep-sea" -> "deepsea" would read oddly: split at hyphens.
        if (c == '-') flush();
      } else {
        flush();
      }
    } else if (cp == 0x2019) {  // ’ inside a word
    } else {
      word.append(stripped.substr(at, i - at));  // letters of other scripts, kept as written
    }
  }
  flush();
  std::vector<std::string> words;
  for (auto &[w, c] : counts) words.push_back(w);
  std::sort(words.begin(), words.end(), [&](const std::string &a, const std::string &b) {
    if (counts[a] != counts[b]) return counts[a] > counts[b];
    return first_seen[a] < first_seen[b];
  });
  std::vector<std::string> tags;
  size_t total = 0;
  for (const auto &w : words) {
    if (tags.size() >= max_tags) break;
    size_t cost = utf8_length(w) + (tags.empty() ? 0 : 1);
    if (total + cost > kMaxTagsChars) break;
    total += cost;
    tags.push_back(w);
  }
  return tags;
}

std::string description_from(const std::string &script, const std::vector<std::string> &tags) {
  std::string body;
  for (char c : script)
    if (c != '<' && c != '>') body += c;
  std::string hashtags;
  for (size_t i = 0; i < tags.size() && i < 3; ++i) hashtags += "#" + tags[i] + " ";
  hashtags += "#shorts";
  const std::string tail = "\n\n" + hashtags;
  if (body.size() + tail.size() > kMaxDescriptionBytes)
    body = truncate_utf8(body, kMaxDescriptionBytes - tail.size() - 3) + "\xE2\x80\xA6";
  return body + tail;
}

}  // namespace youtube
