// host/plugins/action_options.cpp — option declarations checked, command lines typed.
#include "plugins/action_options.hpp"

#include <automuse/plugin.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <regex>
#include <stdexcept>

#include "log/logging.hpp"

namespace automuse::plugins {
namespace json = boost::json;

namespace {

const char *const kReserved[] = {AM_RESERVED_OPTIONS};

[[noreturn]] void fail(const std::string &message) {
  throw std::invalid_argument(message);
}

// As core::a_value_of, except that a flag's values are named.
std::string option_value_of(OptionType type) {
  return type == OptionType::kBoolean ? "true or false" : core::a_value_of(type);
}

std::string value_text(const json::value &v) {
  return v.is_string() ? "'" + std::string(v.as_string()) + "'" : shown(v);
}

double as_double(const json::value &v) {
  return v.to_number<double>();
}

const json::array *actions_of(const json::object &description) {
  const json::value *a = description.if_contains("actions");
  return a && a->is_array() ? &a->as_array() : nullptr;
}

OptionSpec parse_spec(const std::string &where, const json::value &decl) {
  if (!decl.is_object()) fail(where + " must be an object");
  const json::object &o = decl.as_object();
  OptionSpec spec;
  const json::value *name = o.if_contains("name");
  static const std::regex kName("[a-z0-9][a-z0-9_-]*");
  if (!name || !name->is_string() || !std::regex_match(std::string(name->as_string()), kName))
    fail(where + ".name must be a string of [a-z0-9_-] starting with a letter or digit");
  spec.name = name->as_string();
  const std::string at = where + " (--" + spec.name + ")";
  if (is_reserved_option(spec.name))
    fail(at + ": --" + spec.name + " is a host option, reserved for every plugin (" +
         reserved_options_text() + ")");
  if (const json::value *t = o.if_contains("type")) {
    if (std::optional<OptionType> type = core::value_type_named(*t))
      spec.type = *type;
    else
      fail(at + ".type: unknown type " + json::serialize(*t) +
           " (expected string, integer, number or boolean)");
  }
  if (const json::value *r = o.if_contains("required")) {
    if (!r->is_bool()) fail(at + ".required must be true or false");
    spec.required = r->get_bool();
  }
  if (const json::value *e = o.if_contains("enum")) {
    if (!e->is_array() || e->as_array().empty()) fail(at + ".enum must be a non-empty array");
    for (const json::value &a : e->as_array()) {
      if (!core::has_type(spec.type, a))
        fail(at + ".enum: " + value_text(a) + " is not " + option_value_of(spec.type));
      spec.allowed.push_back(a);
    }
  }
  for (const char *key : {"minimum", "maximum"}) {
    if (const json::value *v = o.if_contains(key)) {
      if (!v->is_number()) fail(at + "." + key + " must be a number");
      (std::string_view(key) == "minimum" ? spec.minimum : spec.maximum) = as_double(*v);
    }
  }
  if (const json::value *d = o.if_contains("default")) {
    if (!core::has_type(spec.type, *d)) fail(at + ".default is not " + option_value_of(spec.type));
    spec.default_value = *d;
  }
  if (const json::value *h = o.if_contains("help"); h && h->is_string()) spec.help = h->as_string();
  return spec;
}

std::vector<OptionSpec> parse_specs(std::string_view plugin, const json::object &action,
                                    const std::string &action_name) {
  std::vector<OptionSpec> specs;
  const json::value *options = action.if_contains("options");
  if (!options || options->is_null()) return specs;
  const std::string where = std::string(plugin) + ": describe(): action '" + action_name + "'";
  if (!options->is_array()) fail(where + ": options must be an array");
  size_t i = 0;
  for (const json::value &decl : options->as_array()) {
    OptionSpec spec = parse_spec(where + ": options[" + std::to_string(i++) + "]", decl);
    for (const OptionSpec &s : specs)
      if (s.name == spec.name) fail(where + ": option --" + spec.name + " is declared twice");
    specs.push_back(std::move(spec));
  }
  return specs;
}

// `text` typed as `spec` says; throws naming the option.
json::value typed(const std::string &who, const OptionSpec &spec, std::string_view text) {
  auto bad = [&]() -> json::value {
    fail(who + ": option --" + spec.name + " must be " + option_value_of(spec.type) + "; got '" +
         std::string(text) + "'");
  };
  switch (spec.type) {
    case OptionType::kString:
      return json::string(text);
    case OptionType::kInteger: {
      int64_t v = 0;
      auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
      if (text.empty() || ec != std::errc() || p != text.data() + text.size()) return bad();
      return v;
    }
    case OptionType::kNumber: {
      double v = 0;
      auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
      if (text.empty() || ec != std::errc() || p != text.data() + text.size() || !std::isfinite(v))
        return bad();
      return v;
    }
    case OptionType::kBoolean:
      if (text == "true" || text == "yes" || text == "on" || text == "1") return true;
      if (text == "false" || text == "no" || text == "off" || text == "0") return false;
      return bad();
  }
  return bad();
}

void check_rules(const std::string &who, const OptionSpec &spec, const json::value &v) {
  const std::string option = who + ": option --" + spec.name + " ";
  if (!spec.allowed.empty() &&
      std::find(spec.allowed.begin(), spec.allowed.end(), v) == spec.allowed.end()) {
    std::string list;
    for (const json::value &a : spec.allowed)
      list += (list.empty() ? "" : ", ") +
              (a.is_string() ? std::string(a.as_string()) : json::serialize(a));
    fail(option + "must be one of " + list + "; got " + value_text(v));
  }
  if (v.is_number()) {
    const double d = as_double(v);
    if (spec.minimum && d < *spec.minimum)
      fail(option + "must be at least " + shown(*spec.minimum) + "; got " + shown(v));
    if (spec.maximum && d > *spec.maximum)
      fail(option + "must be at most " + shown(*spec.maximum) + "; got " + shown(v));
  }
}

std::string declared_list(const std::vector<OptionSpec> &specs) {
  std::string out;
  for (const OptionSpec &s : specs) out += (out.empty() ? "--" : ", --") + s.name;
  return out.empty() ? "no options" : out;
}

}  // namespace

std::string shown(const json::value &v) {
  if (!v.is_double()) return json::serialize(v);
  char buf[64];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v.get_double());
  return ec == std::errc() ? std::string(buf, end) : json::serialize(v);
}

