// host/app/llm_commands.cpp — `llm ask`, `llm providers` and `usage`.
#include "app/llm_commands.hpp"

#include <boost/asio/strand.hpp>
#include <boost/json.hpp>
#include <chrono>
#include <cstdlib>
#include <future>
#include <iomanip>
#include <iostream>
#include <memory>
#include <optional>

#include "config/config.hpp"
#include "llm/usage_log.hpp"

namespace automuse::llm {

namespace json = boost::json;

namespace {

struct AskOptions {
  std::string prompt, provider, model, system, shape, account;
  std::optional<double> temperature;
  std::optional<int64_t> max_tokens, seed;
  bool stream = false, no_cache = false, as_json = false;
};

struct UsageOptions {
  int days = 30;
  std::string provider, account;
  bool as_json = false;
};

std::ostream &out_of(const LlmCliContext &c) {
  return c.out ? *c.out : std::cout;
}
std::ostream &err_of(const LlmCliContext &c) {
  return c.err ? *c.err : std::cerr;
}

int run_ask(const LlmCliContext &ctx, const AskOptions &o) {
  std::ostream &out = out_of(ctx);
  std::ostream &err = err_of(ctx);
  LlmHost &host = ctx.llm();
  core::Runtime &runtime = ctx.runtime();
  ChatRequest r;
  if (!o.system.empty()) r.messages.push_back({"system", o.system});
  r.messages.push_back({"user", o.prompt});
  r.provider = o.provider;
  r.model = o.model;
  r.account_id = o.account;
  r.params.temperature = o.temperature;
  r.params.max_tokens = o.max_tokens;
  r.params.seed = o.seed;
  r.stream = o.stream && o.shape.empty();
  r.use_cache = !o.no_cache;
  bool streamed = r.stream;

  auto strand = boost::asio::make_strand(runtime.io());
  auto promise = std::make_shared<std::promise<ChatOutcome>>();
  auto future = promise->get_future();
  auto done = [promise](ChatOutcome outcome) { promise->set_value(std::move(outcome)); };
  if (!o.shape.empty()) {
    boost::system::error_code ec;
    json::value shape = json::parse(o.shape, ec);
    if (ec) {
      err << "automuse-host: --shape: not valid JSON (" << ec.message() << ")\n";
      return 1;
    }
    host.client().chat_json(std::move(r), std::move(shape), 2, strand, done);
  } else {
    LlmClient::DeltaFn delta;
    if (streamed && !o.as_json) delta = [&out](std::string_view d) { out << d << std::flush; };
    host.client().chat(std::move(r), strand, std::move(delta), done);
  }
  ChatOutcome outcome = future.get();
  if (outcome.status != AM_OK) {
    if (streamed && !o.as_json) out << "\n";
    err << "automuse-host: " << outcome.error << "\n";
    return 1;
  }
  const ChatResult &res = outcome.result;
  if (o.as_json) {
    out << res.to_json() << "\n";
    return 0;
  }
  if (res.json)
    out << json::serialize(*res.json) << "\n";
  else if (streamed)
    out << "\n";
  else
    out << res.content << "\n";
  err << "(" << res.provider << ", " << res.model << ": " << res.usage.prompt_tokens
      << " tokens in, " << res.usage.completion_tokens << " out"
      << (res.usage.reported ? "" : ", estimated") << (res.from_cache ? ", from the cache" : "")
      << (res.finish_reason == "length" ? ", cut off by --max-tokens" : "") << ")\n";
  return 0;
}

int run_providers(const LlmCliContext &ctx, bool as_json) {
  std::ostream &out = out_of(ctx);
  ProviderSet set = ProviderSet::from_config(ctx.config());
  json::array list;
  for (const std::string &name : set.names()) {
    const Provider *p = set.find(name);
    std::string key;
    if (!p->api_key_env.empty())
      key = "$" + p->api_key_env + (std::getenv(p->api_key_env.c_str()) ? " (set)" : " (not set)");
    else if (!p->api_key.empty())
      key = "(in automuse.json)";
    else
      key = "(none needed)";
    std::string model = p->model;
    if (name == set.default_name() && !set.default_model().empty()) model = set.default_model();
    list.push_back(json::object{{"name", name},
                                {"default", name == set.default_name()},
                                {"api", p->api == Api::ollama ? "ollama" : "openai"},
                                {"url", p->chat_url()},
                                {"model", model},
                                {"key", key}});
  }
  if (as_json) {
    out << json::serialize(list) << "\n";
    return 0;
  }
  for (const json::value &v : list) {
    const json::object &o = v.as_object();
    out << (o.at("default").as_bool() ? "* " : "  ") << std::left << std::setw(12)
        << std::string(o.at("name").as_string()) << std::setw(24)
        << std::string(o.at("model").as_string()) << " " << std::string(o.at("url").as_string())
        << "  key: " << std::string(o.at("key").as_string()) << "\n";
  }
  return 0;
}

int run_usage(const LlmCliContext &ctx, const UsageOptions &o) {
  std::ostream &out = out_of(ctx);
  UsageLog *log = ctx.llm().usage();
  if (!log) {
    err_of(ctx) << "automuse-host: usage accounting is not set up (no store)\n";
    return 1;
  }
  UsageQuery q;
  if (!o.provider.empty()) q.provider = o.provider;
  if (!o.account.empty()) q.account_id = o.account;
  if (o.days > 0) {
    int64_t now = std::chrono::duration_cast<std::chrono::seconds>(
                      std::chrono::system_clock::now().time_since_epoch())
                      .count();
    q.since_day = UsageLog::day_of(now - int64_t{86400} * (o.days - 1));
  }
  std::vector<UsageRow> rows = log->list(q);
  if (o.as_json) {
    json::array a;
    for (const UsageRow &r : rows)
      a.push_back(json::object{{"day", r.day},
                               {"provider", r.provider},
                               {"model", r.model},
                               {"account_id", r.account_id},
                               {"requests", r.requests},
                               {"cached_requests", r.cached_requests},
                               {"prompt_tokens", r.prompt_tokens},
                               {"completion_tokens", r.completion_tokens},
                               {"estimated_requests", r.estimated}});
    out << json::serialize(a) << "\n";
    return 0;
  }
  if (rows.empty()) {
    out << "No LLM usage recorded"
        << (o.days > 0 ? " in the last " + std::to_string(o.days) + " days" : "") << ".\n";
    return 0;
  }
  auto line = [&](const std::string &day, const std::string &provider, const std::string &model,
                  const std::string &account, const std::string &req, const std::string &cached,
                  const std::string &in, const std::string &outt) {
    out << std::left << std::setw(11) << day << std::setw(12) << provider << std::setw(24) << model
        << std::setw(38) << account << std::right << std::setw(9) << req << std::setw(8) << cached
        << std::setw(12) << in << std::setw(12) << outt << "\n";
  };
  line("DAY", "PROVIDER", "MODEL", "ACCOUNT", "REQUESTS", "CACHED", "TOKENS IN", "TOKENS OUT");
  int64_t req = 0, cached = 0, in = 0, outt = 0, estimated = 0;
  for (const UsageRow &r : rows) {
    line(r.day, r.provider, r.model, r.account_id.empty() ? "-" : r.account_id,
         std::to_string(r.requests), std::to_string(r.cached_requests),
         std::to_string(r.prompt_tokens), std::to_string(r.completion_tokens));
    req += r.requests;
    cached += r.cached_requests;
    in += r.prompt_tokens;
    outt += r.completion_tokens;
    estimated += r.estimated;
  }
  line("total", "", "", "", std::to_string(req), std::to_string(cached), std::to_string(in),
       std::to_string(outt));
  if (estimated > 0)
    out << "(" << estimated << " request(s) had no counts from the provider; their tokens are "
        << "estimated)\n";
  return 0;
}

// When `cmd` is chosen: runs `run` with a fresh context; an exception becomes a message and
// exit code 1.
template <class F>
void on_chosen(CLI::App *cmd, const std::function<LlmCliContext()> &context, int *exit_code,
               F run) {
  cmd->callback([context, exit_code, run] {
    LlmCliContext ctx = context();
    try {
      *exit_code = run(ctx);
    } catch (const std::exception &e) {
      err_of(ctx) << "automuse-host: " << e.what() << "\n";
      *exit_code = 1;
    }
  });
}

}  // namespace

void add_llm_commands(CLI::App &app, const std::function<LlmCliContext()> &context,
                      int *exit_code) {
  CLI::App *llm = app.add_subcommand("llm", "Talk to the configured language models");
  llm->require_subcommand(1);

  auto ask_opts = std::make_shared<AskOptions>();
  CLI::App *ask = llm->add_subcommand("ask", "Ask a model one question (to check a configuration)");
  ask->add_option("PROMPT", ask_opts->prompt, "What to ask")->required();
  ask->add_option("--provider", ask_opts->provider, "Provider name (default: llm.provider)");
  ask->add_option("--model", ask_opts->model, "Model (default: the provider's)");
  ask->add_flag("--stream", ask_opts->stream, "Print the answer as it arrives");
  ask->add_option("--system", ask_opts->system, "A system message first");
  ask->add_option("--temperature", ask_opts->temperature, "Sampling temperature")
      ->check(CLI::Range(0.0, 2.0));
  ask->add_option("--max-tokens", ask_opts->max_tokens, "Longest answer, in tokens")
      ->check(CLI::PositiveNumber);
  ask->add_option("--seed", ask_opts->seed, "Sampling seed, where the provider supports one");
  ask->add_option("--shape", ask_opts->shape,
                  "Ask for JSON of this shape (a JSON Schema subset) and extract it");
  ask->add_option("--account", ask_opts->account, "Count the usage for this account id");
  ask->add_flag("--no-cache", ask_opts->no_cache, "Neither read nor write the answer cache");
  ask->add_flag("--json", ask_opts->as_json, "Print the whole result as JSON");
  on_chosen(ask, context, exit_code,
            [ask_opts](const LlmCliContext &ctx) { return run_ask(ctx, *ask_opts); });

  auto providers_json = std::make_shared<bool>(false);
  CLI::App *providers = llm->add_subcommand("providers", "List the configured providers");
  providers->add_flag("--json", *providers_json, "As JSON");
  on_chosen(providers, context, exit_code, [providers_json](const LlmCliContext &ctx) {
    return run_providers(ctx, *providers_json);
  });

  auto usage_opts = std::make_shared<UsageOptions>();
  CLI::App *usage = app.add_subcommand("usage", "LLM tokens used per day, provider and account");
  usage->add_option("--days", usage_opts->days, "Show the last N days (0: all)")
      ->check(CLI::NonNegativeNumber);
  usage->add_option("--provider", usage_opts->provider, "Only this provider");
  usage->add_option("--account", usage_opts->account, "Only this account id");
  usage->add_flag("--json", usage_opts->as_json, "As JSON");
  on_chosen(usage, context, exit_code,
            [usage_opts](const LlmCliContext &ctx) { return run_usage(ctx, *usage_opts); });
}

}  // namespace automuse::llm
