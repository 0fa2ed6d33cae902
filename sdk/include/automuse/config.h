/* automuse/config.h — the configuration service, "automuse.config/1": a plugin reads its
 * own section of automuse.json and learns where it may keep files. */
#ifndef AUTOMUSE_CONFIG_H
#define AUTOMUSE_CONFIG_H

#include "automuse/host.h"

#ifdef __cplusplus
extern "C" {
#endif

#define AM_CONFIG_SERVICE_ID "automuse.config/1"

typedef struct am_config {
  uint32_t struct_size;

  /* [any-thread] The calling plugin's section, `plugins.<id>` of automuse.json, as JSON text ("{}"
   * when absent), with values of the form {"env": "NAME"} replaced by that environment variable's
   * value. On AM_OK *out_json is filled and the caller releases it with am_buffer_release. Any
   * thread. */
  am_status (*plugin_section)(const am_host *host, am_buffer *out_json);

  /* [any-thread] A folder for the calling plugin's own files (created if missing, owner-only),
   * such as `$XDG_DATA_HOME/automuse/plugins-data/<id>`. UTF-8 path, no trailing slash, in a
   * buffer the caller releases. */
  am_status (*data_dir)(const am_host *host, am_buffer *out_path);
} am_config;

#ifdef __cplusplus
}
#endif

#endif /* AUTOMUSE_CONFIG_H */
