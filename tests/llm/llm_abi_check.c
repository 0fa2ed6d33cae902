/* automuse/llm.h compiles as strict C11 and a plain C plugin can fill its structs. */
#include <automuse/llm.h>

#include <stddef.h>

_Static_assert(offsetof(am_llm_request, struct_size) == 0, "struct_size first");
_Static_assert(offsetof(am_llm_result, struct_size) == 0, "struct_size first");
_Static_assert(offsetof(am_llm, struct_size) == 0, "struct_size first");

static void on_done(void *user, am_status status, am_str error, const am_llm_result *result) {
  (void)user;
  (void)status;
  (void)error;
  (void)result;
}

am_op_id automuse_llm_abi_check_call(const am_llm *llm, const am_host *host, am_job *job);
am_op_id automuse_llm_abi_check_call(const am_llm *llm, const am_host *host, am_job *job) {
  static const char messages[] = "[{\"role\":\"user\",\"content\":\"hi\"}]";
  am_llm_request r = {0};
  r.struct_size = sizeof r;
  r.messages_json.data = messages;
  r.messages_json.len = sizeof messages - 1;
  return llm->chat(host, job, &r, NULL, on_done, NULL);
}
