// Shared fixture of the HTTP service tests: an io_context run by one background thread (like
// the host's I/O thread), a strand standing in for a job's executor, and a blocking helper.
#pragma once

#include <dirent.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/strand.hpp>
#include <fstream>
#include <future>
#include <memory>
#include <thread>

#include "http/http_client.hpp"
#include "support/fake_server.hpp"

namespace automuse::http::test {

using automuse::testing::FakeServer;
using automuse::testing::ReceivedRequest;
using automuse::testing::Reply;
using namespace std::chrono_literals;

class ClientFixture : public ::testing::Test {
 protected:
  using Strand = boost::asio::strand<boost::asio::io_context::executor_type>;

  void SetUp() override { start_client(ClientConfig{}); }
  void TearDown() override {
    client_.reset();
    work_.reset();
    thread_.join();
  }

  // Replaces the client (e.g. with another config); the io thread keeps running.
  void start_client(ClientConfig config) {
    client_.reset();
    client_ = std::make_unique<HttpClient>(io_, std::move(config));
  }

  // Sends and waits for the completion (which runs on job_, like a job's strand).
  Response send(Request req, std::chrono::seconds limit = 30s) {
    auto promise = std::make_shared<std::promise<Response>>();
    auto future = promise->get_future();
    client_->send(std::move(req), job_,
                  [promise](Response r) { promise->set_value(std::move(r)); });
    if (future.wait_for(limit) != std::future_status::ready) {
      ADD_FAILURE() << "request did not complete within " << limit.count() << " s";
      Response r;
      r.status = AM_INTERNAL;
      r.error = "test timeout";
      return r;
    }
    return future.get();
  }

  static Request get(std::string url) {
    Request r;
    r.url = std::move(url);
    return r;
  }

  boost::asio::io_context io_;
  Strand job_ = boost::asio::make_strand(io_);
  std::optional<boost::asio::executor_work_guard<boost::asio::io_context::executor_type>> work_{
      io_.get_executor()};
  std::thread thread_{[this] { io_.run(); }};
  std::unique_ptr<HttpClient> client_;
};

// Descriptors open in this process.
inline size_t open_fds() {
  size_t n = 0;
  if (DIR *d = opendir("/proc/self/fd")) {
    while (readdir(d)) ++n;
    closedir(d);
  }
  return n;
}

inline double seconds_between(const ReceivedRequest &a, const ReceivedRequest &b) {
  return std::chrono::duration<double>(b.received_at - a.received_at).count();
}

}  // namespace automuse::http::test
