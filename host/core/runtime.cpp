// host/core/runtime.cpp — starting and stopping the I/O threads and the worker pool.
#include "core/runtime.hpp"

namespace automuse::core {

Runtime::Runtime(unsigned io_threads, unsigned workers)
    : guard_(boost::asio::make_work_guard(io_)),
      worker_count_(workers ? workers : std::max(1u, std::thread::hardware_concurrency())),
      workers_(std::make_unique<boost::asio::thread_pool>(worker_count_)) {
  for (unsigned i = 0; i < std::max(1u, io_threads); ++i)
    io_threads_.emplace_back([this] { io_.run(); });
}

Runtime::~Runtime() { stop(); }

JobPtr Runtime::make_job(std::string name, std::shared_ptr<const void> keep_alive) {
  return std::make_shared<Job>(io_, *workers_, std::move(name), std::move(keep_alive));
}

void Runtime::stop() {
  if (workers_) workers_->join();
  guard_.reset();
  for (auto &t : io_threads_)
    if (t.joinable()) t.join();
  io_threads_.clear();
}

}  // namespace automuse::core
