// fuzz/config_fuzz.cpp — automuse.json (host/config): Config::parse and Config::check on any
// text. Invariant: a configuration that parses, written back as JSON, parses to the same tree.
#include <boost/json/serialize.hpp>
#include <string_view>

#include "config/config.hpp"
#include "fuzz_check.hpp"

using automuse::config::Config;
using automuse::config::ConfigError;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  const std::string_view text(reinterpret_cast<const char *>(data), size);
  try {
    const Config config = Config::parse(text, "automuse.json");
    for (const auto &problem : config.check())
      FUZZ_CHECK(!problem.message.empty(), "every problem says what is wrong");
    const Config again = Config::parse(boost::json::serialize(config.root()), "again");
    FUZZ_CHECK(again.root() == config.root(), "re-serialised configuration parses the same");
  } catch (const ConfigError &) {
  }
  return 0;
}
