/* tests/abi/abi_c_side.h — what the C11 translation unit (layout_c11.c) reports about the ABI
 * as a C compiler sees it, so the C++ test can compare both compilers' views at run time. */
#ifndef AUTOMUSE_TESTS_ABI_C_SIDE_H
#define AUTOMUSE_TESTS_ABI_C_SIDE_H

#include <automuse/automuse.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct am_abi_layout {
  const char *name; /* "am_host" */
  size_t size;
  size_t align;
  size_t fields; /* fields listed in abi_layouts.def */
} am_abi_layout;

/* The C compiler's sizes and alignments of every struct in abi_layouts.def. */
size_t am_abi_c_layouts(const am_abi_layout **out);

/* am_version_compatible evaluated by C code. */
int am_abi_c_version_compatible(uint32_t host_major, uint32_t host_minor, uint32_t plugin_major,
                                uint32_t plugin_minor);

/* Bit i set when AM_HAS_FIELD says field i of am_host (in declaration order) is covered by an
 * am_host whose struct_size is `struct_size`, evaluated by C code. */
unsigned am_abi_c_host_fields_covered(uint32_t struct_size);

/* An entry initialised the way a C plugin does it, with AM_ABI_VERSION_INIT. */
const am_plugin_entry *am_abi_c_entry(void);

/* am_status_name evaluated by C code. */
const char *am_abi_c_status_name(am_status status);

/* (c_callers.c) A chat request filled and sent the way a C plugin does it. */
am_op_id am_abi_c_llm_chat(const am_llm *llm, const am_host *host, am_job *job);

/* (c_callers.c) A publisher's text length asked for by a C plugin: AM_UNSUPPORTED without
 * calling anything when `publish` is a 1.3 table (no text_length). */
am_status am_abi_c_text_length(const am_publish *publish, const am_host *host, const char *plugin,
                               const char *text, int32_t *length, int32_t *max_length);

#ifdef __cplusplus
}
#endif

#endif /* AUTOMUSE_TESTS_ABI_C_SIDE_H */
