// host/llm/llm_service.cpp — chats as job operations, and the automuse.llm/1 C table.
#include "llm/llm_service.hpp"

#include <boost/json.hpp>

#include "core/services.hpp"
#include "llm/json_extract.hpp"

namespace automuse::llm {

namespace json = boost::json;

namespace {

// Shared by the op's cancel hook, its deltas and its completion.
struct OpState {
  std::atomic<uint64_t> inner{0};  // the client's call id
  bool finished = false;           // on the job's strand only
};

using core::to_string;
am_str view(const std::string &s) {
  return core::to_am_str(s);
}

}  // namespace

LlmService::LlmService(LlmClient &client) : client_(client) {}

LlmService::~LlmService() = default;

am_llm LlmService::c_table() {
  am_llm t{};
  t.struct_size = sizeof(am_llm);

  t.chat = [](const am_host *host, am_job *job, const am_llm_request *req, am_llm_delta_fn on_delta,
              am_llm_done_fn done, void *user) -> am_op_id {
    auto fail_now = [&](am_status status, std::string error) {
      return core::fail_now(*job, done, user, status, std::move(error));
    };
    auto *svc = core::ServiceBinding<am_llm, LlmService>::of(host, AM_LLM_SERVICE_ID);
    if (!svc) return fail_now(AM_UNSUPPORTED, "the LLM service is not installed");
    if (!req || req->struct_size < sizeof(am_llm_request))
      return fail_now(AM_INVALID_ARGUMENT, "request: missing, or struct_size too small");
    ChatRequest r;
    std::optional<json::value> shape;
    try {
      r.messages = messages_from_json(std::string_view(
          req->messages_json.data ? req->messages_json.data : "", req->messages_json.len));
      if (req->json_shape.len > 0) {
        boost::system::error_code ec;
        shape = json::parse(std::string_view(req->json_shape.data, req->json_shape.len), ec);
        if (ec)
          return fail_now(AM_INVALID_ARGUMENT, "json_shape: not valid JSON (" + ec.message() + ")");
        validate_shape_schema(*shape);
      }
    } catch (const am::error &e) {
      return fail_now(e.status(), e.what());
    }
    r.provider = to_string(req->provider);
    r.model = to_string(req->model);
    r.account_id = to_string(req->account_id);
    if (req->has_temperature) {
      if (!(req->temperature >= 0 && req->temperature <= 2))
        return fail_now(AM_INVALID_ARGUMENT, "temperature: must be between 0 and 2");
      r.params.temperature = req->temperature;
    }
    if (req->max_tokens < 0)
      return fail_now(AM_INVALID_ARGUMENT, "max_tokens: must not be negative");
    if (req->max_tokens > 0) r.params.max_tokens = req->max_tokens;
    if (req->has_seed) r.params.seed = req->seed;
    r.stream = req->stream && !shape;
    r.use_cache = !req->no_cache;
    int retries = req->json_retries == 0 ? 2 : std::max(0, req->json_retries);

    LlmClient::DeltaFn delta;
    if (on_delta)
      delta = [on_delta, user](std::string_view d) { on_delta(user, am_str{d.data(), d.size()}); };
    return svc->chat(*job, std::move(r), std::move(shape), retries, std::move(delta),
                     [done, user](ChatOutcome o) {
                       if (o.status != AM_OK) {
                         done(user, o.status, view(o.error), nullptr);
                         return;
                       }
                       const ChatResult &c = o.result;
                       std::string json_text = c.json ? json::serialize(*c.json) : std::string();
                       std::string all = c.to_json();
                       am_llm_result res{};
                       res.struct_size = sizeof res;
                       res.content = view(c.content);
                       res.finish_reason = view(c.finish_reason);
                       res.provider = view(c.provider);
                       res.model = view(c.model);
                       res.json = view(json_text);
                       res.result_json = view(all);
                       res.prompt_tokens = c.usage.prompt_tokens;
                       res.completion_tokens = c.usage.completion_tokens;
                       res.usage_estimated = !c.usage.reported;
                       res.from_cache = c.from_cache;
                       done(user, AM_OK, am_str{"", 0}, &res);
                     });
  };
  t.cancel = [](const am_host *, am_job *job, am_op_id op) {
    if (job) job->cancel_op(op);
  };
  return t;
}

am_op_id LlmService::chat(am_job &job, ChatRequest request, std::optional<json::value> shape,
                          int json_retries, LlmClient::DeltaFn on_delta, LlmClient::DoneFn done) {
  auto j = job.shared_from_this();
  request.cache_scope = job.run_id();  // answers are reused within a run, never across runs
  auto state = std::make_shared<OpState>();
  LlmClient *client = &client_;
  am_op_id id = job.add_op([j, state, done, client](am_op_id op) {
    if (uint64_t inner = state->inner.load()) client->cancel(inner);
    j->complete_op(op, [state, done] {
      state->finished = true;
      done(ChatOutcome{AM_CANCELLED, "cancelled", {}});
    });
  });
  auto finish = [j, id, state, done](ChatOutcome o) {
    auto shared = std::make_shared<ChatOutcome>(std::move(o));
    j->complete_op(id, [state, done, shared] {
      state->finished = true;
      done(std::move(*shared));
    });
  };
  uint64_t inner;
  if (shape) {
    inner = client_.chat_json(std::move(request), std::move(*shape), json_retries, j->executor(),
                              finish);
  } else {
    LlmClient::DeltaFn guarded;
    if (on_delta)
      guarded = [state, on_delta](std::string_view d) {
        if (!state->finished) on_delta(d);
      };
    inner = client_.chat(std::move(request), j->executor(), std::move(guarded), finish);
  }
  state->inner.store(inner);
  // A cancel that came before `inner` was known found nothing to stop: stop it now.
  if (job.cancelled()) client_.cancel(inner);
  return id;
}

}  // namespace automuse::llm
