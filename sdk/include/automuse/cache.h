/* automuse/cache.h — the cache service, "automuse.cache/1": values by key with a time to live,
 * so a re-run after a failure reuses what was already paid for (LLM answers, images, speech,
 * downloads). Small values are kept in the host's cache index, large ones as files named by
 * their SHA-256; a size cap evicts the least recently used entries; a damaged file is
 * detected by its hash and reported as a miss. Keys are private to the calling plugin (the
 * host prefixes them with its id); build them from every input that changes the value.
 *
 * All functions are synchronous and may be called from any thread. Reads of large values
 * check their hash, which reads the whole file: for big media call get_path from the job
 * service's worker pool rather than from an I/O callback. */
#ifndef AUTOMUSE_CACHE_H
#define AUTOMUSE_CACHE_H

#include "automuse/host.h"

#ifdef __cplusplus
extern "C" {
#endif

#define AM_CACHE_SERVICE_ID "automuse.cache/1"

typedef struct am_cache {
  uint32_t struct_size;

  /* [any-thread] Look a value up. AM_OK: *out_value holds it (release it); AM_NOT_FOUND: a miss
   * (absent, expired, or damaged). */
  am_status (*get)(const am_host *host, am_str key, am_buffer *out_value);

  /* [any-thread] Store `value` (copied) under `key`, replacing any earlier value. ttl_ms <= 0: no
   * expiry. AM_INVALID_ARGUMENT when the value alone is larger than the cache's cap. */
  am_status (*put)(const am_host *host, am_str key, am_str value, int64_t ttl_ms);

  /* [any-thread] Store a file's content (copied, streamed) under `key`. AM_IO when it cannot be
   * read. */
  am_status (*put_file)(const am_host *host, am_str key, am_str path, int64_t ttl_ms);

  /* [any-thread] For values stored with put_file (or large put): the path of the verified cached
   * file, in *out_path (release it). Read it, never modify it; it stays until evicted or cleared,
   * so copy it if it must outlive the job. AM_NOT_FOUND on a miss or for a small value. */
  am_status (*get_path)(const am_host *host, am_str key, am_buffer *out_path);

  /* [any-thread] Forget a key. AM_NOT_FOUND if there was nothing. */
  am_status (*remove)(const am_host *host, am_str key);
} am_cache;

#ifdef __cplusplus
}
#endif

#endif /* AUTOMUSE_CACHE_H */
