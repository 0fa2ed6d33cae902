// host/config/config.hpp — automuse.json: finding it, parsing it (errors with line and
// column), checking it (each problem with its JSON path), the default written by
// `config init`, and a plugin's own section with {"env": "NAME"} secrets resolved.
#pragma once

#include <boost/json/value.hpp>
#include <filesystem>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace automuse::config {

// A configuration that could not be read: the message names the file, and for syntax
// errors the line and column.
class ConfigError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// One finding of `config check`.
struct Problem {
  std::string path;     // JSON path, "plugins.youtube.client_secret"
  std::string message;  // what is wrong and how to fix it
  bool error = true;    // false for warnings (unknown keys)
};

class Config {
 public:
  // An empty configuration (all defaults).
  Config();

  // The file to use: `explicit_path` if given, else $XDG_CONFIG_HOME/automuse/automuse.json
  // if it exists, else none.
  static std::optional<std::filesystem::path> locate(
      const std::optional<std::filesystem::path> &explicit_path);

  // Parse a file. Comments and trailing commas are accepted. Throws ConfigError.
  static Config load(const std::filesystem::path &path);
  // Parse text; `origin` names it in errors. Throws ConfigError.
  static Config parse(std::string_view text, const std::string &origin);

  // The text `config init` writes: every key with its default value.
  static std::string default_text();

  const boost::json::object &root() const noexcept { return root_; }
  const std::optional<std::filesystem::path> &path() const noexcept { return path_; }

  // Every problem found, in document order.
  std::vector<Problem> check() const;

  // `plugins.<id>` with {"env": "NAME"} replaced by the variable's value (null when unset);
  // an empty object when absent.
  boost::json::object plugin_section(const std::string &plugin_id) const;

  // A value by dotted path ("http.proxy"), or nullptr.
  const boost::json::value *find(std::string_view dotted_path) const;

  // Every secret value the configuration refers to, resolved: for log redaction. That includes
  // the values of {"env": NAME} references and of the variables `*key*_env` settings name.
  std::vector<std::string> secrets() const;

 private:
  boost::json::object root_;
  std::optional<std::filesystem::path> path_;
};

// A key `Config::check` knows (anything else draws an "unknown key" warning). A group is an
// object that only holds known keys ("log"); an open section holds keys that belong to
// someone else: providers by name ("llm.providers") or plugins by id ("plugins").
enum class KeyRole { Value, Group, OpenSection };
struct KnownKey {
  std::string path;  // dotted, "http.timeout_seconds"
  KeyRole role;
};
// Every known key; docs/configuration.md's table is checked against this list.
std::vector<KnownKey> known_keys();

// Replace {"env": "NAME"} objects anywhere in `v` by the environment variable's value.
boost::json::value resolve_env(const boost::json::value &v);

}  // namespace automuse::config
