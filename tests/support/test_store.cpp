// tests/support/test_store.cpp — the end-to-end tests' store switch (see test_store.hpp).
#include "support/test_store.hpp"

#include <boost/json.hpp>
#include <cstdlib>
#include <fstream>
#include <map>
#include <mutex>
#include <string>
#include <string_view>

#include "support/postgres_server.hpp"

namespace automuse::testing {
namespace fs = std::filesystem;
namespace json = boost::json;

namespace {

std::string read_text(const fs::path &p) {
  std::ifstream in(p, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

// Adds the store section to the config at `file` when it is a JSON object without one.
void add_store(const fs::path &file, const std::string &url) {
  json::parse_options opts;  // as the host reads it
  opts.allow_comments = true;
  opts.allow_trailing_commas = true;
  json::error_code ec;
  json::value config = json::parse(read_text(file), ec, {}, opts);
  if (ec || !config.is_object() || config.as_object().contains("store")) return;
  config.as_object()["store"] = json::object{{"url", url}};
  std::ofstream(file, std::ios::binary | std::ios::trunc) << json::serialize(config) << "\n";
}

std::mutex mutex;
std::map<fs::path, std::string> databases;  // root -> its database's URL

// The URL of `root`'s database, created on first use. Called with `mutex` held.
const std::string &database_of(const fs::path &root) {
  std::string &url = databases[fs::weakly_canonical(root)];
  if (url.empty()) url = PostgresServer::get().fresh_database();
  return url;
}

}  // namespace

bool test_store_is_postgres() {
  const char *v = std::getenv("AUTOMUSE_TEST_STORE");
  return v && std::string_view(v) == "postgres";
}

void use_test_store(const fs::path &root) {
  if (!test_store_is_postgres()) return;
  std::lock_guard lock(mutex);
  const std::string &url = database_of(root);
  for (const fs::path &file : {root / "automuse.json", root / "config/automuse/automuse.json"}) {
    std::error_code ec;
    if (fs::is_regular_file(file, ec)) add_store(file, url);
  }
}

std::string test_store_url(const fs::path &root) {
  if (!test_store_is_postgres()) return "";
  std::lock_guard lock(mutex);
  return database_of(root);
}

}  // namespace automuse::testing
