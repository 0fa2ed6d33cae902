// Parsing of plugin account schemas and validation of account fields (see account_schema.h).
#include "store/account_schema.hpp"

#include <charconv>
#include <cmath>

#include "store/database.hpp"

namespace automuse::store {

namespace json = boost::json;

namespace {

double as_double(const json::value &v) {
  if (v.is_int64()) return static_cast<double>(v.get_int64());
  if (v.is_uint64()) return static_cast<double>(v.get_uint64());
  return v.get_double();
}

// 50 rather than the 5E1 a JSON serializer prints for a double.
std::string number_text(double d) {
  if (std::floor(d) == d && std::fabs(d) < 1e15) return std::to_string(static_cast<int64_t>(d));
  return std::to_string(d);
}

std::string account_prefix(std::string_view account, std::string_view plugin) {
  return "account '" + std::string(account) + "' (" + std::string(plugin) + "): ";
}

}  // namespace

AccountSchema AccountSchema::parse(std::string_view json_text, std::string_view plugin_id) {
  AccountSchema schema;
  schema.plugin_id_ = plugin_id;
  std::string where = std::string(plugin_id) + ": account schema ";
  auto fail = [&](const std::string &path, const std::string &msg) -> void {
    throw StoreError(where + path + ": " + msg);
  };
  json::error_code ec;
  json::value root = json::parse(json_text, ec);
  if (ec) fail("$", "not valid JSON (" + ec.message() + ")");
  // Accept the schema itself ({"fields": [...]}), a plugin's whole describe() document
  // ({"account_fields": [...], ...}) or a bare array of fields.
  const json::value *fields = &root;
  std::string base = "$";
  if (root.is_object()) {
    const json::object &o = root.as_object();
    base = o.contains("account_fields") ? "$.account_fields" : "$.fields";
    fields =
        o.contains("account_fields") ? o.if_contains("account_fields") : o.if_contains("fields");
    if (!fields) return schema;  // a plugin without account fields
  }
  if (!fields->is_array()) fail(base, "must be an array of fields");
  size_t i = 0;
  for (const json::value &f : fields->as_array()) {
    std::string path = base + "[" + std::to_string(i++) + "]";
    if (!f.is_object()) fail(path, "must be an object");
    const json::object &o = f.as_object();
    FieldSpec spec;
    const json::value *name = o.if_contains("name");
    if (!name || !name->is_string() || name->as_string().empty()) {
      fail(path + ".name", "must be a non-empty string");
    }
    spec.name = json::value_to<std::string>(*name);
    if (schema.find(spec.name)) fail(path + ".name", "duplicate field '" + spec.name + "'");
    if (const json::value *t = o.if_contains("type")) {
      if (std::optional<FieldType> type = core::value_type_named(*t)) {
        spec.type = *type;
      } else {
        fail(path + ".type", "unknown type " + json::serialize(*t) +
                                 " (expected string, integer, number or boolean)");
      }
    }
    auto flag = [&](const char *key, bool &out) {
      if (const json::value *v = o.if_contains(key)) {
        if (!v->is_bool()) fail(path + "." + key, "must be true or false");
        out = v->get_bool();
      }
    };
    flag("required", spec.required);
    flag("secret", spec.secret);
    if (spec.secret && spec.type != FieldType::kString) {
      fail(path + ".secret", "only string fields can be secret");
    }
    if (const json::value *e = o.if_contains("enum")) {
      if (!e->is_array() || e->as_array().empty())
        fail(path + ".enum", "must be a non-empty array");
      size_t j = 0;
      for (const json::value &a : e->as_array()) {
        if (!core::has_type(spec.type, a)) {
          fail(path + ".enum[" + std::to_string(j) + "]", "is not " + core::a_value_of(spec.type));
        }
        spec.allowed.push_back(a);
        ++j;
      }
    }
    for (const char *key : {"minimum", "maximum"}) {
      if (const json::value *v = o.if_contains(key)) {
        if (!v->is_number()) fail(path + "." + key, "must be a number");
        (std::string_view(key) == "minimum" ? spec.minimum : spec.maximum) = as_double(*v);
      }
    }
    if (const json::value *d = o.if_contains("default")) {
      if (!core::has_type(spec.type, *d)) {
        fail(path + ".default", "is not " + core::a_value_of(spec.type));
      }
      spec.default_value = *d;
    }
    for (const char *key : {"description", "help"}) {
      if (const json::value *d = o.if_contains(key); d && d->is_string()) {
        spec.description = json::value_to<std::string>(*d);
      }
    }
    schema.fields_.push_back(std::move(spec));
  }
  return schema;
}

const FieldSpec *AccountSchema::find(std::string_view name) const {
  for (const FieldSpec &f : fields_) {
    if (f.name == name) return &f;
  }
  return nullptr;
}

json::value AccountSchema::coerce(std::string_view account, std::string_view field,
                                  std::string_view text) const {
  const FieldSpec *spec = find(field);
  if (!spec) return json::string(text);  // validate() reports the unknown field
  auto bad = [&](std::string_view what) -> json::value {
    throw StoreError(account_prefix(account, plugin_id_) + "field '" + std::string(field) +
                     "' must be " + std::string(what) + "; got '" + std::string(text) + "'");
  };
  switch (spec->type) {
    case FieldType::kString:
      return json::string(text);
    case FieldType::kInteger: {
      int64_t v = 0;
      auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
      if (ec != std::errc() || p != text.data() + text.size() || text.empty()) {
        return bad("an integer");
      }
      return v;
    }
    case FieldType::kNumber: {
      json::error_code ec;
      json::value v = json::parse(text, ec);
      if (ec || !v.is_number()) return bad("a number");
      return v;
    }
    case FieldType::kBoolean:
      if (text == "true" || text == "yes" || text == "on" || text == "1") return true;
      if (text == "false" || text == "no" || text == "off" || text == "0") return false;
      return bad("true or false");
  }
  return json::string(text);
}

void AccountSchema::validate(std::string_view account, json::object &fields) const {
  std::string prefix = account_prefix(account, plugin_id_);
  for (const auto &kv : fields) {
    if (!find(kv.key())) {
      std::string known;
      for (const FieldSpec &f : fields_) known += (known.empty() ? "" : ", ") + f.name;
      throw StoreError(prefix + "unknown field '" + std::string(kv.key()) + "'; " + plugin_id_ +
                       " accounts have: " + (known.empty() ? "no fields" : known));
    }
  }
  for (const FieldSpec &f : fields_) {
    json::value *v = fields.if_contains(f.name);
    if (!v || v->is_null()) {
      if (f.default_value) {
        fields[f.name] = *f.default_value;
        continue;
      }
      if (f.required) throw StoreError(prefix + "field '" + f.name + "' is required");
      if (v) fields.erase(f.name);
      continue;
    }
    std::string field = "field '" + f.name + "' ";
    if (!core::has_type(f.type, *v)) {
      throw StoreError(prefix + field + "must be " + core::a_value_of(f.type) + "; got " +
                       json::serialize(*v));
    }
    if (f.type == FieldType::kInteger && v->is_double()) {
      *v = static_cast<int64_t>(v->get_double());
    }
    if (!f.allowed.empty()) {
      bool ok = false;
      std::string list;
      for (const json::value &a : f.allowed) {
        ok = ok || a == *v;
        list += (list.empty() ? "" : ", ") +
                (a.is_string() ? std::string(a.as_string()) : json::serialize(a));
      }
      if (!ok) {
        throw StoreError(prefix + field + "must be one of " + list + "; got " +
                         (f.secret ? "(a secret value)" : json::serialize(*v)));
      }
    }
    if (v->is_number()) {
      double d = as_double(*v);
      if (f.minimum && d < *f.minimum) {
        throw StoreError(prefix + field + "must be at least " + number_text(*f.minimum) + "; got " +
                         json::serialize(*v));
      }
      if (f.maximum && d > *f.maximum) {
        throw StoreError(prefix + field + "must be at most " + number_text(*f.maximum) + "; got " +
                         json::serialize(*v));
      }
    }
    if (f.type == FieldType::kString && f.required && v->as_string().empty()) {
      throw StoreError(prefix + field + "is required and may not be empty");
    }
  }
}

std::map<std::string, std::string> AccountSchema::take_secrets(json::object &fields) const {
  std::map<std::string, std::string> out;
  for (const FieldSpec &f : fields_) {
    if (!f.secret) continue;
    if (json::value *v = fields.if_contains(f.name)) {
      if (v->is_string()) out[f.name] = json::value_to<std::string>(*v);
      fields.erase(f.name);
    }
  }
  return out;
}

}  // namespace automuse::store
