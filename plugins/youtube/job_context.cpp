// plugins/youtube/job_context.cpp — the job's step cache and the LLM call as a step.
#include "job_context.hpp"

#include <automuse/config.h>

#include <automuse/cpp/buffer.hpp>
#include <cstdio>

#include "service_calls.hpp"

namespace youtube {

namespace {
constexpr int64_t kStepTtlMs = 7LL * 24 * 3600 * 1000;  // an unfinished job resumes for a week
}  // namespace

void Provenance::use_fallback(const std::string &what, const std::string &reason) {
  fallbacks.push_back(what);
  if (fallback_reason.empty()) fallback_reason = reason;
}

void Provenance::note_fallbacks() {
  if (fallbacks.empty()) return;
  std::string list;
  for (const auto &f : fallbacks) list += (list.empty() ? "" : ", ") + f;
  notes.push_back("offline fallbacks used (" + fallback_reason + "): " + list);
}

std::string cache_get(const JobContext &ctx, const std::string &key) {
  if (!ctx.cache) return {};
  am::buffer out;
  if (ctx.cache->get(ctx.job.host_ref().get(), am::to_am_str(key), out.out()) != AM_OK) return {};
  return out.str();
}

void cache_put(const JobContext &ctx, const std::string &key, const std::string &value) {
  if (ctx.cache)
    ctx.cache->put(ctx.job.host_ref().get(), am::to_am_str(key), am::to_am_str(value), kStepTtlMs);
}

std::string inputs_key(const std::vector<std::string> &parts) {
  uint64_t h = 1469598103934665603ull;
  for (const auto &p : parts) {
    for (unsigned char c : p) h = (h ^ c) * 1099511628211ull;
    h = (h ^ 0xFF) * 1099511628211ull;  // separator
  }
  char buf[20];
  std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(h));
  return buf;
}

std::string data_dir(const JobContext &ctx) {
  const am::host &host = ctx.job.host_ref();
  const auto &cfg = host.service<am_config>(AM_CONFIG_SERVICE_ID);
  am::buffer out;
  am::check(cfg.data_dir(host.get(), out.out()), "config: no data folder for the plugin");
  return out.str();
}

std::string format_seconds(double s) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f s", s);
  return buf;
}

am::task<std::string> llm_step(JobContext &ctx, std::string step, std::string messages,
                               std::string shape, double temperature) {
  size_t s = ctx.clock.start(step);
  try {
    LlmOutput out = co_await chat(ctx.job, messages, shape, ctx.settings.account.id, temperature);
    std::string value = shape.empty() ? out.content : out.json;
    ctx.llm_provider = out.provider + (out.model.empty() ? "" : "/" + out.model);
    ctx.clock.finish(s, ctx.llm_provider + (out.from_cache ? ", from the LLM cache" : ""));
    co_return value;
  } catch (const am::error &e) {
    // Not an error: the caller falls back (a warning naming the stand-in) or fails the run.
    ctx.clock.finish(s, std::string("failed: ") + e.what());
    throw;
  }
}

am::task<std::string> cached_chat(JobContext &ctx, std::string step, std::string messages,
                                  std::string shape, double temperature) {
  const std::string key = "step/" + ctx.job_id + "/" + step + "/" + inputs_key({messages, shape});
  if (std::string hit = cache_get(ctx, key); !hit.empty()) {
    ctx.clock.finish(ctx.clock.start(step), "from the job's cache");
    co_return hit;
  }
  auto ask = llm_step(ctx, step, std::move(messages), std::move(shape), temperature);
  std::string value = co_await std::move(ask);
  cache_put(ctx, key, value);
  co_return value;
}

}  // namespace youtube
