// tests/layering/rules.hpp: the layering rules, all in rules.cpp — which layer may use which,
// what a plugin library may import, and which folders count as what.
#pragma once

#include <optional>
#include <set>
#include <string>
#include <string_view>

#include "layers.hpp"

namespace layering {

// Whether plugins/<name> is a plugin-side helper library (not a plugin of its own).
bool is_plugin_helper(std::string_view name);

// Sources that tests/layering generates in the build tree, one SDK header each, compiled with
// the SDK's include directory alone: their objects are checked as the SDK's own.
inline constexpr std::string_view kSdkUnitsFolder = "tests/layering/sdk_units";

// The rule `user` breaks by using `used` (an include directory or a header), or nullopt.
std::optional<std::string> broken_rule(const Place &user, const Place &used);

// The bundled plugins' names ("afm" for libafm.so, plugins/afm).
using PluginNames = std::set<std::string, std::less<>>;

// The rule a plugin library breaks by importing the dynamic symbol `mangled` (`demangled`
// once demangled), or nullopt.
std::optional<std::string> forbidden_plugin_import(std::string_view mangled,
                                                   std::string_view demangled,
                                                   const PluginNames &plugins);

// The rule a plugin library breaks by needing the shared library `soname` (DT_NEEDED).
std::optional<std::string> forbidden_plugin_needed(std::string_view soname,
                                                   const PluginNames &plugins);

// The rule the host executable breaks by needing the shared library `soname`.
std::optional<std::string> forbidden_host_needed(std::string_view soname,
                                                 const PluginNames &plugins);

}  // namespace layering
