/* automuse/llm.h — the LLM service, "automuse.llm/1": chat with a configured provider
 * (OpenAI-compatible chat completions: OpenAI, Mistral, OpenRouter, Groq, DeepSeek, llama.cpp,
 * vLLM; or Ollama's native API, the default) on behalf of a job, streamed or not, and
 * structured answers: JSON extracted from what the model says, checked against a shape and
 * asked for again when it does not fit.
 *
 * The host owns providers, keys, retries (rate limits are waited out as the server asks;
 * exhausted quotas and bad keys fail at once with a message saying what to fix), the answer
 * cache (the same request is not paid for twice) and token usage accounting per provider,
 * account and day (`automuse-host usage`). */
#ifndef AUTOMUSE_LLM_H
#define AUTOMUSE_LLM_H

#include "automuse/host.h"

#ifdef __cplusplus
extern "C" {
#endif

#define AM_LLM_SERVICE_ID "automuse.llm/1"

/* One chat. Strings are borrowed for the duration of the chat call only (the host copies
 * them). Zero-initialise, set struct_size = sizeof(am_llm_request), then fill in. */
typedef struct am_llm_request {
  uint32_t struct_size;
  am_str messages_json; /* [{"role":"system"|"user"|"assistant","content":"..."}...] */
  am_str provider;      /* a name from llm.providers or a preset ("ollama", "mistral",
                           "openai", "openrouter", "groq", "deepseek", "llamacpp"); empty =
                           the configured llm.provider */
  am_str model;         /* empty = the provider's configured model */
  am_str account_id;    /* whose usage this is (an account id); empty = none */
  am_str json_shape;    /* non-empty: ask for a structured answer of this shape, a subset
                           of JSON Schema: type, properties, required, items, minItems,
                           maxItems, minLength, enum, additionalProperties:false */
  double temperature;   /* used when has_temperature */
  int64_t max_tokens;   /* > 0: the answer's length limit */
  int64_t seed;         /* used when has_seed */
  int32_t json_retries; /* structured answers: times to ask again after an unusable answer;
                           0 = 2, < 0 = never */
  bool has_temperature;
  bool has_seed;
  bool stream;   /* deliver the answer piece by piece through on_delta (not with json_shape) */
  bool no_cache; /* neither read nor write the answer cache */
} am_llm_request;

/* [job-strand] A piece of a streamed answer, on the job's executor, in order, before the
 * completion. `delta` is borrowed for the call. A cached answer arrives as one piece. */
typedef void (*am_llm_delta_fn)(void *user, am_str delta);

/* A finished chat. Everything is borrowed for the duration of the completion callback. */
typedef struct am_llm_result {
  uint32_t struct_size;
  am_str content;       /* the answer's text */
  am_str finish_reason; /* "stop", "length" (cut by max_tokens), "content_filter", ... */
  am_str provider;      /* the provider that answered */
  am_str model;         /* the model it reported */
  am_str json;          /* structured answers: the extracted value as JSON text; else empty */
  am_str result_json;   /* all of it as one object: {"content", "finish_reason", "provider",
                           "model", "usage": {"prompt_tokens", "completion_tokens",
                           "total_tokens", "estimated"}, "from_cache"[, "json"]} */
  int64_t prompt_tokens;
  int64_t completion_tokens;
  bool usage_estimated; /* the provider reported no counts; these are estimates */
  bool from_cache;      /* answered from the cache: nothing was sent or paid */
} am_llm_result;

/* [job-strand] Completion, exactly once, on the job's executor, never before chat() returns; also
 * when cancelled (AM_CANCELLED). On AM_OK `result` is set and `error` is empty; otherwise `result`
 * is NULL and `error` says what failed and how to fix it, naming the provider:
 * AM_INVALID_ARGUMENT (a bad field, named), AM_NOT_FOUND (unknown provider or model; for
 * Ollama it says `ollama pull MODEL`), AM_UNAUTHENTICATED (key missing or refused, naming the
 * environment variable to set), AM_QUOTA_EXCEEDED, AM_RATE_LIMITED (retries exhausted),
 * AM_UNAVAILABLE (server down: the URL tried is named), AM_TIMEOUT, AM_ERROR (no usable JSON
 * after the retries, or a malformed answer). */
typedef void (*am_llm_done_fn)(void *user, am_status status, am_str error,
                               const am_llm_result *result);

typedef struct am_llm {
  uint32_t struct_size;

  /* [any-thread] Start a chat on behalf of `job`. `on_delta` may be NULL; it is used only with
   * stream. `user` goes to both callbacks. Returns the operation's id. Any thread. */
  am_op_id (*chat)(const am_host *host, am_job *job, const am_llm_request *request,
                   am_llm_delta_fn on_delta, am_llm_done_fn done, void *user);

  /* [any-thread] Cancel a chat: it completes with AM_CANCELLED unless it already completed (no
   * delta follows the completion). No-op for finished or unknown ids. Any thread. */
  void (*cancel)(const am_host *host, am_job *job, am_op_id op);
} am_llm;

#ifdef __cplusplus
}
#endif

#endif /* AUTOMUSE_LLM_H */
