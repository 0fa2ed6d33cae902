// tests/web/db_dump.hpp — every row of every table of an SQLite store as text, to show that a
// refused request changed nothing. Header-only.
#pragma once

#include <sqlite3.h>

#include <filesystem>
#include <stdexcept>
#include <string>
#include <vector>

namespace automuse::testing {

inline std::string dump_database(const std::filesystem::path &file) {
  sqlite3 *db = nullptr;
  if (sqlite3_open_v2(file.c_str(), &db, SQLITE_OPEN_READONLY, nullptr) != SQLITE_OK)
    throw std::runtime_error("cannot open " + file.string());
  auto rows = [&](const std::string &sql) {
    std::vector<std::string> out;
    sqlite3_stmt *s = nullptr;
    if (sqlite3_prepare_v2(db, sql.c_str(), -1, &s, nullptr) != SQLITE_OK)
      throw std::runtime_error(sqlite3_errmsg(db));
    while (sqlite3_step(s) == SQLITE_ROW) {
      std::string row;
      for (int i = 0; i < sqlite3_column_count(s); ++i) {
        const unsigned char *t = sqlite3_column_text(s, i);
        row += (t ? reinterpret_cast<const char *>(t) : "NULL") + std::string("\x1f");
      }
      out.push_back(row);
    }
    sqlite3_finalize(s);
    return out;
  };
  std::string dump;
  for (const std::string &t :
       rows("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")) {
    const std::string name = t.substr(0, t.size() - 1);
    dump += "== " + name + "\n";
    for (const std::string &r : rows("SELECT * FROM \"" + name + "\" ORDER BY 1")) dump += r + "\n";
  }
  sqlite3_close(db);
  return dump;
}

}  // namespace automuse::testing
