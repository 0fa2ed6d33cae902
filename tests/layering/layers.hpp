// tests/layering/layers.hpp: where a file of the build sits in the project's layering — the
// SDK, the renderer, a host folder, a plugin, a plugin-side helper library, tests, bench —
// worked out from its path alone (files in the build tree count as their source folder's).
#pragma once

#include <filesystem>
#include <string>

namespace layering {

enum class Layer {
  sdk,            // sdk/
  render,         // render/
  host,           // host/ and its service folders
  plugin,         // plugins/<name>/, a plugin of its own
  plugin_helper,  // plugins/<helper>/, a static library every plugin may link
  plugins_root,   // plugins/ itself (an include root that reaches every plugin)
  tests,          // tests/ and fuzz/
  bench,          // bench/
  other_repo,     // any other folder of the repository
  system,         // outside the repository and the build tree: system and third-party
};

// A place in the layering: its layer and the folder that owns it ("host/store",
// "plugins/afm", "sdk", "render"; empty for system).
struct Place {
  Layer layer;
  std::string folder;
};

class RepoMap {
 public:
  RepoMap(std::filesystem::path source_dir, std::filesystem::path build_dir);

  // Where `path` sits; a relative path is taken relative to the build directory, as ninja
  // and compile_commands.json write them.
  Place place_of(const std::filesystem::path &path) const;

  // The place of the target that compiled `source` into `object`: the folder whose
  // CMakeLists.txt defines it (a test may compile a plugin's source with the host's include
  // directories; that compilation is the test's). The generated SDK units are the SDK's.
  Place owner_of(const std::filesystem::path &source, const std::filesystem::path &object) const;

  // `path` relative to the repository when it is inside it, else absolute.
  std::string display(const std::filesystem::path &path) const;

  std::filesystem::path absolute(const std::filesystem::path &path) const;

 private:
  // The path's position relative to the repository ("host/store/store.hpp"), empty if outside.
  std::filesystem::path repo_relative(const std::filesystem::path &path) const;

  std::filesystem::path source_dir_;
  std::filesystem::path build_dir_;
};

std::string layer_name(Layer layer);

}  // namespace layering
