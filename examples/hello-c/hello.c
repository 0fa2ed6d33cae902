/* hello.c — a complete AutoMuse plugin in plain C11: it exports the entry symbol, looks up the
 * log, job and args services at init, and offers one action, "greet", that reads its `--name`
 * option through the args service (no JSON code of its own), logs a greeting and then
 * completes through the action's done callback from the job's executor. */
#include <automuse/automuse.h>
#include <stdio.h>
#include <string.h>

static const am_host *g_host;
static const am_log *g_log;
static const am_job_service *g_jobs;
static const am_args *g_args; /* NULL on a host older than ABI 1.1: then everyone is "you" */

static void log_line(am_log_level level, const char *text) {
  am_str message;
  message.data = text;
  message.len = strlen(text);
  g_log->write(g_host, level, message);
}

static am_status hello_init(const am_host *host) {
  g_host = host;
  g_log = (const am_log *)host->get_service(host, AM_LOG_SERVICE_ID);
  g_jobs = (const am_job_service *)host->get_service(host, AM_JOB_SERVICE_ID);
  g_args = (const am_args *)host->get_service(host, AM_ARGS_SERVICE_ID);
  /* Check the table is large enough for every function this plugin calls. */
  if (!g_log || !AM_HAS_FIELD(g_log, am_log, write)) return AM_UNSUPPORTED;
  if (!g_jobs || !AM_HAS_FIELD(g_jobs, am_job_service, post)) return AM_UNSUPPORTED;
  return AM_OK;
}

static void hello_deinit(void) {
  g_host = NULL;
  g_log = NULL;
  g_jobs = NULL;
  g_args = NULL;
}

static am_str hello_describe(void) {
  static const char kDescription[] =
      "{\"description\": \"Says hello from a plugin written in C\","
      " \"account_fields\": [],"
      " \"actions\": [{\"name\": \"greet\", \"summary\": \"Log a greeting and return it\","
      " \"options\": [{\"name\": \"name\", \"type\": \"string\","
      " \"help\": \"who to greet (default: you)\"}]}],"
      " \"publishes\": []}";
  am_str s;
  s.data = kDescription;
  s.len = sizeof kDescription - 1;
  return s;
}

/* Runs on the job's executor after start_action has returned. The call is borrowed until done
 * is called, so reading it here is fine. */
static void finish_greet(void *user) {
  const am_action_call *call = (const am_action_call *)user;
  static const char kResult[] = "{\"greeting\": \"Hello from C\", \"plugin\": \"hello-c\"}";
  am_str result;
  am_str message;
  result.data = kResult;
  result.len = sizeof kResult - 1;
  message.data = "";
  message.len = 0;
  if (g_jobs->is_cancelled(call->job)) {
    message.data = "cancelled";
    message.len = strlen(message.data);
    call->done(call->done_user, AM_CANCELLED, result, message);
    return;
  }
  call->done(call->done_user, AM_OK, result, message);
}

static am_status hello_start_action(const am_action_call *call) {
  char line[200];
  am_str name = {"you", 3}; /* kept when --name was not given */
  am_str error = {NULL, 0};
  if (call->action.len != 5 || memcmp(call->action.data, "greet", 5) != 0) return AM_UNSUPPORTED;
  /* The host checked --name against describe() already; a mistyped value is its message. */
  if (g_args && g_args->option_string(call, "name", &name, &error) == AM_INVALID_ARGUMENT) {
    if (AM_HAS_FIELD(call, am_action_call, set_refusal)) call->set_refusal(call, error);
    return AM_INVALID_ARGUMENT;
  }
  snprintf(line, sizeof line, "hello-c greets %.*s (host %.*s %.*s)", (int)name.len, name.data,
           (int)g_host->host_name.len, g_host->host_name.data, (int)g_host->host_version.len,
           g_host->host_version.data);
  log_line(AM_LOG_INFO, line);
  /* Complete asynchronously, as real actions do: done is called after we return AM_OK. */
  g_jobs->post(call->job, finish_greet, (void *)call);
  return AM_OK;
}

/* The one exported symbol. Its first field, the ABI version, is read before any code runs. */
AM_EXPORT const am_plugin_entry automuse_plugin_entry = {AM_ABI_VERSION_INIT,
                                                         sizeof(am_plugin_entry),
                                                         "hello-c",
                                                         "Hello (C)",
                                                         "1.0.0",
                                                         hello_init,
                                                         hello_deinit,
                                                         hello_describe,
                                                         hello_start_action};
