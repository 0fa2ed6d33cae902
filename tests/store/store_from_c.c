/* A plain C11 user of automuse.store/1 and automuse.cache/1, as a plugin written in C would
 * be: looks the services up through am_host and round-trips a history record and a cached
 * value. Called from service_test.cpp; returns 0 on success or the number of the failed step. */
#include <automuse/cache.h>
#include <automuse/store.h>
#include <string.h>

static am_str c_str(const char *s) {
  am_str r = {s, strlen(s)};
  return r;
}

static int contains(const am_buffer *b, const char *needle) {
  size_t n = strlen(needle);
  if (!b->data || b->size < n) return 0;
  for (size_t i = 0; i + n <= b->size; ++i) {
    if (memcmp(b->data + i, needle, n) == 0) return 1;
  }
  return 0;
}

int store_from_c(const am_host *host) {
  const am_store *store = (const am_store *)host->get_service(host, AM_STORE_SERVICE_ID);
  const am_cache *cache = (const am_cache *)host->get_service(host, AM_CACHE_SERVICE_ID);
  if (!store || !cache) return 1;
  if (!AM_HAS_FIELD(store, am_store, add_product)) return 2;

  am_buffer out = {0}, err = {0};
  if (store->add_history(host, c_str("{\"kind\":\"post\",\"body\":\"from C\"}"), &out, &err) !=
      AM_OK) {
    am_buffer_release(&err);
    return 3;
  }
  int ok = contains(&out, "\"body\":\"from C\"");
  am_buffer_release(&out);
  if (!ok) return 4;

  if (store->get_account(host, c_str("nobody"), &out, &err) != AM_NOT_FOUND) return 5;
  ok = contains(&err, "nobody");
  am_buffer_release(&err);
  if (!ok) return 6;

  if (cache->put(host, c_str("k"), c_str("v from C"), 0) != AM_OK) return 7;
  if (cache->get(host, c_str("k"), &out) != AM_OK) return 8;
  ok = out.size == 8 && memcmp(out.data, "v from C", 8) == 0;
  am_buffer_release(&out);
  return ok ? 0 : 9;
}
