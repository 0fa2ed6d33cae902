// tests/layering/violations.hpp: what the checks found, and the report that prints it — one
// line per distinct breach, "file: uses X (rule)", with how many more files of the same folder
// do the same.
#pragma once

#include <iosfwd>
#include <string>
#include <vector>

namespace layering {

struct Violation {
  std::string check;   // "include dirs", "headers", "host folders", "plugin symbols"
  std::string file;    // the file (source, object or library) that breaks the rule
  std::string folder;  // the folder it belongs to, for grouping
  std::string used;    // what it uses ("include dir plugins/twitter", "host/core/job.hpp")
  std::string rule;
};

class Violations {
 public:
  void add(Violation v) { items_.push_back(std::move(v)); }
  bool empty() const { return items_.empty(); }
  std::size_t size() const { return items_.size(); }

  // Prints each (check, folder, used, rule) once, naming its first file; returns the number
  // of lines printed.
  std::size_t print(std::ostream &out) const;

 private:
  std::vector<Violation> items_;
};

}  // namespace layering
