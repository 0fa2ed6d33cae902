// tests/layering/rules.cpp: the layering rules in one table, and what a plugin library may
// import. Every check of the layering test asks these functions, so a rule changes here only.
#include "rules.hpp"

#include <algorithm>
#include <array>
#include <initializer_list>

namespace layering {
namespace {

// The plugin-side static helper libraries (plugins/<name>) that any plugin may link.
constexpr std::array kPluginHelpers = {std::string_view{"plugin_support"},
                                       std::string_view{"fresh_content"}};

struct LayerRule {
  Layer user;
  std::initializer_list<Layer> may_use;  // besides system and third-party headers
  bool own_folder_only;                  // of its own layer, only its own folder
  std::string_view text;
};

// Who may use what. Tests and bench exercise every layer, so they may use anything; no
// production layer may use them (they are in no production row).
const LayerRule kRules[] = {
    {Layer::sdk, {Layer::sdk}, false, "sdk/ uses nothing else of the repository"},
    {Layer::render,
     {Layer::render, Layer::sdk},
     false,
     "render/ uses only render/ and the SDK, nothing of host/ or plugins/"},
    {Layer::host,
     {Layer::host, Layer::render, Layer::sdk},
     false,
     "the host uses host/, render/ and the SDK, no plugin source"},
    {Layer::plugin,
     {Layer::plugin, Layer::plugin_helper, Layer::sdk},
     true,
     "a plugin uses only the SDK, its own folder and the plugin-side helpers "
     "(plugins/plugin_support, plugins/fresh_content)"},
    {Layer::plugin_helper,
     {Layer::plugin_helper, Layer::sdk},
     false,
     "a plugin-side helper uses only the SDK and the other plugin-side helpers"},
    {Layer::other_repo, {Layer::sdk}, false, "code outside the known layers uses only the SDK"},
};

// Shared libraries a plugin may need: the C and C++ runtimes and the well-known libraries
// the bundled plugins use (matched as the start of the soname).
constexpr std::array kPluginLibraries = {
    std::string_view{"libc.so"},
    std::string_view{"libm.so"},
    std::string_view{"libstdc++.so"},
    std::string_view{"libgcc_s.so"},
    std::string_view{"ld-linux"},
    std::string_view{"libpthread.so"},
    std::string_view{"libdl.so"},
    std::string_view{"librt.so"},
    std::string_view{"libboost_json"},
    std::string_view{"libboost_url"},
    std::string_view{"libboost_container"},
    std::string_view{"libicuuc"},
    std::string_view{"libicui18n"},
    std::string_view{"libicudata"},
    std::string_view{"libcrypto.so"},
    std::string_view{"libxml2.so"},
    std::string_view{"libz.so"},
    std::string_view{"libasan.so"},
    std::string_view{"libubsan.so"},
};

bool starts_with_any(std::string_view text, const auto &prefixes) {
  return std::any_of(prefixes.begin(), prefixes.end(),
                     [&](std::string_view p) { return text.starts_with(p); });
}

// "libafm.so" -> "afm"; empty if `soname` is no plugin file name.
std::string plugin_of_soname(std::string_view soname, const PluginNames &plugins) {
  for (const auto &name : plugins) {
    if (soname == "lib" + name + ".so") return name;
  }
  return {};
}

}  // namespace

bool is_plugin_helper(std::string_view name) {
  return std::find(kPluginHelpers.begin(), kPluginHelpers.end(), name) != kPluginHelpers.end();
}

std::optional<std::string> broken_rule(const Place &user, const Place &used) {
  if (used.layer == Layer::system) return std::nullopt;
  for (const auto &rule : kRules) {
    if (rule.user != user.layer) continue;
    bool allowed =
        std::find(rule.may_use.begin(), rule.may_use.end(), used.layer) != rule.may_use.end();
    if (allowed && rule.own_folder_only && used.layer == user.layer)
      allowed = used.folder == user.folder;
    if (allowed) return std::nullopt;
    return std::string(rule.text);
  }
  return std::nullopt;  // tests and bench: no rule beyond the production layers' own
}

std::optional<std::string> forbidden_plugin_import(std::string_view mangled,
                                                   std::string_view demangled,
                                                   const PluginNames &plugins) {
  if (mangled.starts_with("am_") || mangled.starts_with("automuse_"))
    return "a plugin gets host services only through am_host; the SDK exports no function";
  if (demangled.find("automuse::") != std::string_view::npos)
    return "a plugin never imports host code (namespace automuse::)";
  if (demangled.starts_with("am::"))
    return "the SDK's C++ helpers are header-only; an imported am:: symbol is host code";
  for (const auto &name : plugins) {
    if (demangled.starts_with(name + "::"))
      return "a plugin never imports another plugin's code (namespace " + name + "::)";
  }
  return std::nullopt;
}

std::optional<std::string> forbidden_plugin_needed(std::string_view soname,
                                                   const PluginNames &plugins) {
  if (auto other = plugin_of_soname(soname, plugins); !other.empty())
    return "a plugin never links another plugin (" + other + ")";
  if (soname.starts_with("libautomuse"))
    return std::string("a plugin never links host or renderer libraries");
  if (!starts_with_any(soname, kPluginLibraries))
    return std::string(
        "a plugin links only the C/C++ runtimes and the allowed third-party libraries "
        "(Boost.JSON/URL, ICU, libcrypto, libxml2, zlib); add a new one to rules.cpp");
  return std::nullopt;
}

std::optional<std::string> forbidden_host_needed(std::string_view soname,
                                                 const PluginNames &plugins) {
  if (auto plugin = plugin_of_soname(soname, plugins); !plugin.empty())
    return "the host never links a plugin (" + plugin + "); it loads plugins with dlopen";
  return std::nullopt;
}

}  // namespace layering
