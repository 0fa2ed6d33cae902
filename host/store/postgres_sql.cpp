// host/store/postgres_sql.cpp — `?` placeholders to $N (see postgres_sql.hpp).
#include "store/postgres_sql.hpp"

#include <algorithm>
#include <cctype>

namespace automuse::store {
namespace {

// The end of the quoted part or comment starting at `i`, or `i` when none starts there.
size_t skip_quoted(std::string_view sql, size_t i) {
  const char c = sql[i];
  if (c == '\'' || c == '"') {
    // A doubled quote inside is an escaped one: scanning on from it finds the same end.
    size_t end = sql.find(c, i + 1);
    return end == std::string_view::npos ? sql.size() : end + 1;
  }
  if (sql.substr(i, 2) == "--") {
    size_t end = sql.find('\n', i);
    return end == std::string_view::npos ? sql.size() : end;
  }
  if (sql.substr(i, 2) == "/*") {
    size_t end = sql.find("*/", i + 2);
    return end == std::string_view::npos ? sql.size() : end + 2;
  }
  return i;
}

}  // namespace

PostgresSql to_postgres_placeholders(std::string_view sql) {
  PostgresSql out;
  int next = 0;
  size_t i = 0;
  while (i < sql.size()) {
    if (size_t end = skip_quoted(sql, i); end != i) {
      out.text.append(sql.substr(i, end - i));
      i = end;
      continue;
    }
    if (sql[i] != '?') {
      out.text.push_back(sql[i++]);
      continue;
    }
    size_t digits = i + 1;
    while (digits < sql.size() && std::isdigit(static_cast<unsigned char>(sql[digits]))) ++digits;
    int number = digits > i + 1 ? std::stoi(std::string(sql.substr(i + 1, digits - i - 1))) : 0;
    // SQLite: a bare ? takes the number after the largest one used so far.
    if (number == 0) number = next + 1;
    next = std::max(next, number);
    out.text += "$" + std::to_string(number);
    i = digits;
  }
  out.parameters = next;
  return out;
}

}  // namespace automuse::store
