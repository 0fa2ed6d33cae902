// tests/support/files.hpp — reading and writing a whole file in a test, in one line each.
#pragma once

#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <string_view>
#include <vector>

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

// Temporaries left beside `p`: files named like p's name followed by ".part" (and whatever an
// unpredictable temporary name adds to it).
inline std::vector<std::filesystem::path> part_files(const std::filesystem::path &p) {
  std::vector<std::filesystem::path> found;
  std::error_code ec;
  const std::string prefix = p.filename().string() + ".part";
  for (const auto &e : std::filesystem::directory_iterator(p.parent_path(), ec))
    if (e.path().filename().string().rfind(prefix, 0) == 0) found.push_back(e.path());
  return found;
}

}  // namespace automuse::testing
