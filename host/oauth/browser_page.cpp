// host/oauth/browser_page.cpp — HTML escaping and the page template.
#include "oauth/browser_page.hpp"

namespace automuse::oauth {
namespace {

std::string escape(const std::string &s) {
  std::string out;
  out.reserve(s.size());
  for (char c : s) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

}  // namespace

std::string browser_page(const std::string &title, const std::string &text) {
  return "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>AutoMuse: " +
         escape(title) +
         "</title></head>\n<body style=\"font-family:sans-serif;max-width:40em;margin:3em "
         "auto\"><h1>" +
         escape(title) + "</h1>\n<p>" + escape(text) + "</p></body></html>\n";
}

}  // namespace automuse::oauth
