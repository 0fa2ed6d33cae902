// host/core/service_binding.hpp — the one glue between a host service object and the C table
// plugins call: the table bound to the object that serves it (found again from the calling
// plugin's am_host), and the few conversions every table function needs. A service is offered
// with one call: `registry.add(AM_X_SERVICE_ID, service.table())`.
#pragma once

#include <automuse/job.h>

#include <automuse/cpp/buffer.hpp>
#include <automuse/cpp/str.hpp>
#include <cstddef>
#include <memory>
#include <string>
#include <type_traits>

#include "core/job.hpp"
#include "core/services.hpp"

namespace automuse::core {

// A service's C table and the object behind it. The table comes first in a standard-layout
// class, so the pointer the registry hands to plugins is also a pointer to the binding.
template <class Table, class Service>
class ServiceBinding {
 public:
  ServiceBinding(Service &service, Table table) : table_(table), service_(&service) {
    static_assert(std::is_standard_layout_v<ServiceBinding>);
    static_assert(offsetof(ServiceBinding, table_) == 0);
  }
  ServiceBinding(const ServiceBinding &) = delete;
  ServiceBinding &operator=(const ServiceBinding &) = delete;

  const Table *table() const { return &table_; }

  // The object registered under `id` for the plugin whose am_host this is; nullptr when the
  // host has no such service (or `host` is not one of ours).
  static Service *of(const am_host *host, const char *id) {
    if (!host || !host->host_data) return nullptr;
    const void *table = context_of(host).services->find(id);
    return table ? static_cast<const ServiceBinding *>(table)->service_ : nullptr;
  }

 private:
  Table table_;
  Service *service_;
};

// Conversions shared by every table: borrowing views and buffers the caller frees with the
// SDK's own allocator (allocator symmetry across the boundary).
using am::to_am_str;
using am::to_string;
using am::view;

inline void set_buffer(am_buffer *out, std::string text) {
  if (out) *out = am::make_buffer(std::move(text));
}

// Completes a request that failed before it began. `done(user, status, error, nullptr)` runs
// exactly once, through the job like any completion (never inside the caller's call); the
// operation is cancellable until then like any other.
template <class Result>
am_op_id fail_now(am_job &job, void (*done)(void *, am_status, am_str, const Result *), void *user,
                  am_status status, std::string error) {
  auto shared = job.shared_from_this();
  const am_op_id id = job.add_op([shared, done, user](am_op_id op) {
    shared->complete_op(
        op, [done, user] { done(user, AM_CANCELLED, to_am_str("cancelled"), nullptr); });
  });
  job.complete_op(id, [done, user, status, error = std::move(error)] {
    done(user, status, to_am_str(error), nullptr);
  });
  return id;
}

}  // namespace automuse::core
