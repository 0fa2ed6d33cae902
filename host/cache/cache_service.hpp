// "automuse.cache/1": the C table plugins use, over one Cache. Keys are prefixed with the
// calling plugin's id so plugins cannot read or clobber each other's entries.
#pragma once

#include <automuse/cache.h>

#include "cache/cache.hpp"
#include "core/service_binding.hpp"

namespace automuse::cache {

// Register table() under AM_CACHE_SERVICE_ID; the service and the cache must outlive plugins.
class CacheService : public core::ServiceBinding<am_cache, Cache> {
 public:
  explicit CacheService(Cache &cache);

  // The key a plugin's `key` is stored under: "plugin:<id>/<key>".
  static std::string scoped_key(const std::string &plugin_id, std::string_view key);
};

}  // namespace automuse::cache
