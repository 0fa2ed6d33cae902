// tests/layering/layers.cpp: a path's layer, from its folder in the repository.
#include "layers.hpp"

#include <vector>

#include "rules.hpp"

namespace fs = std::filesystem;

namespace layering {
namespace {

bool is_under(const fs::path &path, const fs::path &dir) {
  auto rel = path.lexically_relative(dir);
  return !rel.empty() && *rel.begin() != "..";
}

std::vector<std::string> parts_of(const fs::path &rel) {
  std::vector<std::string> parts;
  for (const auto &part : rel) parts.push_back(part.string());
  return parts;
}

}  // namespace

RepoMap::RepoMap(fs::path source_dir, fs::path build_dir)
    : source_dir_(fs::path(source_dir).lexically_normal()),
      build_dir_(fs::path(build_dir).lexically_normal()) {}

fs::path RepoMap::absolute(const fs::path &path) const {
  auto abs = (path.is_absolute() ? path : build_dir_ / path).lexically_normal();
  return abs.has_filename() ? abs : abs.parent_path();  // "host/" is the folder "host"
}

fs::path RepoMap::repo_relative(const fs::path &path) const {
  auto abs = absolute(path);
  // The build tree may sit inside the repository: look there first.
  if (is_under(abs, build_dir_)) return abs.lexically_relative(build_dir_);
  if (is_under(abs, source_dir_)) return abs.lexically_relative(source_dir_);
  if (abs == source_dir_) return ".";
  return {};
}

std::string RepoMap::display(const fs::path &path) const {
  auto abs = absolute(path);
  return is_under(abs, source_dir_) ? abs.lexically_relative(source_dir_).string() : abs.string();
}

Place RepoMap::place_of(const fs::path &path) const {
  auto rel = repo_relative(path);
  if (rel.empty()) return {Layer::system, ""};
  auto parts = parts_of(rel);
  const auto &top = parts.front();
  // A file of the folder itself ("host/CMakeLists.txt") or the folder as include root.
  bool deeper = parts.size() > 2 || (parts.size() == 2 && !rel.has_extension());
  std::string sub = parts.size() >= 2 && deeper ? top + "/" + parts[1] : top;
  if (top == "sdk") return {Layer::sdk, "sdk"};
  if (top == "render") return {Layer::render, "render"};
  if (top == "host") return {Layer::host, sub};
  // The fuzz targets are tests too: replayed by ctest, they exercise the parsers of every layer.
  if (top == "tests" || top == "fuzz") return {Layer::tests, sub};
  if (top == "bench") return {Layer::bench, sub};
  if (top == "plugins") {
    if (sub == top) return {Layer::plugins_root, top};
    return {is_plugin_helper(parts[1]) ? Layer::plugin_helper : Layer::plugin, sub};
  }
  return {Layer::other_repo, top};
}

Place RepoMap::owner_of(const fs::path &source, const fs::path &object) const {
  if (repo_relative(source).string().starts_with(kSdkUnitsFolder)) return {Layer::sdk, "sdk"};
  // CMake puts a target's objects under <its folder in the build tree>/CMakeFiles/.
  fs::path folder;
  for (const auto &part : absolute(object).lexically_relative(build_dir_)) {
    if (part == "CMakeFiles") return place_of(source_dir_ / folder);
    folder /= part;
  }
  return place_of(source);
}

std::string layer_name(Layer layer) {
  switch (layer) {
    case Layer::sdk:
      return "sdk";
    case Layer::render:
      return "render";
    case Layer::host:
      return "host";
    case Layer::plugin:
      return "plugin";
    case Layer::plugin_helper:
      return "plugin helper";
    case Layer::plugins_root:
      return "plugins/";
    case Layer::tests:
      return "tests";
    case Layer::bench:
      return "bench";
    case Layer::other_repo:
      return "other";
    case Layer::system:
      return "system";
  }
  return "?";
}

}  // namespace layering
