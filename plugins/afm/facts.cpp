// plugins/afm/facts.cpp — Facts to and from JSON (Boost.JSON).
#include "facts.hpp"

#include <boost/json.hpp>
#include <stdexcept>

#include "json_members.hpp"

namespace afm {
namespace json = boost::json;
using plugin_support::string_member;

std::string to_json(const Facts &f) {
  json::array features;
  for (const auto &x : f.features) features.emplace_back(x);
  return json::serialize(json::object{{"asin", f.asin},
                                      {"title", f.title},
                                      {"features", std::move(features)},
                                      {"price", f.price},
                                      {"source", f.source}});
}

Facts facts_from_json(const std::string &text) {
  json::error_code ec;
  json::value v = json::parse(text, ec);
  if (ec || !v.is_object()) throw std::invalid_argument("product facts are not a JSON object");
  const auto &o = v.as_object();
  Facts f;
  f.asin = string_member(o, "asin");
  f.title = string_member(o, "title");
  f.price = string_member(o, "price");
  f.source = string_member(o, "source");
  if (auto *a = o.if_contains("features"); a && a->is_array())
    for (const auto &x : a->as_array())
      if (x.is_string()) f.features.emplace_back(x.as_string());
  return f;
}

}  // namespace afm
