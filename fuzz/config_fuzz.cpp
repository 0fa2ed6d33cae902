// fuzz/config_fuzz.cpp — automuse.json (host/config): Config::parse and Config::check on any
// text. Invariant: a configuration that parses, written back as JSON, parses to the same tree.
#include <boost/json/serialize.hpp>
#include <optional>
#include <string>
#include <string_view>

#include "config/config.hpp"
#include "fuzz_check.hpp"
#include "json_equal.hpp"

using automuse::config::Config;
using automuse::config::ConfigError;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  const std::string_view text(reinterpret_cast<const char *>(data), size);
  std::optional<Config> config;
  try {
    config = Config::parse(text, "automuse.json");
  } catch (const ConfigError &e) {
    FUZZ_CHECK(std::string_view(e.what()).starts_with("automuse.json"), "errors name the file");
    return 0;
  }
  for (const auto &problem : config->check())
    FUZZ_CHECK(!problem.message.empty(), "every problem says what is wrong");
  const std::string written = boost::json::serialize(config->root());
  try {
    FUZZ_CHECK(fuzz::json_equal(Config::parse(written, "again").root(), config->root()),
               "parses the same");
  } catch (const ConfigError &e) {
    FUZZ_CHECK(false, e.what());
  }
  return 0;
}
