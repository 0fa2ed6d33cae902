// automuse/cpp/str.hpp — conversions between am_str and std::string_view / std::string.
#pragma once

#include <automuse/types.h>

#include <string>
#include <string_view>

namespace am {

// Borrow a view as an am_str: valid as long as the viewed characters are.
inline am_str to_am_str(std::string_view s) noexcept { return am_str{s.data(), s.size()}; }

// View an am_str; valid as long as the am_str's data is.
inline std::string_view view(am_str s) noexcept {
  return s.data ? std::string_view(s.data, s.len) : std::string_view();
}

// Copy an am_str into an owned string.
inline std::string to_string(am_str s) { return std::string(view(s)); }

}  // namespace am
