/* tests/abi/layout_c11.c — the ABI checked by a C11 compiler: every struct's size, alignment
 * and field offsets as static assertions (a change fails the build), plus the C side of the
 * runtime comparisons in abi_test.cpp. Built with -std=c11 -Wall -Wextra -pedantic -Werror. */
#include <string.h>

#include "abi_c_side.h"
#include "abi_check.h"
#include "automuse_all_headers.h" /* generated: every SDK C header */

#define AM_ABI_STRUCT AM_ABI_STRUCT_CHECK
#include "abi_layouts.def"
#undef AM_ABI_STRUCT

static const am_abi_layout kLayouts[] = {
#define AM_ABI_STRUCT(t, size, align, ...) {#t, sizeof(t), _Alignof(t), AM_ABI_NARGS(__VA_ARGS__)},
#include "abi_layouts.def"
#undef AM_ABI_STRUCT
};

size_t am_abi_c_layouts(const am_abi_layout **out) {
  *out = kLayouts;
  return sizeof(kLayouts) / sizeof(kLayouts[0]);
}

int am_abi_c_version_compatible(uint32_t host_major, uint32_t host_minor, uint32_t plugin_major,
                                uint32_t plugin_minor) {
  am_version host;
  am_version plugin;
  host.major = host_major;
  host.minor = host_minor;
  plugin.major = plugin_major;
  plugin.minor = plugin_minor;
  return am_version_compatible(host, plugin);
}

unsigned am_abi_c_host_fields_covered(uint32_t struct_size) {
  am_host h;
  const am_host *p = &h;
  unsigned bits = 0;
  memset(&h, 0, sizeof h);
  h.struct_size = struct_size;
  if (AM_HAS_FIELD(p, am_host, struct_size)) bits |= 1u << 0;
  if (AM_HAS_FIELD(p, am_host, abi)) bits |= 1u << 1;
  if (AM_HAS_FIELD(p, am_host, host_name)) bits |= 1u << 2;
  if (AM_HAS_FIELD(p, am_host, host_version)) bits |= 1u << 3;
  if (AM_HAS_FIELD(p, am_host, host_data)) bits |= 1u << 4;
  if (AM_HAS_FIELD(p, am_host, get_service)) bits |= 1u << 5;
  if (AM_HAS_FIELD(p, am_host, set_init_failure)) bits |= 1u << 6;
  return bits;
}

static am_status entry_init(const am_host *host) {
  return host ? AM_OK : AM_INVALID_ARGUMENT;
}

static const am_plugin_entry kEntry = {AM_ABI_VERSION_INIT,
                                       sizeof(am_plugin_entry),
                                       "abi-c",
                                       "ABI test",
                                       "0.0.1",
                                       entry_init,
                                       NULL,
                                       NULL,
                                       NULL};

const am_plugin_entry *am_abi_c_entry(void) {
  return &kEntry;
}

const char *am_abi_c_status_name(am_status status) {
  return am_status_name(status);
}
