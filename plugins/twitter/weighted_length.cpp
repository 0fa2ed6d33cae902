// plugins/twitter/weighted_length.cpp — X's weighted post length with ICU: NFC, URL spans,
// grapheme clusters for emoji sequences, code point ranges for everything else.
#include "weighted_length.hpp"

#include <unicode/brkiter.h>
#include <unicode/normalizer2.h>
#include <unicode/uchar.h>
#include <unicode/unistr.h>
#include <unicode/ustring.h>

#include <algorithm>
#include <cctype>
#include <memory>
#include <stdexcept>

namespace twitter {
namespace {

// Decodes strict UTF-8 into a UnicodeString; ICU's fromUTF8 would silently substitute.
icu::UnicodeString decode(std::string_view text) {
  UErrorCode status = U_ZERO_ERROR;
  int32_t needed = 0;
  u_strFromUTF8(nullptr, 0, &needed, text.data(), static_cast<int32_t>(text.size()), &status);
  if (status != U_BUFFER_OVERFLOW_ERROR && U_FAILURE(status))
    throw std::invalid_argument("post text is not valid UTF-8");
  status = U_ZERO_ERROR;
  icu::UnicodeString out;
  UChar *buf = out.getBuffer(needed);
  u_strFromUTF8(buf, needed, &needed, text.data(), static_cast<int32_t>(text.size()), &status);
  out.releaseBuffer(U_SUCCESS(status) ? needed : 0);
  if (U_FAILURE(status)) throw std::invalid_argument("post text is not valid UTF-8");
  return out;
}

bool starts_with_ci(std::string_view s, size_t at, std::string_view prefix) {
  if (s.size() - at < prefix.size()) return false;
  for (size_t i = 0; i < prefix.size(); ++i) {
    char c = s[at + i];
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    if (c != prefix[i]) return false;
  }
  return true;
}

// Characters that end a URL: whitespace, quotes and angle brackets, and any non-ASCII byte
// (X stops a link at the first non-ASCII character after the domain).
bool ends_url(unsigned char c) {
  return c <= 0x20 || c == 0x7f || c >= 0x80 || c == '"' || c == '<' || c == '>';
}

bool is_trailing_punct(char c) {
  switch (c) {
    case '.':
    case ',':
    case ';':
    case ':':
    case '!':
    case '?':
    case '\'':
    case '*':
      return true;
    default:
      return false;
  }
}

// True when `host` looks like a domain: a dot followed by at least two letters (a TLD).
bool has_domain(std::string_view host) {
  auto dot = host.rfind('.');
  if (dot == std::string_view::npos || dot == 0) return false;
  auto tld = host.substr(dot + 1);
  if (tld.size() < 2) return false;
  for (char c : tld)
    if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'))) return false;
  return true;
}

// Only letters, digits, dots and hyphens: a host name as written without a scheme.
bool host_is_plain(std::string_view host) {
  for (char c : host)
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '-')) return false;
  return true;
}

// Top-level domains X links without a scheme (a practical subset of its list).
bool known_tld(std::string_view tld) {
  static constexpr std::string_view kTlds[] = {
      "com", "net", "org", "edu", "gov", "info", "biz",  "io",   "co",     "me",   "ai",  "app",
      "dev", "tv",  "xyz", "uk",  "de",  "fr",   "jp",   "es",   "it",     "nl",   "ca",  "au",
      "in",  "br",  "ru",  "ly",  "gg",  "blog", "shop", "news", "online", "site", "tech"};
  std::string lowered(tld);
  for (char &c : lowered)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  for (auto t : kTlds)
    if (t == lowered) return true;
  return false;
}

bool is_emoji_sequence(const icu::UnicodeString &cluster) {
  bool has_emoji = false;
  for (int32_t i = 0; i < cluster.length();) {
    UChar32 cp = cluster.char32At(i);
    if (u_hasBinaryProperty(cp, UCHAR_EMOJI_PRESENTATION) ||
        u_hasBinaryProperty(cp, UCHAR_REGIONAL_INDICATOR) || cp == 0x20E3)
      return true;
    if (cp == 0xFE0F && has_emoji) return true;  // text-default emoji asked as emoji
    if (u_hasBinaryProperty(cp, UCHAR_EMOJI)) has_emoji = true;
    i += U16_LENGTH(cp);
  }
  return false;
}

