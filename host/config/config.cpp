// host/config/config.cpp — parsing, checking and defaults of automuse.json.
#include "config/config.hpp"

#include <boost/json.hpp>
#include <cstdlib>
#include <fstream>
#include <sstream>

#include "config/paths.hpp"
#include "core/finite_json.hpp"
#include "log/redaction.hpp"

namespace automuse::config {
namespace fs = std::filesystem;
namespace json = boost::json;

namespace {

// The known keys with their expected kinds; anything else is a warning, so that a typo
// ("htpp") is seen instead of silently ignored.
enum class Kind { String, Number, Bool, Object, Secret, StringOrNull };

struct Key {
  const char *path;
  Kind kind;
};

constexpr Key kKnownKeys[] = {
    {"data_dir", Kind::StringOrNull},
    {"store", Kind::Object},
    {"store.url", Kind::StringOrNull},
    {"log", Kind::Object},
    {"log.level", Kind::String},
    {"log.file", Kind::Bool},
    {"log.json", Kind::Bool},
    {"http", Kind::Object},
    {"http.proxy", Kind::StringOrNull},
    {"http.ca_bundle", Kind::StringOrNull},
    {"http.max_connections", Kind::Number},
    {"http.max_connections_per_host", Kind::Number},
    {"http.timeout_seconds", Kind::Number},
    {"http.stall_seconds", Kind::Number},
    {"http.allow_private_addresses", Kind::Bool},
    {"limits", Kind::Object},
    {"limits.renders", Kind::Number},
    {"limits.worker_nice", Kind::Number},
    {"limits.network_jobs", Kind::Number},
    {"limits.response_body_mb", Kind::Number},
    {"limits.downloads_mb", Kind::Object},
    {"limits.downloads_mb.image", Kind::Number},
    {"limits.downloads_mb.video", Kind::Number},
    {"limits.downloads_mb.audio", Kind::Number},
    {"limits.media_megapixels", Kind::Number},
    {"limits.llm_answer_kb", Kind::Number},
    {"limits.upload_mb", Kind::Number},
    {"llm", Kind::Object},
    {"llm.provider", Kind::String},
    {"llm.model", Kind::StringOrNull},
    {"llm.providers", Kind::Object},
    {"speech", Kind::Object},
    {"speech.provider", Kind::String},
    {"speech.providers", Kind::Object},
    {"images", Kind::Object},
    {"images.provider", Kind::String},
    {"images.providers", Kind::Object},
    {"cache", Kind::Object},
    {"cache.max_size_mb", Kind::Number},
    {"schedule", Kind::Object},
    {"schedule.retry_base_seconds", Kind::Number},
    {"schedule.max_attempts", Kind::Number},
    {"schedule.grace_seconds", Kind::Number},
    {"queue", Kind::Object},
    {"queue.lease_seconds", Kind::Number},
    {"queue.renew_seconds", Kind::Number},
    {"queue.poll_seconds", Kind::Number},
    {"render", Kind::Object},
    {"render.encoder", Kind::String},
    {"plugins", Kind::Object},
};

// Sections whose inner keys belong to someone else (providers, plugins).
constexpr const char *kOpenSections[] = {"llm.providers", "speech.providers", "images.providers",
                                         "plugins"};

const char *kind_name(Kind k) {
  switch (k) {
    case Kind::String:
      return "a string";
    case Kind::Number:
      return "a number";
    case Kind::Bool:
      return "true or false";
    case Kind::Object:
      return "an object";
    case Kind::Secret:
      return "a string or {\"env\": \"NAME\"}";
    case Kind::StringOrNull:
      return "a string or null";
  }
  return "?";
}

bool matches(const json::value &v, Kind k) {
  switch (k) {
    case Kind::String:
      return v.is_string();
    case Kind::Number:
      return v.is_number();
    case Kind::Bool:
      return v.is_bool();
    case Kind::Object:
      return v.is_object();
    case Kind::Secret:
      return v.is_string() || v.is_object();
    case Kind::StringOrNull:
      return v.is_string() || v.is_null();
  }
  return false;
}

const Key *known(const std::string &path) {
  for (const auto &k : kKnownKeys)
    if (path == k.path) return &k;
  return nullptr;
}

bool inside_open_section(const std::string &path) {
  for (const char *s : kOpenSections) {
    std::string prefix = std::string(s) + ".";
    if (path.rfind(prefix, 0) == 0) return true;
  }
  return false;
}

bool is_env_ref(const json::value &v) {
  return v.is_object() && v.as_object().size() == 1 && v.as_object().contains("env") &&
         v.as_object().at("env").is_string();
}

// Walk every value; report env references to unset variables and, outside open sections,
// unknown keys and wrong kinds.
void walk(const json::value &v, const std::string &path, std::vector<Problem> &out) {
  if (is_env_ref(v)) {
    std::string name(v.as_object().at("env").as_string());
    const char *value = std::getenv(name.c_str());
    if (!value || !*value)
      out.push_back({path, "environment variable " + name + " is not set", true});
    return;
  }
  if (!v.is_object()) return;
  for (const auto &[key, child] : v.as_object()) {
    std::string child_path = path.empty() ? std::string(key) : path + "." + std::string(key);
    if (!inside_open_section(child_path)) {
      if (const Key *k = known(child_path)) {
        if (!matches(child, k->kind) && !is_env_ref(child))
          out.push_back({child_path, std::string("must be ") + kind_name(k->kind), true});
      } else {
        out.push_back({child_path, "unknown key (a typo?); it is ignored", false});
        continue;
      }
    }
    walk(child, child_path, out);
  }
}

std::pair<size_t, size_t> line_and_column(std::string_view text, size_t offset) {
  size_t line = 1, col = 1;
  for (size_t i = 0; i < offset && i < text.size(); ++i) {
    if (text[i] == '\n') {
      ++line;
      col = 1;
    } else {
      ++col;
    }
  }
  return {line, col};
}

}  // namespace

std::vector<KnownKey> known_keys() {
  std::vector<KnownKey> keys;
  for (const Key &k : kKnownKeys) {
    KeyRole role = k.kind == Kind::Object ? KeyRole::Group : KeyRole::Value;
    for (const char *open : kOpenSections)
      if (std::string_view(k.path) == open) role = KeyRole::OpenSection;
    keys.push_back({k.path, role});
  }
  return keys;
}

Config::Config() = default;

std::optional<fs::path> Config::locate(const std::optional<fs::path> &explicit_path) {
  if (explicit_path) return explicit_path;
  auto def = default_config_file();
  std::error_code ec;
  if (fs::exists(def, ec)) return def;
  return std::nullopt;
}

Config Config::load(const fs::path &path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw ConfigError(path.string() + ": cannot open the configuration file");
  std::stringstream ss;
  ss << in.rdbuf();
  Config c = parse(ss.str(), path.string());
  c.path_ = path;
  return c;
}

Config Config::parse(std::string_view text, const std::string &origin) {
  json::parse_options opts;
  opts.allow_comments = true;
  opts.allow_trailing_commas = true;
  json::stream_parser p({}, opts);
  json::error_code ec;
  size_t used = p.write_some(text.data(), text.size(), ec);
  if (!ec) p.finish(ec);
  if (ec) {
    auto [line, col] = line_and_column(text, used);
    throw ConfigError(origin + ":" + std::to_string(line) + ":" + std::to_string(col) +
                      ": invalid JSON: " + ec.message());
  }
  json::value v = p.release();
  if (!v.is_object()) throw ConfigError(origin + ": the configuration must be a JSON object");
  if (auto path = core::infinite_number(v))
    throw ConfigError(origin + ": " + *path + ": the number is too large");
  Config c;
  c.root_ = std::move(v.as_object());
  // Known to the redactor from the moment they are read, before anything can print them.
  for (std::string &secret : c.secrets()) log::add_secret(std::move(secret));
  return c;
}

std::string Config::default_text() {
  return R"({
  "data_dir": null,
  "store": {"url": null},
  "log": {"level": "info", "file": true, "json": false},
  "http": {
    "proxy": null,
    "ca_bundle": null,
    "max_connections": 64,
    "max_connections_per_host": 8,
    "timeout_seconds": 300,
    "stall_seconds": 60,
    "allow_private_addresses": false
  },
  "limits": {
    "renders": 0,
    "worker_nice": 10,
    "network_jobs": 16,
    "response_body_mb": 32,
    "downloads_mb": {"image": 64, "video": 1024, "audio": 256},
    "media_megapixels": 100,
    "llm_answer_kb": 8192,
    "upload_mb": 16384
  },
  "schedule": {"retry_base_seconds": 60, "max_attempts": 3, "grace_seconds": 30},
  "queue": {"lease_seconds": 60, "renew_seconds": 20, "poll_seconds": 2},
  "llm": {
    "provider": "ollama",
    "model": null,
    "providers": {
      "ollama": {"base_url": "http://127.0.0.1:11434/v1", "model": "llama3.2"},
      "openai": {"base_url": "https://api.openai.com/v1", "model": "gpt-4o-mini", "api_key": {"env": "OPENAI_API_KEY"}}
    }
  },
  "speech": {"provider": "espeak-ng", "providers": {}},
  "images": {"provider": "title-cards", "providers": {}},
  "cache": {"max_size_mb": 2048},
  "render": {"encoder": "libx264"},
  "plugins": {
    "youtube": {},
    "twitter": {},
    "afm": {}
  }
}
)";
}

