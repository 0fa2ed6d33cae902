// fuzz/llm_json_fuzz.cpp — JSON out of what models answer (host/llm/json_extract): extraction
// with and without an expected shape, and the repairs alone. Invariants: valid JSON comes
// through repair unchanged; an extracted value matches the shape it was extracted for; a value
// extracted and written back out extracts to itself.
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <string>
#include <string_view>

#include "fuzz_check.hpp"
#include "json_equal.hpp"
#include "llm/json_extract.hpp"

namespace json = boost::json;
using namespace automuse::llm;

namespace {

// What the youtube plugin asks for: a list of scenes with a title and a prompt.
const json::value &scene_list_shape() {
  static const json::value shape = json::parse(R"({
    "type": "array", "minItems": 1,
    "items": {"type": "object", "required": ["title", "prompt"],
              "properties": {"title": {"type": "string", "minLength": 1},
                             "prompt": {"type": "string"},
                             "mood": {"enum": ["calm", "upbeat"]},
                             "seconds": {"type": ["number", "null"]}}}})");
  return shape;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  const std::string_view text(reinterpret_cast<const char *>(data), size);

  json::error_code ec;
  json::parse(text, ec);
  const std::string repaired = repair_json_text(text);
  if (!ec) FUZZ_CHECK(repaired == text, "valid JSON comes back unchanged");

  const Extracted any = extract_json(text);
  FUZZ_CHECK(any.value.has_value() || !any.error.empty(), "a value or a reason");
  if (any.value) {
    const Extracted again = extract_json(json::serialize(*any.value));
    FUZZ_CHECK(again.value && fuzz::json_equal(*again.value, *any.value),
               "an extracted value extracts to itself");
  }

  const Extracted shaped = extract_json(text, &scene_list_shape());
  FUZZ_CHECK(shaped.value.has_value() || !shaped.error.empty(), "a value or a reason");
  if (shaped.value)
    FUZZ_CHECK(check_shape(*shaped.value, scene_list_shape()).empty(), "matches its shape");
  return 0;
}
