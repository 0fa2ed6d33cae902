// "automuse.cache/1": the C table plugins use, over one Cache. Keys are prefixed with the
// calling plugin's id so plugins cannot read or clobber each other's entries.
#pragma once

#include <automuse/cache.h>

#include "cache/cache.hpp"
#include "core/services.hpp"

namespace automuse::cache {

class CacheService {
 public:
  explicit CacheService(Cache &cache);
  CacheService(const CacheService &) = delete;
  CacheService &operator=(const CacheService &) = delete;

  // Adds the table under AM_CACHE_SERVICE_ID; the service and cache must outlive plugins.
  void register_in(core::ServiceRegistry &registry) const;
  const am_cache *table() const { return &table_; }
  Cache &cache() const { return *cache_; }

  // The key a plugin's `key` is stored under: "plugin:<id>/<key>".
  static std::string scoped_key(const std::string &plugin_id, std::string_view key);

 private:
  am_cache table_;  // first member: the registry's pointer is also a pointer to this object
  Cache *cache_;
};

}  // namespace automuse::cache
