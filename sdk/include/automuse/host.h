/* automuse/host.h — what the host gives a plugin: its identity, the ABI it speaks, and
 * service lookup by versioned id. Each plugin receives its own am_host, so the services
 * know which plugin is calling (log names, config section, store scope). */
#ifndef AUTOMUSE_HOST_H
#define AUTOMUSE_HOST_H

#include "automuse/types.h"
#include "automuse/version.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct am_host am_host;

struct am_host {
  uint32_t struct_size; /* sizeof(am_host) of the host that made it: read fields past 1.0's
                           size only if struct_size covers them (AM_HAS_FIELD) */
  am_version abi;       /* the ABI the host speaks */
  am_str host_name;     /* "automuse-host"; valid while the plugin is loaded */
  am_str host_version;  /* "0.1.0"; valid while the plugin is loaded */
  void *host_data;      /* private to the host */

  /* [any-thread] Look up a service by versioned id ("automuse.http/1"). Returns a pointer to
   * the service's struct (its first field is uint32_t struct_size), valid until the plugin's
   * deinit returns, or NULL if this host has no such service. Cheap; from init onwards. The
   * id is a NUL-terminated ASCII string. */
  const void *(*get_service)(const am_host *host, const char *id);

  /* Since ABI 1.1 (check with AM_HAS_FIELD(host, am_host, set_init_failure)): */

  /* [main-thread] The reason init is about to fail: call it from init just before returning
   * a status other than AM_OK. The host reports "<id>: init failed (<status word>): <reason>"
   * wherever the plugin was to be used. `reason` is copied; a later call replaces it. Calls
   * outside init are ignored. */
  void (*set_init_failure)(const am_host *host, am_str reason);
};

#ifdef __cplusplus
}
#endif

#endif /* AUTOMUSE_HOST_H */
