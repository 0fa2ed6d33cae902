// host/schedule/graceful_stop.cpp — signals, the grace timer and the escalation.
#include "schedule/graceful_stop.hpp"

#include <csignal>
#include <cstdio>
#include <cstdlib>

#include "log/logging.hpp"

namespace automuse::schedule {

GracefulStop::GracefulStop(boost::asio::io_context &io, std::chrono::milliseconds grace,
                           std::string what, Handlers handlers)
    : signals_(io, SIGINT, SIGTERM),
      grace_timer_(io),
      grace_(grace),
      what_(std::move(what)),
      handlers_(std::move(handlers)) {
  wait();
}

GracefulStop::~GracefulStop() {
  close();
}

void GracefulStop::close() {
  if (closed_) return;
  closed_ = true;
  boost::system::error_code ec;
  signals_.cancel(ec);
  signals_.clear(ec);
  grace_timer_.cancel();
}

void GracefulStop::wait() {
  signals_.async_wait([this](const boost::system::error_code &ec, int sig) {
    if (ec || closed_) return;
    on_signal(sig);
    if (!closed_) wait();
  });
}

void GracefulStop::on_signal(int sig) {
  const std::string name = sig == SIGINT ? "SIGINT" : "SIGTERM";
  ++signals_seen_;
  if (signals_seen_ == 1) {
    char grace[32];
    std::snprintf(grace, sizeof grace, "%.1f", static_cast<double>(grace_.count()) / 1000.0);
    log::write("host", spdlog::level::warn,
               what_ + ": " + name + ": taking no new jobs; running ones have " + grace +
                   " s to finish (a second signal cancels them now)");
    if (handlers_.stop_taking) handlers_.stop_taking();
    grace_timer_.expires_after(grace_);
    grace_timer_.async_wait([this](const boost::system::error_code &ec) {
      if (!ec) cancel_now("the grace period is over");
    });
    return;
  }
  if (signals_seen_ == 2 && !cancelled_) {
    cancel_now("second " + name);
    return;
  }
  // Cancelled jobs are draining; a user who insists gets the process gone now. The store's
  // writes are transactions and outputs are written then renamed, so even this leaves
  // nothing half-written behind, only work to redo.
  log::write("host", spdlog::level::err, what_ + ": " + name + " again: exiting now");
  std::_Exit(130);
}

void GracefulStop::cancel_now(const std::string &why) {
  if (cancelled_) return;
  cancelled_ = true;
  grace_timer_.cancel();
  log::write("host", spdlog::level::warn,
             what_ + ": " + why + ": cancelling running jobs; they resume at the next start");
  if (handlers_.cancel) handlers_.cancel();
}

std::chrono::milliseconds grace_period(const config::Config &config,
                                       std::optional<double> override_seconds) {
  double s = 30.0;
  if (auto *v = config.find("schedule.grace_seconds"); v && v->is_number())
    s = v->to_number<double>();
  if (override_seconds) s = *override_seconds;
  if (s < 0) s = 0;
  return std::chrono::milliseconds(static_cast<int64_t>(s * 1000));
}

}  // namespace automuse::schedule
