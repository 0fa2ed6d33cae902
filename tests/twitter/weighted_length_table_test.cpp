// tests/twitter/weighted_length_table_test.cpp — the twitter plugin's weighted length against
// the fixed table in conformance/cases.json: the texts of twitter-text's own conformance cases
// (validate.yml, v3 weighting and directional marks) with their expected weightedLength, and our
// own texts (CJK, emoji ZWJ sequences, URLs, long texts) with the reference implementation's
// count. Runs without node; conformance/compare.js checks the same texts against the reference.
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "weighted_length.hpp"

namespace {

struct Case {
  std::string name, text;
  int expected = 0;
};

std::vector<Case> load_cases() {
  std::ifstream in(CONFORMANCE_CASES);
  std::stringstream text;
  text << in.rdbuf();
  std::vector<Case> cases;
  const boost::json::value all = boost::json::parse(text.str());
  for (const auto &c : all.as_array()) {
    const auto &o = c.as_object();
    cases.push_back({std::string(o.at("name").as_string()), std::string(o.at("text").as_string()),
                     static_cast<int>(o.at("weightedLength").as_int64())});
  }
  return cases;
}

TEST(WeightedLengthTable, EveryTextCountsAsTheReferenceDoes) {
  const std::vector<Case> cases = load_cases();
  ASSERT_GE(cases.size(), 23u) << CONFORMANCE_CASES;
  int agree = 0;
  for (const Case &c : cases) {
    const int ours = twitter::weighted_length(c.text);
    if (ours == c.expected) {
      ++agree;
      continue;
    }
    ADD_FAILURE() << c.name << ": ours " << ours << ", reference " << c.expected
                  << "\n  text: " << c.text.substr(0, 300);
  }
  std::cout << agree << " of " << cases.size() << " texts agree\n";
}

}  // namespace