int weigh_plain(const icu::UnicodeString &text) {
  UErrorCode status = U_ZERO_ERROR;
  std::unique_ptr<icu::BreakIterator> it(
      icu::BreakIterator::createCharacterInstance(icu::Locale::getRoot(), status));
  if (U_FAILURE(status)) throw std::runtime_error("ICU grapheme iterator unavailable");
  it->setText(text);
  int total = 0;
  for (int32_t start = it->first(), end = it->next(); end != icu::BreakIterator::DONE;
       start = end, end = it->next()) {
    icu::UnicodeString cluster(text, start, end - start);
    if (is_emoji_sequence(cluster)) {
      total += 2;
      continue;
    }
    for (int32_t i = 0; i < cluster.length();) {
      UChar32 cp = cluster.char32At(i);
      total += code_point_weight(static_cast<char32_t>(cp));
      i += U16_LENGTH(cp);
    }
  }
  return total;
}

}  // namespace

int code_point_weight(char32_t cp) {
  if (cp <= 0x10FF) return 1;
  if (cp >= 0x2000 && cp <= 0x200D) return 1;
  if (cp >= 0x2010 && cp <= 0x201F) return 1;
  if (cp >= 0x2032 && cp <= 0x2037) return 1;
  return 2;
}

std::string nfc(std::string_view text) {
  icu::UnicodeString u = decode(text);
  UErrorCode status = U_ZERO_ERROR;
  const icu::Normalizer2 *n = icu::Normalizer2::getNFCInstance(status);
  if (U_FAILURE(status)) throw std::runtime_error("ICU NFC data unavailable");
  icu::UnicodeString normalised = n->normalize(u, status);
  if (U_FAILURE(status)) throw std::runtime_error("NFC normalisation failed");
  std::string out;
  normalised.toUTF8String(out);
  return out;
}

std::vector<UrlSpan> find_urls(std::string_view text) {
  std::vector<UrlSpan> urls;
  size_t i = 0;
  while (i < text.size()) {
    // A URL starts at the beginning or after a character that is not part of a word, an
    // e-mail address or a path.
    const unsigned char prev = i ? static_cast<unsigned char>(text[i - 1]) : ' ';
    const bool boundary = !(std::isalnum(prev) || prev == '/' || prev == '@' || prev == '.' ||
                            prev == '-' || prev == '_');
    const unsigned char c = static_cast<unsigned char>(text[i]);
    if (!boundary || !std::isalnum(c)) {
      ++i;
      continue;
    }
    size_t host_at = i;
    bool scheme = false;
    if (starts_with_ci(text, i, "https://")) {
      host_at = i + 8;
      scheme = true;
    } else if (starts_with_ci(text, i, "http://")) {
      host_at = i + 7;
      scheme = true;
    }
    size_t end = host_at;
    while (end < text.size() && !ends_url(static_cast<unsigned char>(text[end]))) ++end;
    // Drop sentence punctuation and an unbalanced closing parenthesis at the end.
    while (end > host_at) {
      char last = text[end - 1];
      if (is_trailing_punct(last)) {
        --end;
        continue;
      }
      if (last == ')') {
        auto body = text.substr(host_at, end - host_at);
        if (std::count(body.begin(), body.end(), ')') > std::count(body.begin(), body.end(), '(')) {
          --end;
          continue;
        }
      }
      break;
    }
    size_t host_end = host_at;
    while (host_end < end && text[host_end] != '/' && text[host_end] != '?' &&
           text[host_end] != '#' && text[host_end] != ':')
      ++host_end;
    const std::string_view host = text.substr(host_at, host_end - host_at);
    bool is_url = false;
    if (scheme) {
      is_url = has_domain(host);
    } else if (host_is_plain(host) && has_domain(host)) {
      // Without a scheme X links www. names and names under well-known top-level domains.
      is_url = starts_with_ci(host, 0, "www.") || known_tld(host.substr(host.rfind('.') + 1));
    }
    if (is_url) {
      urls.push_back({i, end});
      i = end;
    } else {
      ++i;
    }
  }
  return urls;
}

int weighted_length(std::string_view text) {
  const std::string normal = nfc(text);
  const std::string_view s(normal);
  int total = 0;
  size_t at = 0;
  for (const UrlSpan &url : find_urls(s)) {
    total += weigh_plain(decode(s.substr(at, url.begin - at))) + kUrlWeight;
    at = url.end;
  }
  return total + weigh_plain(decode(s.substr(at)));
}

}  // namespace twitter
