// tests/support/sandbox_store.hpp — where a sandbox's automuse-host keeps its store, for a test
// that reads it itself: the sandbox's SQLite file, or its PostgreSQL database under the tests'
// store switch (AUTOMUSE_TEST_STORE=postgres, test_store.hpp). Header-only; the test links the
// store.
#pragma once

#include <filesystem>
#include <string>

#include "store/database.hpp"
#include "support/test_store.hpp"

namespace automuse::testing {

inline store::Location sandbox_store(const std::filesystem::path &root) {
  const std::string url = test_store_url(root);
  if (!url.empty()) return store::Location::postgresql(url);
  return root / "data/automuse/automuse.db";
}

}  // namespace automuse::testing
