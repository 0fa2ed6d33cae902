// tests/layering/layering_check.cpp: the layering test. Checks the built tree against
// rules.cpp: each object's include directories (compile_commands.json) and the headers it
// really read (ninja's dependency log), cycles among the host's folders, and each plugin
// library's imported symbols, needed libraries and linked inputs (ninja -t inputs; the host
// executables' too). Exit 0 when the layering holds, 1 with a
// line per violation, 2 when an input is missing (the test never passes without its inputs).
//
//   layering_check --source-dir S --build-dir B --plugin LIB... [--host EXE...]
// Tests give saved listings instead of running the tools:
//   --compile-commands FILE --ninja-deps FILE
//   --plugin-listing LIB NM_FILE READELF_FILE INPUTS_FILE --host-listing EXE READELF INPUTS
// (INPUTS_FILE: the output of `ninja -t inputs` for the library or executable).
#include <filesystem>
#include <iostream>
#include <optional>
#include <vector>

#include "folder_cycles.hpp"
#include "include_checks.hpp"
#include "inputs.hpp"
#include "library_checks.hpp"

namespace fs = std::filesystem;
using namespace layering;

namespace {

struct Library {
  std::string path;
  std::optional<fs::path> nm_listing, readelf_listing, inputs_listing;  // saved, else run tools
};

struct Options {
  fs::path source_dir, build_dir, compile_commands;
  std::optional<fs::path> ninja_deps;
  std::vector<Library> plugins;
  std::vector<Library> hosts;
};

Options parse_options(int argc, char **argv) {
  Options o;
  std::vector<std::string> args(argv + 1, argv + argc);
  auto take = [&](std::size_t &i) -> std::string {
    if (i + 1 >= args.size()) throw InputError(args[i] + ": needs a value");
    return args[++i];
  };
  for (std::size_t i = 0; i < args.size(); ++i) {
    const auto &a = args[i];
    if (a == "--source-dir")
      o.source_dir = take(i);
    else if (a == "--build-dir")
      o.build_dir = take(i);
    else if (a == "--compile-commands")
      o.compile_commands = take(i);
    else if (a == "--ninja-deps")
      o.ninja_deps = take(i);
    else if (a == "--plugin")
      o.plugins.push_back({take(i), {}, {}, {}});
    else if (a == "--plugin-listing")
      o.plugins.push_back({take(i), take(i), take(i), take(i)});  // {} runs left to right
    else if (a == "--host")
      o.hosts.push_back({take(i), {}, {}, {}});
    else if (a == "--host-listing")
      o.hosts.push_back({take(i), {}, take(i), take(i)});
    else
      throw InputError("unknown argument: " + a);
  }
  if (o.source_dir.empty() || o.build_dir.empty())
    throw InputError("--source-dir and --build-dir are required");
  if (o.plugins.empty()) throw InputError("no plugin library given (--plugin)");
  if (o.compile_commands.empty()) o.compile_commands = o.build_dir / "compile_commands.json";
  return o;
}

std::string listing(const std::optional<fs::path> &saved, const std::string &command) {
  return saved ? read_text_file(*saved) : command_output(command);
}

std::string nm_listing(const Library &lib) {
  if (!lib.nm_listing && !fs::exists(lib.path)) throw InputError(lib.path + ": not built");
  return listing(lib.nm_listing, "nm -D --undefined-only " + shell_quote(lib.path));
}

std::string inputs_listing(const Library &lib, const fs::path &build_dir) {
  auto target = fs::path(lib.path).lexically_relative(fs::absolute(build_dir)).string();
  return listing(lib.inputs_listing, "ninja -C " + shell_quote(build_dir.string()) + " -t inputs " +
                                         shell_quote(target));
}

std::string readelf_listing(const Library &lib) {
  if (!lib.readelf_listing && !fs::exists(lib.path)) throw InputError(lib.path + ": not built");
  return listing(lib.readelf_listing, "readelf -d " + shell_quote(lib.path));
}

// "…/plugins-out/libafm.so" -> "afm"
std::string plugin_name(const std::string &path) {
  auto stem = fs::path(path).stem().string();
  return stem.starts_with("lib") ? stem.substr(3) : stem;
}

void require_sdk_units(const std::vector<CompileUnit> &units, const RepoMap &repo) {
  for (const auto &unit : units)
    if (repo.owner_of(unit.source, unit.object).layer == Layer::sdk) return;
  throw InputError(std::string("no compiled unit stands for the SDK (") +
                   std::string(kSdkUnitsFolder) + "): the sdk rule would go unchecked");
}

Violations check(const Options &o) {
  RepoMap repo(fs::absolute(o.source_dir), fs::absolute(o.build_dir));
  auto units = read_compile_commands(o.compile_commands);
  require_sdk_units(units, repo);
  auto deps = parse_ninja_deps(
      listing(o.ninja_deps, "ninja -C " + shell_quote(o.build_dir.string()) + " -t deps"),
      fs::absolute(o.build_dir));
  Violations violations;
  check_include_dirs(units, repo, violations);
  FolderGraph host_graph;
  check_headers(units, deps, repo, violations, host_graph);
  check_folder_cycles(host_graph, violations);
  PluginNames plugins;
  for (const auto &lib : o.plugins) plugins.insert(plugin_name(lib.path));
  for (const auto &lib : o.plugins) {
    check_plugin_library(repo.display(lib.path), nm_listing(lib), readelf_listing(lib), plugins,
                         violations);
    check_link_inputs(lib.path, inputs_listing(lib, o.build_dir), repo, violations);
  }
  for (const auto &host : o.hosts) {
    check_host_executable(repo.display(host.path), readelf_listing(host), plugins, violations);
    check_link_inputs(host.path, inputs_listing(host, o.build_dir), repo, violations);
  }
  return violations;
}

}  // namespace

int main(int argc, char **argv) {
  try {
    auto violations = check(parse_options(argc, argv));
    if (violations.empty()) {
      std::cout << "layering holds (rules: tests/layering/rules.cpp)\n";
      return 0;
    }
    auto lines = violations.print(std::cout);
    std::cout << "layering broken: " << lines << " distinct violation(s) in " << violations.size()
              << " use(s) (rules: tests/layering/rules.cpp)\n";
    return 1;
  } catch (const InputError &e) {
    std::cerr << "layering_check: " << e.what() << '\n';
    return 2;
  }
}
