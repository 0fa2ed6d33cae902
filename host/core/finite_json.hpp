// host/core/finite_json.hpp — numbers from outside that no double holds. Boost.JSON reads
// 1e999 as infinity and writes it back as `Infinity`, which is not JSON: a value holding one
// must be refused where it is read, before it is stored, cached or handed on.
#pragma once

#include <boost/json/value.hpp>
#include <cmath>
#include <optional>
#include <string>

namespace automuse::core {

// The path of the first infinite number in `v` ("http.timeout_seconds", "$.accounts[0].x"
// below `path` "$"), or nullopt when every number is finite.
inline std::optional<std::string> infinite_number(const boost::json::value &v,
                                                  const std::string &path = {}) {
  if (v.is_double() && !std::isfinite(v.get_double())) return path;
  if (v.is_array()) {
    const auto &a = v.get_array();
    for (size_t i = 0; i < a.size(); ++i)
      if (auto p = infinite_number(a[i], path + "[" + std::to_string(i) + "]")) return p;
  } else if (v.is_object()) {
    for (const auto &m : v.get_object())
      if (auto p =
              infinite_number(m.value(), (path.empty() ? "" : path + ".") + std::string(m.key())))
        return p;
  }
  return std::nullopt;
}

}  // namespace automuse::core
