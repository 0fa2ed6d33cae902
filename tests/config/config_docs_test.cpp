// tests/config/config_docs_test.cpp — docs/configuration.md tells the truth: its table of keys
// is exactly the keys the configuration reader knows (config::known_keys), each documented
// default is what `config init` writes, and every documented key is used by host code.
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <filesystem>
#include <fstream>
#include <map>
#include <regex>
#include <set>
#include <sstream>
#include <string>

#include "config/config.hpp"

namespace fs = std::filesystem;
namespace json = boost::json;
using automuse::config::Config;
using automuse::config::KeyRole;

namespace {

std::string read_file(const fs::path &path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot read " + path.string());
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

// One row of the "## Keys" table: | `key` | default | meaning |, backticks removed.
struct DocRow {
  std::string key;
  std::string default_text;
};

std::vector<DocRow> documented_keys() {
  std::istringstream doc(read_file(AUTOMUSE_CONFIGURATION_MD));
  static const std::regex row(R"(^\| `([^`]+)` \| ([^|]*) \|.*)");
  std::vector<DocRow> rows;
  bool in_keys = false;
  for (std::string line; std::getline(doc, line);) {
    if (line.rfind("## ", 0) == 0) in_keys = line == "## Keys";
    std::smatch m;
    if (!in_keys || !std::regex_match(line, m, row)) continue;
    std::string value = m[2].str();
    value = std::regex_replace(value, std::regex(R"(^\s*`?|`?\s*$)"), "");
    rows.push_back({m[1].str(), value});
  }
  return rows;
}

// A documented `llm.providers.<name>` stands for the open section `llm.providers`.
std::string section_of(const std::string &documented) {
  static const std::regex open(R"(^(.*)\.<[a-z]+>$)");
  std::smatch m;
  return std::regex_match(documented, m, open) ? m[1].str() : std::string();
}

std::map<std::string, KeyRole> known() {
  std::map<std::string, KeyRole> out;
  for (const auto &k : automuse::config::known_keys()) out[k.path] = k.role;
  return out;
}

TEST(ConfigDocs, TableListsExactlyTheKnownKeys) {
  const auto rows = documented_keys();
  ASSERT_GT(rows.size(), 10u) << "the table in " << AUTOMUSE_CONFIGURATION_MD << " was not found";
  const auto keys = known();
  std::set<std::string> documented;
  for (const auto &row : rows) {
    std::string section = section_of(row.key);
    std::string key = section.empty() ? row.key : section;
    EXPECT_TRUE(documented.insert(key).second) << row.key << " is documented twice";
    auto it = keys.find(key);
    if (it == keys.end()) {
      ADD_FAILURE() << "docs/configuration.md documents `" << row.key
                    << "`, which the configuration reader does not know (config check calls it "
                       "an unknown key)";
      continue;
    }
    EXPECT_EQ(it->second, section.empty() ? KeyRole::Value : KeyRole::OpenSection)
        << "`" << row.key << "`: an open section is documented as `" << key
        << ".<name>`, a value by its own path";
  }
  for (const auto &[key, role] : keys) {
    if (role == KeyRole::Group) {
      bool has_child = false;
      for (const auto &d : documented) has_child = has_child || d.rfind(key + ".", 0) == 0;
      EXPECT_TRUE(has_child) << "no key of the group `" << key << "` is documented";
    } else {
      EXPECT_TRUE(documented.count(key))
          << "the configuration reader knows `" << key << "`"
          << (role == KeyRole::OpenSection ? " (as `" + key + ".<name>`)" : std::string())
          << ", but docs/configuration.md does not document it";
    }
  }
}

TEST(ConfigDocs, DefaultsAreWhatConfigInitWrites) {
  const Config defaults = Config::parse(Config::default_text(), "config init");
  for (const auto &problem : defaults.check())  // its {"env": ...} keys may be unset here
    EXPECT_NE(problem.message.find("is not set"), std::string::npos)
        << "config check finds a problem in what config init writes: " << problem.path << ": "
        << problem.message;
  const auto keys = known();
  for (const auto &row : documented_keys()) {
    auto it = keys.find(row.key);
    if (it == keys.end() || it->second != KeyRole::Value) continue;  // open sections: prose
    json::error_code ec;
    json::value documented = json::parse(row.default_text, ec);
    if (ec) {
      ADD_FAILURE() << "`" << row.key << "`: the documented default '" << row.default_text
                    << "' is not a JSON value";
      continue;
    }
    const json::value *written = defaults.find(row.key);
    if (!written) {
      ADD_FAILURE() << "`config init` does not write `" << row.key << "`";
      continue;
    }
    EXPECT_EQ(*written, documented)
        << "`" << row.key << "`: docs/configuration.md says " << row.default_text
        << ", config init writes " << json::serialize(*written);
  }
}

// Every value and open section is named by host code other than the reader itself (which
// knows every key, used or not): a key nothing uses must not be documented as if it worked.
// Host code names its keys by their dotted path, in lookups or in its error messages.
TEST(ConfigDocs, EveryKnownKeyIsUsedByHostCode) {
  std::string sources;
  for (const auto &entry : fs::recursive_directory_iterator(AUTOMUSE_HOST_SOURCE_DIR)) {
    if (entry.path().extension() != ".cpp" || entry.path().parent_path().filename() == "config")
      continue;
    sources += read_file(entry.path());
  }
  ASSERT_FALSE(sources.empty());
  for (const auto &[key, role] : known()) {
    if (role == KeyRole::Group || key == "plugins") continue;  // plugins.<id>: each plugin's own
    EXPECT_NE(sources.find("\"" + key), std::string::npos)
        << "no host code outside host/config names `" << key
        << "`: it is accepted by config check but nothing reads it";
  }
}

}  // namespace
