// plugins/youtube/generate.cpp — the Short pipeline as its sequence of steps, each in its own
// file (*_step.hpp) with its inputs and outputs. Everything runs on the job's executor (no
// locks needed); file work goes to the worker pool; the LLM, speech and images services run
// concurrently where the steps allow.
#include "generate.hpp"

#include <automuse/config.h>

#include <automuse/cpp/buffer.hpp>
#include <boost/json.hpp>
#include <cmath>
#include <filesystem>

#include "draft_step.hpp"
#include "job_context.hpp"
#include "outbox_step.hpp"
#include "publication.hpp"
#include "publish_step.hpp"
#include "render_step.hpp"
#include "script_step.hpp"
#include "service_calls.hpp"
#include "share_step.hpp"
#include "short_result.hpp"
#include "speech_step.hpp"
#include "workspace_step.hpp"

namespace youtube {
namespace fs = std::filesystem;
namespace json = boost::json;

std::string config_section(const am::host &host) {
  const auto *cfg = host.find<am_config>(AM_CONFIG_SERVICE_ID);
  if (!cfg) return "{}";
  am::buffer out;
  if (cfg->plugin_section(host.get(), out.out()) != AM_OK) return "{}";
  return out.str();
}

namespace {

void start_job(JobContext &ctx, const std::string &action) {
  const Account &account = ctx.settings.account;
  ctx.job.log().info("youtube: " + action + " for account '" + account.nickname +
                     "' (niche: " + account.niche + ", language: " + account.language + ")");
  ctx.cache = ctx.job.host_ref().find<am_cache>(AM_CACHE_SERVICE_ID);
  ctx.have_llm = llm_available(ctx.job.host_ref());
}

// What the ledger knows the Short by: its inputs, not its encoded bytes.
std::string digest_of(const JobContext &ctx, const Draft &draft, const Rendered &rendered,
                      const Workspace &ws) {
  std::vector<std::string> prompts;
  for (const auto &sc : rendered.scenes) prompts.push_back(sc.prompt);
  const Account &account = ctx.settings.account;
  return short_digest(draft.metadata.title, draft.script, account.language, account.voice, prompts,
                      ws.music);
}

// A finished job clears its resume marker; the work folder held only intermediate files.
am::task<void> finish_job(JobContext &ctx, const std::string &pending_key, const Workspace &ws) {
  if (!pending_key.empty() && ctx.cache)
    ctx.cache->remove(ctx.job.host_ref().get(), am::to_am_str(pending_key));
  const fs::path work = ws.work;
  auto clean = ctx.job.on_worker([work] {
    std::error_code ec;
    fs::remove_all(work, ec);
  });
  co_await std::move(clean);
}

}  // namespace

am::task<std::string> run_pipeline(am::job job, am::action_request request) {
  const std::string config_json = config_section(job.host_ref());
  JobContext ctx(job, parse_settings(request.action, request.args_json, config_json));
  const PublishPlan plan = plan_publishing(ctx, request.action, config_json);
  start_job(ctx, request.action);
  Provenance made;

  auto scripting = script_step(ctx, made);
  const Script script = co_await std::move(scripting);
  auto preparing = prepare_workspace(ctx, script.text, made);
  const Workspace ws = co_await std::move(preparing);
  // Metadata, pictures and speech at the same time.
  auto drafting = draft_short(ctx, script, ws, made);
  const Draft draft = co_await std::move(drafting);
  auto fitting = fit_duration(ctx, draft.script, ws, draft.speech, made);
  const Voice voice = co_await std::move(fitting);
  auto rendering =
      render_short(ctx, ws, draft.scenes, voice.speech, !shares_video_file(plan.cross_posts));
  const Rendered rendered = co_await std::move(rendering);
  // The ledger's key of the Short, kept in its history record too: a later `publish` of it
  // (after approval) publishes under the same key as this run would.
  const std::string digest = digest_of(ctx, draft, rendered, ws);
  auto storing = store_short(ctx, MadeShort{script, ws, draft, voice, rendered, made, digest});
  const Stored stored = co_await std::move(storing);

  Published published;
  if (plan.to_youtube) {
    auto uploading = upload_short(ctx, plan.api, draft.metadata, stored, digest);
    published = co_await std::move(uploading);
  }
  CrossPostShort shared_short{draft.metadata.title, draft.metadata.description, stored.video,
                              published.url, digest};
  auto sharing = share_short(ctx, plan.cross_posts, std::move(shared_short));
  const Shares shares = co_await std::move(sharing);

  auto finishing = finish_job(ctx, script.pending_key, ws);
  co_await std::move(finishing);
  job.log().info("youtube: done in " + format_seconds(ctx.clock.elapsed()) + ": " + stored.folder);
  co_return short_result_json(ctx, draft.metadata, stored, published, plan, shares);
}

}  // namespace youtube
