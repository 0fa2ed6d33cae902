// host/app/serve_command.hpp — `automuse-host serve [--listen 127.0.0.1:8787] [--slots N]`:
// the REST API (host/web) and an in-process worker of the job queue in one process, so jobs
// started through the API run here unless other workers take them first. `daemon --serve`
// adds the API to the daemon through start_api. At the first start the API token is made
// and printed once; every start prints a one-time login link.
#pragma once

#include <CLI/CLI.hpp>
#include <boost/asio/io_context.hpp>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "app/host_context.hpp"

namespace automuse::app {

struct ServeArgs {
  std::string listen = "127.0.0.1:8787";  // HOST:PORT ([v6]:PORT); port 0 picks a free one
  std::vector<std::string> allow_hosts;   // Host header names allowed besides IP literals
  size_t body_limit = 1 << 20;
};

// The API serving on `io` while it lives (stopped and closed when destroyed).
class ApiRuntime {
 public:
  virtual ~ApiRuntime() = default;
  virtual void stop() = 0;
};

// Starts the API (reads the plugins' descriptions first) and prints where it listens, the
// token when it was just made, and the login link. Throws std::runtime_error naming the
// address or file when it cannot.
std::unique_ptr<ApiRuntime> start_api(HostContext &ctx, boost::asio::io_context &io,
                                      const ServeArgs &args);

// --listen and --allow-host on `command`, into `args`.
void add_serve_options(CLI::App *command, const std::shared_ptr<ServeArgs> &args);

void add_serve_command(CLI::App &app, const std::function<HostContext &()> &context,
                       int *exit_code);

}  // namespace automuse::app
