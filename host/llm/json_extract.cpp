// host/llm/json_extract.cpp — candidate spans, repairs and shape checks for model answers.
#include "llm/json_extract.hpp"

#include <algorithm>
#include <boost/json.hpp>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <vector>

#include "core/finite_json.hpp"
#include "core/text.hpp"
#include "llm/llm_types.hpp"

namespace automuse::llm {

namespace json = boost::json;

namespace {

const char *kind_of(const json::value &v) {
  switch (v.kind()) {
    case json::kind::null:
      return "null";
    case json::kind::bool_:
      return "boolean";
    case json::kind::int64:
    case json::kind::uint64:
      return "integer";
    case json::kind::double_:
      return "number";
    case json::kind::string:
      return "string";
    case json::kind::array:
      return "array";
    case json::kind::object:
      return "object";
  }
  return "?";
}

bool is_type(const json::value &v, std::string_view type) {
  if (type == "object") return v.is_object();
  if (type == "array") return v.is_array();
  if (type == "string") return v.is_string();
  if (type == "number") return v.is_number();
  if (type == "integer")
    return v.is_int64() || v.is_uint64() ||
           (v.is_double() &&
            v.as_double() == static_cast<double>(static_cast<int64_t>(v.as_double())));
  if (type == "boolean") return v.is_bool();
  if (type == "null") return v.is_null();
  return false;
}

std::string brief(const json::value &v) {
  std::string s = json::serialize(v);
  if (s.size() > 60) s = s.substr(0, 57) + "...";
  return s;
}

int64_t as_int(const json::value &v) {
  if (v.is_int64()) return v.as_int64();
  if (v.is_uint64()) return static_cast<int64_t>(v.as_uint64());
  if (v.is_double()) return static_cast<int64_t>(v.as_double());
  return 0;
}

std::string check_at(const json::value &v, const json::value &shape, const std::string &where) {
  const json::object *s = shape.if_object();
  if (!s) return "";
  if (const json::value *t = s->if_contains("type")) {
    bool ok = false;
    std::string names;
    if (t->is_string()) {
      ok = is_type(v, t->as_string());
      names = std::string(t->as_string());
    } else if (t->is_array()) {
      for (const json::value &one : t->as_array()) {
        if (one.is_string() && is_type(v, one.as_string())) ok = true;
        if (one.is_string()) names += (names.empty() ? "" : " or ") + std::string(one.as_string());
      }
    }
    if (!ok) return where + ": expected " + names + ", got " + kind_of(v) + " " + brief(v);
  }
  if (const json::value *e = s->if_contains("enum"); e && e->is_array()) {
    bool found = false;
    for (const json::value &one : e->as_array()) found = found || one == v;
    if (!found) return where + ": must be one of " + json::serialize(*e) + ", got " + brief(v);
  }
  if (v.is_string()) {
    if (const json::value *m = s->if_contains("minLength"); m && m->is_number()) {
      if (static_cast<int64_t>(v.as_string().size()) < as_int(*m))
        return where + ": must have at least " + std::to_string(as_int(*m)) + " characters";
    }
  }
  if (const json::array *a = v.if_array()) {
    if (const json::value *m = s->if_contains("minItems"); m && m->is_number()) {
      if (static_cast<int64_t>(a->size()) < as_int(*m))
        return where + ": expected at least " + std::to_string(as_int(*m)) + " items, got " +
               std::to_string(a->size());
    }
    if (const json::value *m = s->if_contains("maxItems"); m && m->is_number()) {
      if (static_cast<int64_t>(a->size()) > as_int(*m))
        return where + ": expected at most " + std::to_string(as_int(*m)) + " items, got " +
               std::to_string(a->size());
    }
    if (const json::value *items = s->if_contains("items")) {
      for (size_t i = 0; i < a->size(); ++i) {
        std::string p = check_at((*a)[i], *items, where + "[" + std::to_string(i) + "]");
        if (!p.empty()) return p;
      }
    }
  }
  if (const json::object *o = v.if_object()) {
    if (const json::value *req = s->if_contains("required"); req && req->is_array()) {
      for (const json::value &name : req->as_array()) {
        if (name.is_string() && !o->contains(name.as_string()))
          return where + ": missing required member \"" + std::string(name.as_string()) + "\"";
      }
    }
    const json::object *props = nullptr;
    if (const json::value *p = s->if_contains("properties")) props = p->if_object();
    if (props) {
      for (const auto &[k, sub] : *props) {
        if (const json::value *member = o->if_contains(k)) {
          std::string p = check_at(*member, sub, where + "." + std::string(k));
          if (!p.empty()) return p;
        }
      }
    }
    if (const json::value *ap = s->if_contains("additionalProperties");
        ap && ap->is_bool() && !ap->as_bool()) {
      for (const auto &[k, _] : *o) {
        if (!props || !props->contains(k))
          return where + ": unexpected member \"" + std::string(k) + "\"";
      }
    }
  }
  return "";
}

void validate_schema_at(const json::value &shape, const std::string &where) {
  const json::object *s = shape.if_object();
  if (!s) throw am::error(AM_INVALID_ARGUMENT, where + ": a shape must be an object");
  static const std::string_view kTypes[] = {"object",  "array",   "string", "number",
                                            "integer", "boolean", "null"};
  auto check_name = [&](const json::value &t) {
    bool ok = false;
    if (t.is_string())
      for (auto k : kTypes) ok = ok || t.as_string() == k;
    if (!ok)
      throw am::error(AM_INVALID_ARGUMENT,
                      where + ".type: unknown type " + json::serialize(t) +
                          " (use object, array, string, number, integer, boolean, null)");
  };
  if (const json::value *t = s->if_contains("type")) {
    if (t->is_array())
      for (const json::value &one : t->as_array()) check_name(one);
    else
      check_name(*t);
  }
  if (const json::value *items = s->if_contains("items"))
    validate_schema_at(*items, where + ".items");
  if (const json::value *props = s->if_contains("properties")) {
    if (!props->is_object())
      throw am::error(AM_INVALID_ARGUMENT, where + ".properties: expected an object");
    for (const auto &[k, sub] : props->as_object())
      validate_schema_at(sub, where + ".properties." + std::string(k));
  }
  if (const json::value *req = s->if_contains("required")) {
    if (!req->is_array())
      throw am::error(AM_INVALID_ARGUMENT, where + ".required: expected an array of names");
    for (const json::value &n : req->as_array())
      if (!n.is_string())
        throw am::error(AM_INVALID_ARGUMENT, where + ".required: expected an array of names");
  }
  for (const char *k : {"minItems", "maxItems", "minLength"}) {
    if (const json::value *m = s->if_contains(k); m && !m->is_number())
      throw am::error(AM_INVALID_ARGUMENT, where + "." + k + ": expected a number");
  }
}

// Lenient parse: comments and trailing commas are accepted, as models produce both.
std::optional<json::value> parse_lenient(std::string_view text, std::string &error) {
  json::parse_options opt;
  opt.allow_comments = true;
  opt.allow_trailing_commas = true;
  opt.allow_invalid_utf8 = true;
  boost::system::error_code ec;
  json::value v = json::parse(text, ec, {}, opt);
  if (ec) {
    error = ec.message();
    return std::nullopt;
  }
  if (core::infinite_number(v)) {  // 1e999: Boost.JSON would write it as Infinity
    error = "a number is too large";
    return std::nullopt;
  }
  return v;
}

constexpr std::string_view kLeftDq = "\xE2\x80\x9C";   // “
constexpr std::string_view kRightDq = "\xE2\x80\x9D";  // ”

bool starts_with_at(std::string_view s, size_t i, std::string_view p) {
  return s.size() - i >= p.size() && s.compare(i, p.size(), p) == 0;
}

bool is_ident(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '_';
}

// The end (one past) of the bracketed value starting at text[start] ('{' or '['), scanning
// strings in either quote style; npos if it never closes.
size_t balanced_end(std::string_view text, size_t start) {
  std::vector<char> stack;
  char quote = 0;
  for (size_t i = start; i < text.size(); ++i) {
    char c = text[i];
    if (quote) {
      if (c == '\\') {
        ++i;
      } else if (c == quote) {
        quote = 0;
      }
      continue;
    }
    if (c == '"' || c == '\'') {
      quote = c;
    } else if (c == '{' || c == '[') {
      stack.push_back(c == '{' ? '}' : ']');
    } else if (c == '}' || c == ']') {
      if (stack.empty() || stack.back() != c) return std::string_view::npos;
      stack.pop_back();
      if (stack.empty()) return i + 1;
    }
  }
  return std::string_view::npos;
}

// Bodies of ``` fences, in order (an unclosed last fence runs to the end of the text).
std::vector<std::string_view> fenced_blocks(std::string_view text) {
  std::vector<std::string_view> out;
  size_t pos = 0;
  while ((pos = text.find("```", pos)) != std::string_view::npos) {
    size_t body = text.find('\n', pos + 3);
    if (body == std::string_view::npos) break;
    ++body;
    size_t end = text.find("```", body);
    out.push_back(
        text.substr(body, end == std::string_view::npos ? std::string_view::npos : end - body));
    if (end == std::string_view::npos) break;
    pos = end + 3;
  }
  return out;
}

using core::trim;

// Shape-directed unwrapping: the value itself, or what it wraps.
std::vector<json::value> unwrap_options(const json::value &v, const json::value &shape) {
  std::vector<json::value> out{v};
  const json::object *s = shape.if_object();
  const json::value *t = s ? s->if_contains("type") : nullptr;
  bool want_array = t && t->is_string() && t->as_string() == "array";
  bool want_object = t && t->is_string() && t->as_string() == "object";
  if (want_array && v.is_object()) {
    for (const auto &[_, member] : v.as_object())
      if (member.is_array()) out.push_back(member);
    // {"data": {"items": [...]}}: one more level.
    if (v.as_object().size() == 1) {
      const json::value &only = v.as_object().begin()->value();
      if (only.is_object())
        for (const auto &[_, member] : only.as_object())
          if (member.is_array()) out.push_back(member);
    }
  }
  if (want_object && v.is_array() && v.as_array().size() == 1) out.push_back(v.as_array()[0]);
  if (want_object && v.is_object() && v.as_object().size() == 1 &&
      v.as_object().begin()->value().is_object())
    out.push_back(v.as_object().begin()->value());
  return out;
}

}  // namespace

std::string check_shape(const json::value &value, const json::value &shape) {
  return check_at(value, shape, "$");
}

void validate_shape_schema(const json::value &shape) {
  validate_schema_at(shape, "shape");
}

std::string repair_json_text(std::string_view in) {
  std::string out;
  out.reserve(in.size() + 16);
  enum { none, dq, sq, smart } mode = none;
  for (size_t i = 0; i < in.size(); ++i) {
    char c = in[i];
    if (mode == none) {
      if (c == '"') {
        mode = dq;
        out += c;
      } else if (c == '\'') {
        mode = sq;
        out += '"';
      } else if (starts_with_at(in, i, kLeftDq) || starts_with_at(in, i, kRightDq)) {
        mode = smart;
        out += '"';
        i += 2;
      } else if (is_ident(c) && (i == 0 || !is_ident(in[i - 1]))) {
        size_t j = i;
        while (j < in.size() && is_ident(in[j])) ++j;
        std::string_view word = in.substr(i, j - i);
        if (word == "True")
          out += "true";
        else if (word == "False")
          out += "false";
        else if (word == "None")
          out += "null";
        else
          out.append(word);
        i = j - 1;
      } else {
        out += c;
      }
      continue;
    }
    // Inside a string.
    if (c == '\\' && i + 1 < in.size()) {
      char n = in[i + 1];
      if (mode != dq && n == '\'') {
        out += '\'';
      } else {
        out += c;
        out += n;
      }
      ++i;
      continue;
    }
    bool closes =
        (mode == dq && c == '"') || (mode == sq && c == '\'') ||
        (mode == smart && (starts_with_at(in, i, kRightDq) || starts_with_at(in, i, kLeftDq)));
    if (closes) {
      out += '"';
      if (mode == smart) i += 2;
      mode = none;
      continue;
    }
    if (mode != dq && c == '"') {
      out += "\\\"";
    } else if (c == '\n') {
      out += "\\n";
    } else if (c == '\r') {
      out += "\\r";
    } else if (c == '\t') {
      out += "\\t";
    } else if (static_cast<unsigned char>(c) < 0x20) {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\u%04x", static_cast<unsigned>(c));
      out += buf;
    } else {
      out += c;
    }
  }
  return out;
}

Extracted extract_json(std::string_view original, const json::value *shape) {
  // Reasoning models think aloud in <think>...</think> first, often with example JSON in it.
  std::string without_thoughts(original);
  for (size_t open; (open = without_thoughts.find("<think>")) != std::string::npos;) {
    size_t close = without_thoughts.find("</think>", open);
    if (close == std::string::npos) break;
    without_thoughts.erase(open, close + 8 - open);
  }
  std::string_view text = without_thoughts;
  bool unclosed = false;
  std::vector<std::string_view> candidates;
  candidates.push_back(trim(text));
  for (std::string_view block : fenced_blocks(text)) candidates.push_back(trim(block));
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '{' && text[i] != '[') continue;
    size_t end = balanced_end(text, i);
    if (end == std::string_view::npos) {
      unclosed = true;
      continue;
    }
    candidates.push_back(text.substr(i, end - i));
  }

  std::string first_parse_error, first_shape_error, first_deep_error;
  for (std::string_view c : candidates) {
    if (c.empty()) continue;
    std::string error;
    std::optional<json::value> v = parse_lenient(c, error);
    if (!v) {
      std::string repaired = repair_json_text(c);
      std::string error2;
      v = parse_lenient(repaired, error2);
    }
    if (!v) {
      if (first_parse_error.empty() && (c.front() == '{' || c.front() == '['))
        first_parse_error = error;
      continue;
    }
    if (!shape) return {std::move(v), {}};
    for (json::value &option : unwrap_options(*v, *shape)) {
      std::string problem = check_shape(option, *shape);
      if (problem.empty()) return {std::move(option), {}};
      // Prefer a problem inside a value of the right kind over "expected array, got object".
      bool top_level_kind = false;
      for (std::string_view kind :
           {"object", "array", "string", "number", "integer", "boolean", "null"}) {
        top_level_kind =
            top_level_kind || problem.rfind("$: expected " + std::string(kind), 0) == 0;
      }
      if (!top_level_kind && first_deep_error.empty()) first_deep_error = problem;
      if (first_shape_error.empty()) first_shape_error = problem;
    }
  }
  Extracted out;
  if (!first_deep_error.empty()) first_shape_error = first_deep_error;
  if (!first_shape_error.empty())
    out.error = "the JSON does not have the expected shape: " + first_shape_error;
  else if (unclosed)
    out.error = "the JSON is incomplete: it was cut off before its closing bracket";
  else if (!first_parse_error.empty())
    out.error = "the JSON could not be parsed: " + first_parse_error;
  else
    out.error = "the answer contains no JSON";
  return out;
}

}  // namespace automuse::llm
