// "automuse.store/1": the C table plugins use, over one Store. Register it in the host's
// service registry; the functions find it again through the calling plugin's am_host, so
// no global state is involved.
#pragma once

#include <automuse/store.h>

#include "core/service_binding.hpp"
#include "store/store.hpp"

namespace automuse::store {

// Register table() under AM_STORE_SERVICE_ID. The service and the store must outlive every
// plugin that may call it.
class StoreService : public core::ServiceBinding<am_store, Store> {
 public:
  explicit StoreService(Store &store);
};

}  // namespace automuse::store
