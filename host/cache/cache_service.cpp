// The automuse.cache/1 table (see cache_service.hpp and sdk/include/automuse/cache.h).
#include "cache/cache_service.hpp"

#include <filesystem>

namespace automuse::cache {

namespace {

using core::set_buffer;
using core::view;

struct Caller {
  Cache &cache;
  std::string key;
};

std::optional<Caller> caller(const am_host *host, am_str key) {
  if (!host || !host->host_data || view(key).empty()) return std::nullopt;
  Cache *cache = core::ServiceBinding<am_cache, Cache>::of(host, AM_CACHE_SERVICE_ID);
  if (!cache) return std::nullopt;
  return Caller{*cache, CacheService::scoped_key(core::context_of(host).plugin_id, view(key))};
}

std::optional<std::chrono::milliseconds> ttl(int64_t ms) {
  if (ms <= 0) return std::nullopt;
  return std::chrono::milliseconds(ms);
}

template <class Fn>
am_status guarded(Fn &&fn) {
  try {
    return fn();
  } catch (const std::bad_alloc &) {
    return AM_NO_MEMORY;
  } catch (const std::exception &) {
    return AM_IO;  // the cache folder or index could not be read or written
  } catch (...) {
    return AM_INTERNAL;
  }
}

am_status get(const am_host *host, am_str key, am_buffer *out) {
  return guarded([&] {
    auto c = caller(host, key);
    if (!c || !out) return AM_INVALID_ARGUMENT;
    std::optional<std::string> v = c->cache.get(c->key);
    if (!v) return AM_NOT_FOUND;
    set_buffer(out, std::move(*v));
    return AM_OK;
  });
}

am_status put(const am_host *host, am_str key, am_str value, int64_t ttl_ms) {
  return guarded([&] {
    auto c = caller(host, key);
    if (!c) return AM_INVALID_ARGUMENT;
    return c->cache.put(c->key, view(value), ttl(ttl_ms)) ? AM_OK : AM_INVALID_ARGUMENT;
  });
}

am_status put_file(const am_host *host, am_str key, am_str path, int64_t ttl_ms) {
  return guarded([&] {
    auto c = caller(host, key);
    if (!c || view(path).empty()) return AM_INVALID_ARGUMENT;
    std::filesystem::path p{std::string(view(path))};
    if (!std::filesystem::is_regular_file(p)) return AM_IO;
    return c->cache.put_file(c->key, p, ttl(ttl_ms)) ? AM_OK : AM_INVALID_ARGUMENT;
  });
}

am_status get_path(const am_host *host, am_str key, am_buffer *out) {
  return guarded([&] {
    auto c = caller(host, key);
    if (!c || !out) return AM_INVALID_ARGUMENT;
    std::optional<std::filesystem::path> p = c->cache.get_path(c->key);
    if (!p) return AM_NOT_FOUND;
    set_buffer(out, p->string());
    return AM_OK;
  });
}

am_status remove(const am_host *host, am_str key) {
  return guarded([&] {
    auto c = caller(host, key);
    if (!c) return AM_INVALID_ARGUMENT;
    return c->cache.remove(c->key) ? AM_OK : AM_NOT_FOUND;
  });
}

}  // namespace

CacheService::CacheService(Cache &cache)
    : ServiceBinding(cache, am_cache{sizeof(am_cache), get, put, put_file, get_path, remove}) {}

std::string CacheService::scoped_key(const std::string &plugin_id, std::string_view key) {
  return "plugin:" + plugin_id + "/" + std::string(key);
}

}  // namespace automuse::cache
