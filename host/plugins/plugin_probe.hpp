// host/plugins/plugin_probe.hpp — read a plugin in a child process, so that a plugin that
// crashes or hangs while loading or in its init is reported ("crashed with SIGSEGV", "did
// not answer in 5 s") and the host goes on. The child is this executable run as
// `automuse-host __probe FILE`, which prints the plugin's info as one JSON object.
#pragma once

#include "core/runtime.hpp"
#include "core/services.hpp"

#include <boost/json/object.hpp>

#include <chrono>
#include <filesystem>
#include <optional>
#include <string>

namespace automuse::plugins {

struct ProbeResult {
  std::optional<boost::json::object> info;  // set when the plugin loaded and described itself
  std::string error;                        // otherwise: one line naming the file and cause
};

ProbeResult probe_in_child(const std::filesystem::path &plugin,
                           std::chrono::milliseconds timeout = std::chrono::seconds(5));

// The child side: load, initialise with the given services, describe, print JSON to stdout;
// on failure print the error line to stderr. Returns the process exit code.
int probe_main(const std::filesystem::path &plugin, core::ServiceRegistry &services,
               core::Runtime &runtime);

}  // namespace automuse::plugins
