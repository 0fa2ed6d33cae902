// tests/support/files.hpp — reading and writing a whole file in a test, in one line each.
#pragma once

#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <string_view>

namespace automuse::testing {

// Writes `text` to `p`, making its folder first.
inline void write_file(const std::filesystem::path &p, std::string_view text) {
  std::filesystem::create_directories(p.parent_path());
  std::ofstream(p, std::ios::binary) << text;
}

// The whole of `p` ("" when it cannot be read).
inline std::string read_file(const std::filesystem::path &p) {
  std::ifstream in(p, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

}  // namespace automuse::testing