bool is_reserved_option(std::string_view name) {
  return std::find(std::begin(kReserved), std::end(kReserved), name) != std::end(kReserved);
}

std::string reserved_options_text() {
  std::string out;
  for (const char *r : kReserved) out += (out.empty() ? "--" : ", --") + std::string(r);
  return out;
}

std::vector<OptionSpec> option_specs(std::string_view plugin, const json::object &description,
                                     std::string_view action) {
  if (const json::array *actions = actions_of(description))
    for (const json::value &a : *actions)
      if (const json::object *o = a.if_object())
        if (const json::value *n = o->if_contains("name");
            n && n->is_string() && n->as_string() == action)
          return parse_specs(plugin, *o, std::string(action));
  return {};
}

void check_option_declarations(std::string_view plugin, const json::object &description) {
  if (const json::array *actions = actions_of(description))
    for (const json::value &a : *actions)
      if (const json::object *o = a.if_object())
        if (const json::value *n = o->if_contains("name"); n && n->is_string())
          parse_specs(plugin, *o, std::string(n->as_string()));
}

ActionArguments parse_action_arguments(std::string_view plugin, std::string_view action,
                                       const std::vector<OptionSpec> &specs,
                                       const std::vector<std::string> &sets,
                                       const std::vector<std::string> &words) {
  const std::string who = std::string(plugin) + " " + std::string(action);
  ActionArguments out;
  auto spec_of = [&](const std::string &name, const std::string &given) -> const OptionSpec * {
    for (const OptionSpec &s : specs)
      if (s.name == name) return &s;
    if (is_reserved_option(name)) {
      log::write("host", spdlog::level::warn,
                 who + ": " + given + " ignored: --" + name +
                     " is a host option, not one of the plugin's (give it before the plugin's "
                     "options, as a host option)");
      return nullptr;
    }
    fail(who + ": unknown option " + given + " (" + who + " takes " + declared_list(specs) +
         "; the host takes " + reserved_options_text() + ")");
  };
  auto put = [&](const OptionSpec &spec, json::value v) {
    if (out.options.contains(spec.name)) fail(who + ": option --" + spec.name + " given twice");
    out.options[spec.name] = std::move(v);
  };
  for (const std::string &kv : sets) {
    const auto eq = kv.find('=');
    if (eq == std::string::npos || eq == 0)
      fail(who + ": --set expects name=value, got '" + kv + "'");
    const std::string name = kv.substr(0, eq);
    if (const OptionSpec *spec = spec_of(name, "--set " + kv))
      put(*spec, typed(who, *spec, std::string_view(kv).substr(eq + 1)));
  }
  bool positional_only = false;
  for (size_t i = 0; i < words.size(); ++i) {
    const std::string &w = words[i];
    if (positional_only || w.rfind("--", 0) != 0) {
      out.args.emplace_back(w);
      continue;
    }
    if (w == "--") {
      positional_only = true;
      continue;
    }
    std::string name = w.substr(2);
    std::optional<std::string> value;
    if (const auto eq = name.find('='); eq != std::string::npos) {
      value = name.substr(eq + 1);
      name.resize(eq);
    }
    const OptionSpec *spec = spec_of(name, w);
    if (!spec) continue;
    if (!value && spec->type == OptionType::kBoolean) {
      put(*spec, true);
      continue;
    }
    if (!value) {
      if (i + 1 >= words.size() || words[i + 1].rfind("--", 0) == 0)
        fail(who + ": option --" + name + " needs a value (" + option_value_of(spec->type) + ")");
      value = words[++i];
    }
    put(*spec, typed(who, *spec, *value));
  }
  for (const OptionSpec &spec : specs) {
    if (const json::value *v = out.options.if_contains(spec.name)) {
      check_rules(who, spec, *v);
    } else if (spec.default_value) {
      out.options[spec.name] = *spec.default_value;
    } else if (spec.required) {
      fail(who + ": option --" + spec.name + " is required (" + option_value_of(spec.type) + ")");
    }
  }
  return out;
}

}  // namespace automuse::plugins
