/* automuse/version.h — the SDK ABI version and the compatibility rule.
 *
 * Versioning rule: the ABI is MAJOR.MINOR.
 *  - MINOR grows when something is added without breaking anyone: a new service id, a new
 *    field at the END of a struct that starts with `struct_size`, a new enum value.
 *  - MAJOR grows when anything released changes meaning, size (other than growth at the end)
 *    or order. A breaking change to one service is a new service id ("automuse.http/2"),
 *    which is a MINOR change of the SDK; the old id keeps working.
 * A host speaking M.N loads a plugin built for M'.N' when M' == M and N' <= N. It refuses
 * any other plugin before running any of its code, naming both versions and the file.
 * sdk/CHANGES.md lists what each minor version added. */
#ifndef AUTOMUSE_VERSION_H
#define AUTOMUSE_VERSION_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define AM_ABI_MAJOR 1
#define AM_ABI_MINOR 7

/* An ABI version. Compared as a pair; never stored packed. */
typedef struct am_version {
  uint32_t major;
  uint32_t minor;
} am_version;

#define AM_ABI_VERSION_INIT {AM_ABI_MAJOR, AM_ABI_MINOR}

/* [any-thread] True when a host speaking `host` can load a plugin built for `plugin`. Pure. */
static inline int am_version_compatible(am_version host, am_version plugin) {
  return plugin.major == host.major && plugin.minor <= host.minor;
}

#ifdef __cplusplus
}
#endif

#endif /* AUTOMUSE_VERSION_H */
