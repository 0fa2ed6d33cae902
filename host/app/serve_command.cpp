// host/app/serve_command.cpp — `serve`, and the API's start for `daemon --serve`.
#include "app/serve_command.hpp"

#include <boost/asio/executor_work_guard.hpp>
#include <iostream>

#include "app/job_worker.hpp"
#include "app/plugin_commands.hpp"
#include "log/logging.hpp"
#include "schedule/graceful_stop.hpp"
#include "web/api_server.hpp"

namespace automuse::app {
namespace asio = boost::asio;

namespace {

asio::ip::tcp::endpoint parse_listen(const std::string &text) {
  const size_t colon = text.rfind(':');
  if (colon == std::string::npos || colon == 0)
    throw std::runtime_error("--listen: expected HOST:PORT (e.g. 127.0.0.1:8787), got '" + text +
                             "'");
  std::string host = text.substr(0, colon);
  if (host.size() > 2 && host.front() == '[' && host.back() == ']')
    host = host.substr(1, host.size() - 2);
  boost::system::error_code ec;
  auto address = asio::ip::make_address(host, ec);
  if (ec) throw std::runtime_error("--listen: '" + host + "' is not an IP address");
  int port = -1;
  try {
    port = std::stoi(text.substr(colon + 1));
  } catch (...) {
  }
  if (port < 0 || port > 65535)
    throw std::runtime_error("--listen: '" + text.substr(colon + 1) + "' is not a port");
  return {address, static_cast<unsigned short>(port)};
}

class Runtime : public ApiRuntime {
 public:
  Runtime(HostContext &ctx, asio::io_context &io, const ServeArgs &args)
      : api_(io, ctx.store(), ctx.store_location(), ctx.data_dir() / "web", plugins_of(ctx),
             load(ctx)) {
    web::ApiOptions options;
    options.listen = parse_listen(args.listen);
    options.allowed_hosts = args.allow_hosts;
    options.limits.body_limit = args.body_limit;
    server_.emplace(api_, options, credentials_);
    server_->start();
    announce(ctx, options);
  }
  ~Runtime() override { stop(); }
  void stop() override {
    if (server_) server_->stop();
  }

 private:
  std::string load(HostContext &ctx) {
    credentials_ = web::load_or_create_credentials(ctx.data_dir() / "web");
    return credentials_.signing_key;
  }

  static boost::json::array plugins_of(HostContext &ctx) {
    boost::json::array out;
    for (auto &p : discover_plugins(ctx).plugins) out.push_back(p);
    return out;
  }

  void announce(HostContext &ctx, const web::ApiOptions &options) {
    const auto a = options.listen.address();
    if (!a.is_loopback())
      log::write("web", spdlog::level::warn,
                 "serving on " + a.to_string() +
                     ", which is not a loopback address: anyone who can reach it can try the "
                     "API (the token guards it; use TLS in front of it across networks)");
    const std::string link = server_->login_link();
    std::cout << "automuse-host: serving the API on " << link.substr(0, link.find("/login"))
              << "/api/v1 (port " << server_->port() << ")\n";
    if (credentials_.created)
      std::cout << "API token (shown once; kept in "
                << (ctx.data_dir() / "web" / "api-token").string() << "): " << credentials_.token
                << "\n";
    std::cout << "Log in (one-time link): " << link << std::endl;
  }

  web::Credentials credentials_;
  web::ApiContext api_;
  std::optional<web::ApiServer> server_;
};

int serve_command(HostContext &ctx, const ServeArgs &args, std::optional<int> slots,
                  std::optional<double> grace) {
  ctx.store();  // creates and migrates the database
  schedule::ScheduleStore runs(ctx.store_location());
  asio::io_context io;
  auto guard = asio::make_work_guard(io);
  {
    const size_t n = slots ? static_cast<size_t>(std::max(0, *slots)) : network_jobs(ctx);
    std::optional<JobWorker> worker;
    if (n > 0) worker.emplace(ctx, runs, io, n);
    auto api = start_api(ctx, io, args);
    schedule::GracefulStop stop(io, schedule::grace_period(ctx.config(), grace), "serve",
                                {[&] {
                                   api->stop();
                                   if (worker) worker->stop_taking();
                                 },
                                 [&] {
                                   if (worker) worker->cancel();
                                 }});
    if (worker) worker->poll();
    while (!stop.stopping() || (worker && !worker->idle())) io.run_one();
    stop.close();
  }
  log::write("host", spdlog::level::info, "serve: stopped");
  return 0;
}

}  // namespace

std::unique_ptr<ApiRuntime> start_api(HostContext &ctx, asio::io_context &io,
                                      const ServeArgs &args) {
  return std::make_unique<Runtime>(ctx, io, args);
}

void add_serve_options(CLI::App *command, const std::shared_ptr<ServeArgs> &args) {
  command->add_option("--listen", args->listen,
                      "Address and port of the API (default 127.0.0.1:8787, loopback only; port "
                      "0 picks a free one)");
  command->add_option("--allow-host", args->allow_hosts,
                      "A host name the API answers to besides IP addresses and localhost "
                      "(repeatable; the Host header is checked against DNS rebinding)");
}

void add_serve_command(CLI::App &app, const std::function<HostContext &()> &context,
                       int *exit_code) {
  auto args = std::make_shared<ServeArgs>();
  auto slots = std::make_shared<std::optional<int>>();
  auto grace = std::make_shared<std::optional<double>>();
  auto *serve = app.add_subcommand(
      "serve", "Serve the REST API (docs/web.md) and run queued jobs until stopped");
  add_serve_options(serve, args);
  serve->add_option("--slots", *slots,
                    "Jobs its in-process worker runs at once (default: limits.network_jobs); 0: "
                    "only serve, separate `worker` processes run the jobs");
  serve->add_option("--grace", *grace,
                    "Seconds running jobs get to finish after SIGINT/SIGTERM (default: "
                    "schedule.grace_seconds, 30)");
  serve->callback([=] {
    try {
      *exit_code = serve_command(context(), *args, *slots, *grace);
    } catch (const std::runtime_error &e) {
      std::cerr << "automuse-host: serve: " << e.what() << "\n";
      *exit_code = 2;
    }
  });
}

}  // namespace automuse::app
