// tests/layering/inputs.hpp: reading what the build left behind — compile_commands.json, the
// listing of ninja's dependency log, and the output of a command (ninja, nm, readelf). A
// missing or unreadable input throws InputError: the test must fail, never pass, without it.
#pragma once

#include <filesystem>
#include <map>
#include <stdexcept>
#include <string>
#include <vector>

namespace layering {

struct InputError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// One compiled source: its object (absolute) and the include directories it was compiled with.
struct CompileUnit {
  std::filesystem::path source;
  std::filesystem::path object;
  std::vector<std::filesystem::path> include_dirs;
};

std::vector<CompileUnit> read_compile_commands(const std::filesystem::path &file);

// What ninja's dependency log says of one object: every file its compilation read.
struct ObjectDeps {
  bool up_to_date = false;  // ninja marks an entry VALID, or STALE when its object is older
  std::vector<std::filesystem::path> files;
};

// Parses `ninja -t deps` output; objects are keyed by their absolute path (relative paths
// are relative to `build_dir`).
std::map<std::filesystem::path, ObjectDeps> parse_ninja_deps(
    const std::string &listing, const std::filesystem::path &build_dir);

// The standard output of `command` run by the shell; throws InputError if it fails.
std::string command_output(const std::string &command);

std::string read_text_file(const std::filesystem::path &file);

// `text` quoted for the shell.
std::string shell_quote(const std::string &text);

}  // namespace layering
