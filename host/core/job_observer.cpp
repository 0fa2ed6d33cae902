// host/core/job_observer.cpp — the process's job observer and the thread's current job.
#include "core/job_observer.hpp"

#include <atomic>

namespace automuse::core {
namespace {
std::shared_ptr<JobObserver> g_observer;  // read and written through std::atomic_load/store
thread_local const am_job *t_current = nullptr;
}  // namespace

void set_job_observer(std::shared_ptr<JobObserver> observer) {
  std::atomic_store(&g_observer, std::move(observer));
}

std::shared_ptr<JobObserver> job_observer() {
  return std::atomic_load(&g_observer);
}

const am_job *current_job() noexcept {
  return t_current;
}

CurrentJobScope::CurrentJobScope(const am_job *job) noexcept : previous_(t_current) {
  t_current = job;
}

CurrentJobScope::~CurrentJobScope() {
  t_current = previous_;
}

}  // namespace automuse::core
