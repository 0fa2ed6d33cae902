// tests/support/test_store.hpp — the end-to-end tests' store switch (test-only). With
// AUTOMUSE_TEST_STORE=postgres in the environment, every automuse-host a test spawns through
// tests/support (run_host, run_in_sandbox, HostProcess with sandbox_env, and the suites' own
// fork-and-exec helpers) keeps its shared state in a PostgreSQL database of its own instead of
// the sandbox's SQLite file: before the spawn, the sandbox's automuse.json gains
// `"store": {"url": ...}` naming a fresh database on the test program's throw-away server
// (postgres_server.hpp) — one database per sandbox root, the same one at every spawn, also when
// the test has rewritten its config in between. A config with a `store` section of its own is
// left as it is; so is a config that is missing or not JSON. Unset (or any other value), nothing
// changes: the hosts use SQLite as before.
#pragma once

#include <filesystem>
#include <string>

namespace automuse::testing {

// True when AUTOMUSE_TEST_STORE=postgres.
bool test_store_is_postgres();

// With the switch on, gives the sandbox under `root` its PostgreSQL store (see above): edits
// ROOT/automuse.json and ROOT/config/automuse/automuse.json, whichever exist. Thread-safe.
void use_test_store(const std::filesystem::path &root);

// The connection string of the database the switch gives the sandbox under `root` (the same
// one use_test_store writes into its config), or "" when the switch is off: for a test that
// reads the store itself.
std::string test_store_url(const std::filesystem::path &root);

}  // namespace automuse::testing
