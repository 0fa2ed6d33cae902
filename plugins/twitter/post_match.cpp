// plugins/twitter/post_match.cpp — undoing X's rewriting of a post to compare it.
#include "post_match.hpp"

#include <cctype>
#include <stdexcept>

#include "text.hpp"
#include "weighted_length.hpp"

namespace twitter {

namespace {

void replace_all(std::string &text, std::string_view from, std::string_view to) {
  if (from.empty()) return;
  for (size_t at = text.find(from); at != std::string::npos; at = text.find(from, at + to.size()))
    text.replace(at, from.size(), to);
}

bool starts_with_nocase(std::string_view s, std::string_view prefix) {
  if (s.size() < prefix.size()) return false;
  for (size_t i = 0; i < prefix.size(); ++i)
    if (std::tolower(static_cast<unsigned char>(s[i])) != prefix[i]) return false;
  return true;
}

// A link without its scheme and trailing slash: "http://a.b/" and "a.b" are the same link.
std::string bare_link(std::string_view url) {
  for (std::string_view scheme : {"https://", "http://"})
    if (starts_with_nocase(url, scheme)) {
      url.remove_prefix(scheme.size());
      break;
    }
  while (!url.empty() && url.back() == '/') url.remove_suffix(1);
  return std::string(url);
}

// NFC, trimmed, every link bare.
std::string comparable(std::string_view text) {
  std::string s;
  try {
    s = nfc(plugin_support::trim(text));
  } catch (const std::invalid_argument &) {
    s = plugin_support::trim(text);
  }
  std::string out;
  size_t at = 0;
  for (const UrlSpan &u : find_urls(s)) {
    out.append(s, at, u.begin - at);
    out += bare_link(std::string_view(s).substr(u.begin, u.end - u.begin));
    at = u.end;
  }
  out.append(s, at, std::string::npos);
  return out;
}

}  // namespace

std::string text_as_written(const RemotePost &post) {
  std::string text = post.text;
  for (const PostLink &link : post.links) {
    if (link.url.empty()) continue;
    if (link.media) {
      replace_all(text, " " + link.url, "");
      replace_all(text, link.url, "");
    } else {
      replace_all(text, link.url, link.expanded_url.empty() ? link.url : link.expanded_url);
    }
  }
  // X escapes these three in post texts; &amp; last, so "&amp;lt;" stays "&lt;".
  replace_all(text, "&lt;", "<");
  replace_all(text, "&gt;", ">");
  replace_all(text, "&amp;", "&");
  return std::string(plugin_support::trim(text));
}

bool same_post(std::string_view sent, const RemotePost &post) {
  return comparable(sent) == comparable(text_as_written(post));
}

}  // namespace twitter
