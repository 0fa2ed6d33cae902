// automuse/cpp/host.hpp — typed access to the host's services from C++.
#pragma once

#include <automuse/host.h>
#include <automuse/cpp/error.hpp>

#include <string>

namespace am {

// A non-owning handle on the am_host a plugin was given at init. Cheap to copy.
class host {
 public:
  host() noexcept = default;
  explicit host(const am_host *h) noexcept : h_(h) {}

  const am_host *get() const noexcept { return h_; }
  explicit operator bool() const noexcept { return h_ != nullptr; }

  // The service struct registered under `id`, or nullptr. Any thread.
  template <class Service>
  const Service *find(const char *id) const noexcept {
    return h_ ? static_cast<const Service *>(h_->get_service(h_, id)) : nullptr;
  }

  // The service struct registered under `id`; throws am::error(AM_UNSUPPORTED) if this host
  // has none, naming the id.
  template <class Service>
  const Service &service(const char *id) const {
    if (auto *s = find<Service>(id)) return *s;
    throw error(AM_UNSUPPORTED, std::string("this host has no service ") + id);
  }

 private:
  const am_host *h_ = nullptr;
};

}  // namespace am