std::vector<Problem> Config::check() const {
  std::vector<Problem> out;
  walk(json::value(root_), "", out);
  if (auto *level = find("log.level"); level && level->is_string()) {
    static const char *kLevels[] = {"trace", "debug", "info", "warn", "error", "critical", "off"};
    bool ok = false;
    for (auto *l : kLevels) ok = ok || level->as_string() == l;
    if (!ok)
      out.push_back({"log.level", "must be one of trace, debug, info, warn, error, critical, off"});
  }
  for (const char *p :
       {"http.max_connections", "http.max_connections_per_host", "http.timeout_seconds",
        "http.stall_seconds", "limits.network_jobs", "cache.max_size_mb", "limits.response_body_mb",
        "limits.downloads_mb.image", "limits.downloads_mb.video", "limits.downloads_mb.audio",
        "limits.media_megapixels", "limits.llm_answer_kb", "limits.upload_mb"}) {
    if (auto *v = find(p); v && v->is_number() && v->to_number<double>() <= 0)
      out.push_back({p, "must be greater than 0"});
  }
  if (auto *v = find("http.ca_bundle");
      v && v->is_string() && !fs::exists(std::string(v->as_string())))
    out.push_back({"http.ca_bundle", "no such file: " + std::string(v->as_string())});
  return out;
}

