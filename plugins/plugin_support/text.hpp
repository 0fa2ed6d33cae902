// plugins/plugin_support/text.hpp — the plugins' one copy of small text helpers that every plugin
// needs (the host and render/ keep their own: layers do not share code).
#pragma once

#include <string_view>

namespace plugin_support {

// `s` without leading and trailing ASCII white space (space, tab, CR, LF).
constexpr std::string_view trim(std::string_view s) {
  constexpr std::string_view kSpace = " \t\r\n";
  const auto first = s.find_first_not_of(kSpace);
  if (first == std::string_view::npos) return {};
  return s.substr(first, s.find_last_not_of(kSpace) - first + 1);
}

}  // namespace plugin_support
