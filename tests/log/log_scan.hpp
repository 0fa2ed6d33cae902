// tests/log/log_scan.hpp — the scan of the test suite's logs for the fakes' secrets
// (support/fake_secrets.hpp): every file under a folder laid out DIR/<test program>/..., as
// TempFolder keeps them when AUTOMUSE_TEST_LOG_DIR is set. A finding names the file, the line
// and which secret, never the value. Header-only.
#pragma once

#include <cctype>
#include <filesystem>
#include <fstream>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "support/fake_secrets.hpp"

namespace automuse::testing {

struct LogLeak {
  std::filesystem::path file;
  size_t line = 0;
  std::string_view what;  // the secret's name
};

struct LogScan {
  std::vector<LogLeak> leaks;
  std::set<std::string> suites;  // test programs whose logs were read
  size_t files = 0;
};

namespace log_scan_detail {

inline bool token_char(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_';
}

// Whether `line` has `prefix` starting a token: not inside a longer word, followed by at least
// kTokenTailLength token characters of which one is a digit or a capital (as random ones are;
// "at-least-once-delivery" is prose).
inline bool has_token(std::string_view line, std::string_view prefix) {
  for (size_t at = line.find(prefix); at != std::string_view::npos;
       at = line.find(prefix, at + 1)) {
    if (at > 0 && (token_char(line[at - 1]) || line[at - 1] == '/')) continue;
    size_t end = at + prefix.size(), random = 0;
    bool mixed = false;
    while (end < line.size() && token_char(line[end])) {
      mixed = mixed || std::isdigit(static_cast<unsigned char>(line[end])) ||
              std::isupper(static_cast<unsigned char>(line[end]));
      ++end, ++random;
    }
    if (random >= fake_secrets::kTokenTailLength && mixed) return true;
  }
  return false;
}

inline void scan_file(const std::filesystem::path &file, LogScan &out) {
  std::ifstream in(file, std::ios::binary);
  std::string line;
  for (size_t n = 1; std::getline(in, line); ++n) {
    for (const auto &key : fake_secrets::kKeys)
      if (line.find(key.value) != std::string::npos) out.leaks.push_back({file, n, key.name});
    for (const auto &token : fake_secrets::kTokenPrefixes)
      if (has_token(line, token.value)) out.leaks.push_back({file, n, token.name});
  }
  ++out.files;
}

}  // namespace log_scan_detail

// Every regular file under `dir`, read line by line.
inline LogScan scan_logs(const std::filesystem::path &dir) {
  LogScan out;
  std::error_code ec;
  for (auto it = std::filesystem::recursive_directory_iterator(dir, ec);
       !ec && it != std::filesystem::recursive_directory_iterator(); it.increment(ec)) {
    if (!it->is_regular_file()) continue;
    log_scan_detail::scan_file(it->path(), out);
    out.suites.insert(std::filesystem::relative(it->path(), dir).begin()->string());
  }
  return out;
}

}  // namespace automuse::testing
