// Plain-text tables for the CLI: columns padded to their widest cell (counted in code points),
// long cells cut with an ellipsis.
#pragma once

#include <string>
#include <vector>

namespace automuse::store {

class TextTable {
 public:
  explicit TextTable(std::vector<std::string> header, size_t max_cell = 48)
      : header_(std::move(header)), max_cell_(max_cell) {}
  void add(std::vector<std::string> row) { rows_.push_back(std::move(row)); }
  bool empty() const { return rows_.empty(); }
  std::string render() const;

 private:
  std::vector<std::string> header_;
  std::vector<std::vector<std::string>> rows_;
  size_t max_cell_;
};

// One line of `text`, cut to `max` code points with "…" (newlines become spaces).
std::string one_line(const std::string &text, size_t max);

}  // namespace automuse::store
