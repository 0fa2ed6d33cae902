// host/app/text_table.cpp — plain-text table rendering (see text_table.hpp).
#include "app/text_table.hpp"

#include <algorithm>

namespace automuse::store {

namespace {

size_t width(const std::string &s) {
  size_t n = 0;
  for (unsigned char c : s) n += (c & 0xC0) != 0x80;  // count UTF-8 lead bytes
  return n;
}

}  // namespace

std::string one_line(const std::string &text, size_t max) {
  std::string flat;
  for (char c : text) flat += (c == '\n' || c == '\r' || c == '\t') ? ' ' : c;
  if (width(flat) <= max) return flat;
  std::string out;
  size_t n = 0;
  for (size_t i = 0; i < flat.size(); ++i) {
    unsigned char c = static_cast<unsigned char>(flat[i]);
    if ((c & 0xC0) != 0x80 && ++n > max - 1) break;
    out += flat[i];
  }
  return out + "…";
}

std::string TextTable::render() const {
  std::vector<size_t> widths(header_.size(), 0);
  auto cells = [&](const std::vector<std::string> &row) {
    std::vector<std::string> out;
    for (size_t i = 0; i < header_.size(); ++i) {
      out.push_back(one_line(i < row.size() ? row[i] : "", max_cell_));
    }
    return out;
  };
  std::vector<std::vector<std::string>> all{cells(header_)};
  for (const auto &r : rows_) all.push_back(cells(r));
  for (const auto &r : all) {
    for (size_t i = 0; i < r.size(); ++i) widths[i] = std::max(widths[i], width(r[i]));
  }
  std::string out;
  for (const auto &r : all) {
    std::string line;
    for (size_t i = 0; i < r.size(); ++i) {
      line += r[i];
      if (i + 1 < r.size()) line += std::string(widths[i] - width(r[i]) + 2, ' ');
    }
    while (!line.empty() && line.back() == ' ') line.pop_back();
    out += line + "\n";
  }
  return out;
}

}  // namespace automuse::store