const json::value *Config::find(std::string_view dotted_path) const {
  const json::object *obj = &root_;
  const json::value *v = nullptr;
  while (!dotted_path.empty()) {
    size_t dot = dotted_path.find('.');
    auto key = dotted_path.substr(0, dot);
    if (!obj) return nullptr;
    v = obj->if_contains(key);
    if (!v) return nullptr;
    obj = v->if_object();
    dotted_path = dot == std::string_view::npos ? std::string_view() : dotted_path.substr(dot + 1);
  }
  return v;
}

json::value resolve_env(const json::value &v) {
  if (is_env_ref(v)) {
    const char *value = std::getenv(std::string(v.as_object().at("env").as_string()).c_str());
    return value ? json::value(value) : json::value(nullptr);
  }
  if (v.is_object()) {
    json::object o;
    for (const auto &[k, child] : v.as_object()) o[k] = resolve_env(child);
    return o;
  }
  if (v.is_array()) {
    json::array a;
    for (const auto &child : v.as_array()) a.push_back(resolve_env(child));
    return a;
  }
  return v;
}

json::object Config::plugin_section(const std::string &plugin_id) const {
  auto *plugins = root_.if_contains("plugins");
  if (!plugins || !plugins->is_object()) return {};
  auto *section = plugins->as_object().if_contains(plugin_id);
  if (!section || !section->is_object()) return {};
  return resolve_env(*section).as_object();
}

std::vector<std::string> Config::secrets() const {
  std::vector<std::string> out;
  auto collect = [&](auto &&self, const json::value &v, bool secret_key) -> void {
    if (is_env_ref(v)) {
      if (const char *value = std::getenv(std::string(v.as_object().at("env").as_string()).c_str()))
        out.emplace_back(value);
      return;
    }
    if (v.is_string() && secret_key) out.emplace_back(v.as_string());
    if (v.is_object())
      for (const auto &[k, child] : v.as_object()) {
        std::string key(k);
        bool s = key.find("key") != std::string::npos || key.find("secret") != std::string::npos ||
                 key.find("token") != std::string::npos ||
                 key.find("password") != std::string::npos;
        // "api_key_env": "NAME" names the variable that holds the key (an LLM provider's).
        if (s && key.ends_with("_env") && child.is_string())
          if (const char *value = std::getenv(std::string(child.as_string()).c_str()))
            out.emplace_back(value);
        self(self, child, s);
      }
    if (v.is_array())
      for (const auto &child : v.as_array()) self(self, child, secret_key);
  };
  collect(collect, json::value(root_), false);
  return out;
}

}  // namespace automuse::config
