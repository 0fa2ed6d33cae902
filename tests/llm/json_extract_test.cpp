// JSON extraction on the corpus of messy model answers in tests/data/llm (corpus.json lists
// each answer file, the shape asked for and the value or error expected), plus the repairs
// and the shape checker on their own.
#include "llm/json_extract.hpp"

#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <fstream>
#include <sstream>

#include "llm/llm_types.hpp"

namespace automuse::llm::test {
namespace {

namespace json = boost::json;

std::string read_file(const std::string &path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

const std::string kData = AUTOMUSE_LLM_TEST_DATA;

TEST(JsonCorpus, EveryAnswerGivesTheExpectedValueOrError) {
  json::value corpus = json::parse(read_file(kData + "/corpus.json"));
  const json::object &shapes = corpus.at("shapes").as_object();
  const json::array &cases = corpus.at("cases").as_array();
  ASSERT_GE(cases.size(), 20u);
  size_t answers_ok = 0, errors_ok = 0;
  for (const json::value &c : cases) {
    std::string file(c.at("file").as_string());
    SCOPED_TRACE(file);
    std::string text = read_file(kData + "/" + file);
    ASSERT_FALSE(text.empty()) << "missing corpus file";
    const json::value *shape = nullptr;
    if (c.at("shape").is_string()) shape = &shapes.at(c.at("shape").as_string());
    Extracted x = extract_json(text, shape);
    if (const json::value *want = c.as_object().if_contains("expect")) {
      ASSERT_TRUE(x.value) << x.error;
      EXPECT_EQ(*x.value, *want) << json::serialize(*x.value);
      if (shape) {
        EXPECT_EQ(check_shape(*x.value, *shape), "");
      }
      answers_ok += x.value && *x.value == *want;
    } else {
      std::string fragment(c.at("error").as_string());
      EXPECT_FALSE(x.value) << json::serialize(*x.value);
      EXPECT_NE(x.error.find(fragment), std::string::npos) << x.error;
      errors_ok += !x.value && x.error.find(fragment) != std::string::npos;
    }
  }
  EXPECT_EQ(answers_ok + errors_ok, cases.size());
}

TEST(JsonRepair, ValidJsonIsUnchanged) {
  std::string text = R"({"a": "it's \"fine\"", "b": [1, 2.5, true, null], "c": "\u00e9"})";
  EXPECT_EQ(repair_json_text(text), text);
}

TEST(JsonRepair, SingleQuotesPythonLiteralsAndControlCharacters) {
  EXPECT_EQ(repair_json_text("{'a': 'say \"hi\"', 'b': True, 'c': None}"),
            R"({"a": "say \"hi\"", "b": true, "c": null})");
  EXPECT_EQ(repair_json_text("{'it\\'s': 'x'}"), R"({"it's": "x"})");
  EXPECT_EQ(repair_json_text("[\"line\none\tx\"]"), R"(["line\none\tx"])");
  // Words that merely start like the literals stay as they are.
  EXPECT_EQ(repair_json_text("Truer Nonesuch"), "Truer Nonesuch");
}

TEST(JsonShape, ReportsTheFirstProblemWithItsPath) {
  json::value shape = json::parse(
      R"({"type":"object","required":["items"],"properties":{"items":{"type":"array","maxItems":2,
          "items":{"type":"object","required":["n"],"properties":{"n":{"type":"integer"},
          "kind":{"enum":["a","b"]}}}}},"additionalProperties":false})");
  EXPECT_EQ(check_shape(json::parse(R"({"items":[{"n":1},{"n":2,"kind":"a"}]})"), shape), "");
  EXPECT_EQ(check_shape(json::parse(R"({"items":[{"n":1},{"n":"2"}]})"), shape),
            R"($.items[1].n: expected integer, got string "2")");
  EXPECT_EQ(check_shape(json::parse(R"({"items":[{"n":1,"kind":"c"}]})"), shape),
            R"($.items[0].kind: must be one of ["a","b"], got "c")");
  EXPECT_EQ(check_shape(json::parse(R"({"items":[{},{},{}]})"), shape),
            "$.items: expected at most 2 items, got 3");
  EXPECT_EQ(check_shape(json::parse(R"({"items":[],"extra":1})"), shape),
            R"($: unexpected member "extra")");
  EXPECT_EQ(check_shape(json::parse(R"([])"), shape), "$: expected object, got array []");
}

TEST(JsonShape, BadShapesAreRefusedNamingTheMember) {
  try {
    validate_shape_schema(json::parse(R"({"type":"array","items":{"type":"text"}})"));
    FAIL() << "accepted an unknown type";
  } catch (const am::error &e) {
    EXPECT_EQ(e.status(), AM_INVALID_ARGUMENT);
    EXPECT_NE(std::string(e.what()).find("shape.items.type"), std::string::npos) << e.what();
  }
  EXPECT_THROW(validate_shape_schema(json::parse(R"({"required":"title"})")), am::error);
  EXPECT_NO_THROW(validate_shape_schema(json::parse(R"({"type":["string","null"]})")));
}

TEST(JsonExtract, WithoutShapeTakesTheFirstJsonValue) {
  Extracted x = extract_json("The answer is {\"n\": 3}. Also [1,2].");
  ASSERT_TRUE(x.value);
  EXPECT_EQ(*x.value, json::parse(R"({"n":3})"));
}

}  // namespace
}  // namespace automuse::llm::test
