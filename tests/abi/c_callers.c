/* tests/abi/c_callers.c — service calls written the way a plain C plugin writes them, built
 * as strict C11 (-Wall -Wextra -pedantic -Werror): filling a request struct and calling
 * automuse.llm/1, and asking automuse.publish/1 for a publisher's text rules (1.4) only when
 * the host's table has them. abi_test runs them against tables made in C++. */
#include <stddef.h>
#include <string.h>

#include "abi_c_side.h"

static void llm_done(void *user, am_status status, am_str error, const am_llm_result *result) {
  (void)user;
  (void)status;
  (void)error;
  (void)result;
}

am_op_id am_abi_c_llm_chat(const am_llm *llm, const am_host *host, am_job *job) {
  static const char messages[] = "[{\"role\":\"user\",\"content\":\"hi\"}]";
  am_llm_request r = {0};
  r.struct_size = sizeof r;
  r.messages_json.data = messages;
  r.messages_json.len = sizeof messages - 1;
  return llm->chat(host, job, &r, NULL, llm_done, NULL);
}

am_status am_abi_c_text_length(const am_publish *publish, const am_host *host, const char *plugin,
                               const char *text, int32_t *length, int32_t *max_length) {
  am_text_length measured = {0};
  am_str plugin_id;
  am_str body;
  am_status status;
  if (!AM_HAS_FIELD(publish, am_publish, text_length) || !publish->text_length)
    return AM_UNSUPPORTED; /* a 1.3 host */
  plugin_id.data = plugin;
  plugin_id.len = strlen(plugin);
  body.data = text;
  body.len = strlen(text);
  measured.struct_size = sizeof measured;
  status = publish->text_length(host, plugin_id, body, &measured, NULL);
  if (status == AM_OK) {
    *length = measured.length;
    *max_length = measured.max_length;
  }
  return status;
}
