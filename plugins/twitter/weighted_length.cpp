// plugins/twitter/weighted_length.cpp — X's weighted post length with ICU: NFC, URL spans,
// grapheme clusters for emoji sequences, code point ranges for everything else.
#include "weighted_length.hpp"

#include <unicode/brkiter.h>
#include <unicode/bytestream.h>
#include <unicode/idna.h>
#include <unicode/normalizer2.h>
#include <unicode/uchar.h>
#include <unicode/unistr.h>
#include <unicode/ustring.h>
#include <unicode/utf8.h>

#include <algorithm>
#include <cctype>
#include <memory>
#include <stdexcept>
#include <utility>

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

// ASCII characters that end a URL: whitespace, controls, quotes and angle brackets.
bool ends_url(unsigned char c) {
  return c <= 0x20 || c == 0x7f || c == '"' || c == '<' || c == '>';
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

// The code point at byte `at` and where the next one starts (a bad byte reads as U+FFFD).
std::pair<UChar32, size_t> code_point_at(std::string_view s, size_t at) {
  UChar32 cp = 0;
  int32_t i = static_cast<int32_t>(at);
  U8_NEXT_OR_FFFD(reinterpret_cast<const uint8_t *>(s.data()), i, static_cast<int32_t>(s.size()),
                  cp);
  return {cp, static_cast<size_t>(i)};
}

// A host name written after a scheme may be internationalised ("例え.jp"): it runs over ASCII
// host characters and non-ASCII letters, digits and marks, and stops at anything else — a
// path, port, space, punctuation such as "。", or a directional mark (U+200E, U+202A, ...).
size_t host_end(std::string_view text, size_t at) {
  while (at < text.size()) {
    const unsigned char c = static_cast<unsigned char>(text[at]);
    if (c < 0x80) {
      if (!(std::isalnum(c) || c == '.' || c == '-' || c == '_')) break;
      ++at;
      continue;
    }
    const auto [cp, next] = code_point_at(text, at);
    if (!(u_isalnum(cp) || (U_GET_GC_MASK(cp) & U_GC_M_MASK))) break;
    at = next;
  }
  return at;
}

// `host` as X checks a link's domain: converted to ASCII by IDNA (UTS #46, with underscores
// allowed), every label at most 63 characters, not starting or ending with a hyphen, under a
// top-level domain of letters (or an IDN one, "xn--...").
bool valid_domain(std::string_view host) {
  UErrorCode status = U_ZERO_ERROR;
  // Owned, so that unloading the plugin frees it (a bare pointer leaked once per load).
  static const std::unique_ptr<const icu::IDNA> idna(
      icu::IDNA::createUTS46Instance(UIDNA_DEFAULT, status));
  if (!idna) return false;
  std::string ascii;
  icu::StringByteSink<std::string> sink(&ascii);
  icu::IDNAInfo info;
  status = U_ZERO_ERROR;
  idna->nameToASCII_UTF8(icu::StringPiece(host.data(), static_cast<int32_t>(host.size())), sink,
                         info, status);
  if (U_FAILURE(status) || info.hasErrors()) return false;
  const size_t dot = ascii.rfind('.');
  if (dot == std::string::npos || dot == 0) return false;
  for (size_t begin = 0; begin <= ascii.size();) {
    size_t end = std::min(ascii.find('.', begin), ascii.size());
    const std::string_view label(ascii.data() + begin, end - begin);
    if (label.empty() || label.size() > 63 || label.front() == '-' || label.back() == '-')
      return false;
    begin = end + 1;
  }
  const std::string_view tld(ascii.data() + dot + 1);
  if (tld.starts_with("xn--")) return true;
  return tld.size() >= 2 && std::all_of(tld.begin(), tld.end(), [](char c) {
           return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
         });
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

// Where a URL whose host ends at `at` ends: its path, query and fragment run over ASCII up to
// the next space or non-ASCII character, without the trailing punctuation that usually ends a
// sentence or an unbalanced closing parenthesis.
size_t url_end(std::string_view text, size_t host_at, size_t at) {
  size_t end = at;
  while (end < text.size() && static_cast<unsigned char>(text[end]) < 0x80 &&
         !ends_url(static_cast<unsigned char>(text[end])))
    ++end;
  while (end > host_at) {
    const char last = text[end - 1];
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
  return end;
}

// The host of a URL starting at `host_at` (after its scheme, if any), without a trailing dot
// and the sentence punctuation that may follow it; empty when there is none.
std::string_view host_at(std::string_view text, size_t host_at, bool scheme) {
  size_t end = scheme ? host_end(text, host_at) : host_at;
  if (!scheme)
    while (end < text.size() && static_cast<unsigned char>(text[end]) < 0x80 &&
           (std::isalnum(static_cast<unsigned char>(text[end])) || text[end] == '.' ||
            text[end] == '-' || text[end] == '_'))
      ++end;
  while (end > host_at && (text[end - 1] == '.' || text[end - 1] == '-')) --end;
  return text.substr(host_at, end - host_at);
}

// A URL starting at `at`: its end, or 0 when X would not link what is there.
size_t url_at(std::string_view text, size_t at) {
  size_t host_begin = at;
  bool scheme = false;
  if (starts_with_ci(text, at, "https://")) {
    host_begin = at + 8;
    scheme = true;
  } else if (starts_with_ci(text, at, "http://")) {
    host_begin = at + 7;
    scheme = true;
  }
  std::string_view host = host_at(text, host_begin, scheme);
  if (scheme) {
    // An internationalised host that is not a domain may still start with an ASCII one
    // ("https://example.com日本"): X links that part.
    if (!valid_domain(host)) {
      size_t ascii = 0;
      while (ascii < host.size() && static_cast<unsigned char>(host[ascii]) < 0x80) ++ascii;
      host = host.substr(0, ascii);
      while (!host.empty() && (host.back() == '.' || host.back() == '-')) host.remove_suffix(1);
      if (host.empty() || !valid_domain(host)) return 0;
    }
  } else {
    // Without a scheme X links www. names and names under well-known top-level domains.
    if (!host_is_plain(host) || !valid_domain(host)) return 0;
    if (!starts_with_ci(host, 0, "www.") && !known_tld(host.substr(host.rfind('.') + 1))) return 0;
  }
  const size_t after_host = host_begin + host.size();
  if (after_host < text.size() && static_cast<unsigned char>(text[after_host]) >= 0x80)
    return after_host;  // a non-ASCII character right after the host ends the URL
  return url_end(text, host_begin, after_host);
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
    const size_t end = boundary && std::isalnum(c) ? url_at(text, i) : 0;
    if (end > i) {
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
