// tests/layering/violations.cpp: the grouped report of violations.
#include "violations.hpp"

#include <map>
#include <ostream>
#include <set>
#include <tuple>

namespace layering {

std::size_t Violations::print(std::ostream &out) const {
  using Key = std::tuple<std::string, std::string, std::string, std::string>;
  struct Group {
    std::string first_file;
    std::set<std::string> files;
  };
  std::map<Key, Group> groups;
  for (const auto &v : items_) {
    auto &group = groups[{v.check, v.folder, v.used, v.rule}];
    if (group.files.empty()) group.first_file = v.file;
    group.files.insert(v.file);
  }
  std::string check;
  for (const auto &[key, group] : groups) {
    const auto &[group_check, folder, used, rule] = key;
    if (group_check != check) out << "-- " << (check = group_check) << '\n';
    out << group.first_file << ": uses " << used << " (layer rule: " << rule << ')';
    if (group.files.size() > 1)
      out << " [and " << group.files.size() - 1 << " more file(s) of " << folder << ']';
    out << '\n';
  }
  return groups.size();
}

}  // namespace layering
