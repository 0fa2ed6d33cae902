/* automuse/types.h — the basic types every other header uses: strings, buffers, status
 * codes, jobs and operation ids. Everything here is plain C and crosses the ABI as is. */
#ifndef AUTOMUSE_TYPES_H
#define AUTOMUSE_TYPES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* A UTF-8 string view: not NUL-terminated, may contain any byte but is meant to be UTF-8.
 * Borrowed: valid only for the duration of the call or callback that hands it over,
 * unless the function's comment says otherwise. {NULL, 0} is the empty string. */
typedef struct am_str {
  const char *data;
  size_t len;
} am_str;

/* A block of bytes owned by whoever made it. The receiver reads data/size and, when done,
 * calls release(buffer) exactly once (release may be NULL for static data). The receiver
 * never frees data itself: memory goes back to the side that allocated it. */
typedef struct am_buffer {
  const uint8_t *data;
  size_t size;
  void (*release)(struct am_buffer *self); /* [any-thread] may be NULL */
  void *owner;                             /* private to the maker of the buffer */
} am_buffer;

/* [any-thread] Release a buffer if it has a release function. Safe on an empty buffer. */
static inline void am_buffer_release(am_buffer *b) {
  if (b && b->release) b->release(b);
  if (b) {
    b->data = NULL;
    b->size = 0;
    b->release = NULL;
    b->owner = NULL;
  }
}

/* Status codes. New codes may be added in a minor version: treat unknown ones as
 * AM_ERROR. Crosses the ABI as int32_t. */
typedef int32_t am_status;
/* clang-format off */
enum {
  AM_OK = 0,
  AM_CANCELLED = 1,          /* the operation or its job was cancelled */
  AM_ERROR = 2,              /* anything not covered below */
  AM_INVALID_ARGUMENT = 3,   /* bad input from the caller: the message names the field */
  AM_NOT_FOUND = 4,          /* an account, file, plugin, key... that does not exist */
  AM_UNAVAILABLE = 5,        /* network or remote service unreachable, retryable later */
  AM_TIMEOUT = 6,            /* a deadline passed */
  AM_RATE_LIMITED = 7,       /* the remote side asked to slow down, retries exhausted */
  AM_UNAUTHENTICATED = 8,    /* credentials missing, wrong or expired */
  AM_PERMISSION_DENIED = 9,  /* credentials fine, action not allowed */
  AM_QUOTA_EXCEEDED = 10,    /* a usage cap that waiting will not fix soon */
  AM_UNSUPPORTED = 11,       /* the service, action or option does not exist here */
  AM_IO = 12,                /* local file system or device error */
  AM_INTERNAL = 13,          /* a bug: an invariant broke */
  AM_NO_MEMORY = 14,
  AM_UNCERTAIN = 15          /* (1.3) may or may not have taken effect (a post sent, its answer
                              * lost) and asking could not settle it: never repeated by itself;
                              * the message says how to check */
};

/* [any-thread] A short, static, English name for a status ("cancelled"). Never NULL. Any thread. */
static inline const char *am_status_name(am_status s) {
  switch (s) {
    case AM_OK: return "ok";
    case AM_CANCELLED: return "cancelled";
    case AM_INVALID_ARGUMENT: return "invalid argument";
    case AM_NOT_FOUND: return "not found";
    case AM_UNAVAILABLE: return "unavailable";
    case AM_TIMEOUT: return "timeout";
    case AM_RATE_LIMITED: return "rate limited";
    case AM_UNAUTHENTICATED: return "unauthenticated";
    case AM_PERMISSION_DENIED: return "permission denied";
    case AM_QUOTA_EXCEEDED: return "quota exceeded";
    case AM_UNSUPPORTED: return "unsupported";
    case AM_IO: return "i/o error";
    case AM_INTERNAL: return "internal error";
    case AM_NO_MEMORY: return "out of memory";
    case AM_UNCERTAIN: return "uncertain";
    default: return "error";
  }
}
/* clang-format on */

/* A job: one run of one plugin action (for example "youtube run" for one account). Opaque,
 * owned by the host. Every asynchronous operation is started on behalf of a job, and the
 * host delivers the callbacks of all operations of one job one at a time, never two at
 * once (like an Asio strand), so plugin code needs no locks. A job pointer stays valid
 * until the action's completion has been reported (see plugin.h). */
typedef struct am_job am_job;

/* An asynchronous operation's id, unique within the host's lifetime and never 0. Start
 * functions never call their callback before they return, even when the operation fails at
 * once: the failure arrives through the callback like any other completion. */
typedef uint64_t am_op_id;

/* True when the struct at `ptr` (whose first field is uint32_t struct_size) is large enough
 * to hold `field`: how a reader uses fields added in later minor versions. */
#define AM_HAS_FIELD(ptr, type, field) \
  ((ptr)->struct_size >= offsetof(type, field) + sizeof(((type *)0)->field))

#ifdef __cplusplus
}
#endif

#endif /* AUTOMUSE_TYPES_H */
