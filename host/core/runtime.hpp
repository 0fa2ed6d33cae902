// host/core/runtime.hpp — the host's threads: an Asio io_context run by the I/O thread(s),
// where all network waiting happens, and a worker pool for CPU-heavy work (rendering,
// encoding) so that it never blocks I/O. Jobs are made here. The pool's threads can run at a
// lower CPU priority (a higher nice value) than the rest of the process, so that renders never
// slow down what answers people (the web API, the command line); the threads and processes they
// start (FFmpeg's encoder threads, speech workers) inherit it.
#pragma once

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/thread_pool.hpp>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "core/job.hpp"

namespace automuse::core {

class Runtime {
 public:
  // io_threads: threads running the io_context (1 is plenty: curl and Asio multiplex).
  // workers: the CPU pool; 0 means the number of cores. worker_nice: added to the pool
  // threads' nice value (Linux: per thread; 0 leaves them as they are).
  explicit Runtime(unsigned io_threads = 1, unsigned workers = 0, int worker_nice = 0);
  ~Runtime();
  Runtime(const Runtime &) = delete;
  Runtime &operator=(const Runtime &) = delete;

  boost::asio::io_context &io() noexcept { return io_; }
  boost::asio::thread_pool &workers() noexcept { return *workers_; }
  unsigned worker_count() const noexcept { return worker_count_; }

  // A new job whose operations keep `keep_alive` alive.
  JobPtr make_job(std::string name, std::shared_ptr<const void> keep_alive = {});

  // Stop the threads after letting queued handlers run. Called by the destructor.
  void stop();

 private:
  boost::asio::io_context io_;
  std::optional<boost::asio::executor_work_guard<boost::asio::io_context::executor_type>> guard_;
  std::vector<std::thread> io_threads_;
  unsigned worker_count_;
  std::unique_ptr<boost::asio::thread_pool> workers_;
};

}  // namespace automuse::core
