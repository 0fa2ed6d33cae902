// host/core/runtime.cpp — starting and stopping the I/O threads and the worker pool.
#include "core/runtime.hpp"

#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <boost/asio/post.hpp>
#include <cerrno>
#include <condition_variable>
#include <memory>
#include <mutex>

namespace automuse::core {
namespace {

// Raises the nice value of every thread of `pool` by `nice` (capped at 19). On Linux the nice
// value is a thread's own, and threads and processes a thread starts inherit it. Each thread
// must take exactly one of the tasks posted: each waits until all have started. The count they
// wait on is shared, not on this stack: a thread may still be looking at it after the last one
// has arrived and this function has returned.
void nice_threads(boost::asio::thread_pool &pool, unsigned threads, int nice) {
  struct Gate {
    std::mutex mutex;
    std::condition_variable all_in;
    unsigned waiting;
  };
  auto gate = std::make_shared<Gate>();
  gate->waiting = threads;
  for (unsigned i = 0; i < threads; ++i)
    boost::asio::post(pool, [gate, nice] {
      const auto tid = static_cast<id_t>(::syscall(SYS_gettid));
      errno = 0;
      const int now = ::getpriority(PRIO_PROCESS, tid);
      // Raising it needs no privilege; failing leaves the thread as it was.
      if (errno == 0) ::setpriority(PRIO_PROCESS, tid, std::min(19, now + nice));
      std::unique_lock lock(gate->mutex);
      if (--gate->waiting == 0) gate->all_in.notify_all();
      gate->all_in.wait(lock, [&] { return gate->waiting == 0; });
    });
  std::unique_lock lock(gate->mutex);
  gate->all_in.wait(lock, [&] { return gate->waiting == 0; });
}

}  // namespace

Runtime::Runtime(unsigned io_threads, unsigned workers, int worker_nice)
    : guard_(boost::asio::make_work_guard(io_)),
      worker_count_(workers ? workers : std::max(1u, std::thread::hardware_concurrency())),
      workers_(std::make_unique<boost::asio::thread_pool>(worker_count_)) {
  if (worker_nice > 0) nice_threads(*workers_, worker_count_, worker_nice);
  for (unsigned i = 0; i < std::max(1u, io_threads); ++i)
    io_threads_.emplace_back([this] { io_.run(); });
}

Runtime::~Runtime() {
  stop();
}

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
