// host/app/run_action.cpp — the command-line face of ActionRunner.
#include "app/run_action.hpp"

#include "app/action_runner.hpp"
#include "log/logging.hpp"

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/json.hpp>

#include <iostream>

namespace automuse::app {

int run_actions(HostContext &context, const std::vector<ActionRequest> &requests) {
  if (requests.empty()) {
    std::cerr << "automuse-host: nothing to run (no matching accounts)\n";
    return 2;
  }
  size_t max_jobs = 16;
  if (auto *v = context.config().find("limits.network_jobs"); v && v->is_number())
    max_jobs = static_cast<size_t>(std::max(1.0, v->to_number<double>()));
  boost::asio::io_context main_io;
  auto guard = boost::asio::make_work_guard(main_io);
  size_t remaining = requests.size();
  int exit_code = 0;
  {
    ActionRunner runner(context, main_io, max_jobs);
    boost::asio::signal_set signals(main_io, SIGINT, SIGTERM);
    signals.async_wait([&](const boost::system::error_code &ec, int) {
      if (ec) return;
      log::write("host", spdlog::level::warn, "interrupted: cancelling");
      runner.cancel_all();
    });
    for (const auto &request : requests) {
      runner.submit(request, [&, request](const ActionOutcome &o) {
        --remaining;
        const std::string who =
            request.plugin + " " + (request.action.empty() ? "(default action)" : request.action) +
            (request.account ? " for " + *request.account : "");
        if (requests.size() == 1) {
          if (!o.result_json.empty() && o.result_json != "null") std::cout << o.result_json << "\n";
        } else {
          boost::json::object line;
          line["account"] = request.account ? boost::json::value(*request.account) : nullptr;
          line["status"] = am_status_name(o.status);
          boost::json::error_code ec;
          auto parsed = boost::json::parse(o.result_json.empty() ? "null" : o.result_json, ec);
          line["result"] = ec ? boost::json::value(o.result_json) : parsed;
          if (o.status != AM_OK) line["error"] = o.message;
          std::cout << boost::json::serialize(line) << std::endl;
        }
        if (o.status != AM_OK) {
          std::cerr << "automuse-host: " << who << " failed (" << am_status_name(o.status) << ")"
                    << (o.message.empty() ? "" : ": " + o.message) << "\n";
          if (exit_code == 0) exit_code = o.exit_code();
        } else if (!o.message.empty()) {
          std::cerr << o.message << "\n";
        }
      });
    }
    while (remaining > 0) main_io.run_one();
    signals.cancel();
    guard.reset();
    main_io.restart();
    main_io.poll();
  }
  return exit_code;
}

}  // namespace automuse::app
