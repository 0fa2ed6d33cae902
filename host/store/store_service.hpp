// "automuse.store/1": the C table plugins use, over one Store. Register it in the host's
// service registry; the functions find it again through the calling plugin's am_host, so
// no global state is involved.
#pragma once

#include <automuse/store.h>

#include "core/services.hpp"
#include "store/store.hpp"

namespace automuse::store {

class StoreService {
 public:
  explicit StoreService(Store &store);
  StoreService(const StoreService &) = delete;
  StoreService &operator=(const StoreService &) = delete;

  // Adds the table under AM_STORE_SERVICE_ID. The service and the store must outlive every
  // plugin that may call it.
  void register_in(core::ServiceRegistry &registry) const;
  const am_store *table() const { return &table_; }
  Store &store() const { return *store_; }

 private:
  am_store table_;  // first member: the registry's pointer is also a pointer to this object
  Store *store_;
};

}  // namespace automuse::store
