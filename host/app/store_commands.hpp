// host/app/store_commands.hpp — the CLI commands over the store, the cache and the importer:
//   accounts list [--plugin P] [--json]
//   accounts add --plugin P --nickname N [--set field=value …] [--json]
//   accounts show NAME [--plugin P] [--json]
//   accounts set NAME [--plugin P] --set field=value …
//   accounts remove NAME [--plugin P] [--yes]
//   history [--plugin P] [--account A] [--kind K] [--status S] [--limit N] [--json]
//   cache stats [--json]
//   cache clear [--older-than D]
//   import mpv2 PATH [--json]
// The host's main calls add_store_commands once; the commands open the store and cache only
// when they run.
#pragma once

#include <CLI/CLI.hpp>
#include <functional>
#include <iosfwd>
#include <optional>
#include <string>

#include "cache/cache.hpp"
#include "store/store.hpp"

namespace automuse::store {

struct StoreContext {
  // Open (on first call) and return the store and the cache. May throw StoreError.
  std::function<Store &()> store;
  std::function<cache::Cache &()> cache;
  // The account schema of an installed plugin: its describe() JSON (with "account_fields")
  // or an {"fields": […]} document; nullopt when no plugin has that id.
  std::function<std::optional<std::string>(const std::string &plugin_id)> account_schema;
  std::ostream *out = nullptr;  // default std::cout
  std::ostream *err = nullptr;  // default std::cerr
  std::istream *in = nullptr;   // default std::cin: remove's confirmation, secret values
};

// Adds the `accounts`, `history`, `cache` and `import` subcommands. `context` is called when a
// command runs; the command's exit status (0 ok, 1 failed or declined) goes to *exit_code.
// Errors are printed to the context's err stream as "automuse-host: <message>".
void add_store_commands(CLI::App &app, const std::function<StoreContext()> &context,
                        int *exit_code);

}  // namespace automuse::store
