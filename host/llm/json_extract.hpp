// host/llm/json_extract.hpp — getting JSON out of what models really answer: code fences,
// prose before and after, trailing commas, comments, Python literals (True/None), single
// quotes, raw newlines inside strings, and a top-level object wrapping the array that was
// asked for; then checking it against the expected shape.
//
// The shape is a small subset of JSON Schema: "type" (object, array, string, number, integer,
// boolean, null, or a list of them), "properties", "required", "additionalProperties": false,
// "items", "minItems", "maxItems", "minLength", "enum".
#pragma once

#include <boost/json/value.hpp>
#include <optional>
#include <string>
#include <string_view>

namespace automuse::llm {

// "" when `value` has the shape, else the first problem with its JSON path
// ("$[2].title: expected a string, got 42").
std::string check_shape(const boost::json::value &value, const boost::json::value &shape);

// Throws am::error(AM_INVALID_ARGUMENT) when `shape` itself is not a shape this checker
// understands (unknown type names, wrong member kinds), naming the bad member.
void validate_shape_schema(const boost::json::value &shape);

struct Extracted {
  std::optional<boost::json::value> value;  // set on success
  std::string error;  // on failure: why, meant to be shown to the model when re-asking
};

// The first JSON value in `text` that parses (after repairs) and, when `shape` is given,
// matches it (unwrapping {"items": [...]} when an array is expected, and [{...}] when an
// object is).
Extracted extract_json(std::string_view text, const boost::json::value *shape = nullptr);

// The repairs alone: single-quoted strings to double quotes, True/False/None to JSON, raw
// control characters inside strings escaped, typographic quotes used as delimiters made
// plain. Valid JSON comes back unchanged.
std::string repair_json_text(std::string_view text);

}  // namespace automuse::llm
