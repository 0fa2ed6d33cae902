// host/schedule/graceful_stop.hpp — the shutdown sequence of anything that runs jobs (the
// daemon, run-due, `run --accounts all`): the first SIGINT/SIGTERM stops taking new jobs and
// lets running ones finish for a grace period; when it expires, or at a second signal, the
// running jobs are cancelled (they complete with AM_CANCELLED and are recorded as
// interrupted, to be resumed by the next start). A third signal exits at once, for a plugin
// that ignores cancellation.
//
// Threads: constructed, used and destroyed on the thread that runs `io`; the handlers run
// there too.
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <chrono>
#include <functional>
#include <optional>
#include <string>

#include "config/config.hpp"

namespace automuse::schedule {

class GracefulStop {
 public:
  struct Handlers {
    std::function<void()> stop_taking;  // first signal: start nothing new
    std::function<void()> cancel;       // grace expired or second signal: cancel the rest
  };

  // `what` names the process in log lines ("daemon", "run").
  GracefulStop(boost::asio::io_context &io, std::chrono::milliseconds grace, std::string what,
               Handlers handlers);
  ~GracefulStop();
  GracefulStop(const GracefulStop &) = delete;
  GracefulStop &operator=(const GracefulStop &) = delete;

  bool stopping() const noexcept { return signals_seen_ > 0; }
  bool cancelled() const noexcept { return cancelled_; }

  // Stop listening (the work is done); later signals get their default action again.
  void close();

 private:
  void wait();
  void on_signal(int sig);
  void cancel_now(const std::string &why);

  boost::asio::signal_set signals_;
  boost::asio::steady_timer grace_timer_;
  std::chrono::milliseconds grace_;
  std::string what_;
  Handlers handlers_;
  int signals_seen_ = 0;
  bool cancelled_ = false;
  bool closed_ = false;
};

// The grace period: `override_seconds` if given (a command-line option), else the
// configuration's `schedule.grace_seconds`, else 30 s.
std::chrono::milliseconds grace_period(const config::Config &config,
                                       std::optional<double> override_seconds = std::nullopt);

}  // namespace automuse::schedule
