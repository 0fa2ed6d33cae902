/* automuse/log.h — the log service, "automuse.log/1". Messages go to the host's console
 * and rotating log file under the calling plugin's logger name, with secrets redacted. */
#ifndef AUTOMUSE_LOG_H
#define AUTOMUSE_LOG_H

#include "automuse/host.h"

#ifdef __cplusplus
extern "C" {
#endif

#define AM_LOG_SERVICE_ID "automuse.log/1"

typedef int32_t am_log_level;
enum {
  AM_LOG_TRACE = 0,
  AM_LOG_DEBUG = 1,
  AM_LOG_INFO = 2,
  AM_LOG_WARN = 3,
  AM_LOG_ERROR = 4,
  AM_LOG_CRITICAL = 5
};

typedef struct am_log {
  uint32_t struct_size;

  /* [any-thread] Write one message at `level` under the calling plugin's logger. The message is
   * copied before the call returns. The host redacts anything that looks like an API key or a
   * bearer token, but plugins should not log secrets in the first place. Any thread. */
  void (*write)(const am_host *host, am_log_level level, am_str message);

  /* [any-thread] True if a message at `level` would be written: lets a plugin skip building costly
   * messages. Any thread. */
  bool (*enabled)(const am_host *host, am_log_level level);
} am_log;

#ifdef __cplusplus
}
#endif

#endif /* AUTOMUSE_LOG_H */
