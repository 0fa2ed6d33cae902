// tests/twitter/weighted_length_print.cpp — prints the twitter plugin's weighted length of every
// text in a cases file (tests/twitter/conformance/cases.json) as JSON lines
// {"name": ..., "weightedLength": N} (or {"name": ..., "error": ...}), for conformance/compare.js
// to set beside the reference implementation's count.
#include <boost/json.hpp>
#include <exception>
#include <fstream>
#include <iostream>
#include <sstream>

#include "weighted_length.hpp"

int main(int argc, char **argv) {
  if (argc != 2) {
    std::cerr << "usage: " << argv[0] << " CASES.json\n";
    return 2;
  }
  std::ifstream in(argv[1]);
  if (!in) {
    std::cerr << argv[1] << ": cannot read\n";
    return 2;
  }
  std::stringstream text;
  text << in.rdbuf();
  namespace json = boost::json;
  const json::value cases = json::parse(text.str());
  for (const json::value &c : cases.as_array()) {
    const json::object &o = c.as_object();
    json::object line{{"name", o.at("name")}};
    try {
      line["weightedLength"] = twitter::weighted_length(o.at("text").as_string());
    } catch (const std::exception &e) {
      line["error"] = e.what();
    }
    std::cout << json::serialize(line) << "\n";
  }
  return 0;
}
