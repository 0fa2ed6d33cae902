// fuzz/json_equal.hpp — equality of JSON values for round-trip invariants. Boost.JSON 1.81
// reads decimals fast rather than exactly (a number written and read again may move by an
// ulp), so doubles compare with a relative tolerance; everything else compares exactly.
#pragma once

#include <algorithm>
#include <boost/json/value.hpp>
#include <cmath>

namespace fuzz {

inline bool json_equal(const boost::json::value &a, const boost::json::value &b) {
  if (a.is_number() && b.is_number() && (a.is_double() || b.is_double())) {
    const double x = a.to_number<double>(), y = b.to_number<double>();
    return x == y || std::fabs(x - y) <= 1e-14 * std::max(std::fabs(x), std::fabs(y));
  }
  if (a.kind() != b.kind()) return false;
  if (a.is_array()) {
    const auto &p = a.get_array(), &q = b.get_array();
    return p.size() == q.size() && std::equal(p.begin(), p.end(), q.begin(), json_equal);
  }
  if (a.is_object()) {
    const auto &p = a.get_object(), &q = b.get_object();
    if (p.size() != q.size()) return false;
    for (const auto &m : p) {
      const auto *other = q.if_contains(m.key());
      if (!other || !json_equal(m.value(), *other)) return false;
    }
    return true;
  }
  return a == b;
}

}  // namespace fuzz
