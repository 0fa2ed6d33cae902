// plugins/youtube/share_step.cpp — the cross-posts, one target after another.
#include "share_step.hpp"

#include <boost/json.hpp>

namespace youtube {
namespace json = boost::json;

am::task<Shares> share_short(JobContext &ctx, const std::vector<CrossPostTarget> &targets,
                             CrossPostShort short_video) {
  Shares out;
  for (const auto &target : targets) {
    size_t s = ctx.clock.start("share " + target.plugin + ":" + target.account);
    try {
      auto call = cross_post(ctx.job, ctx.settings.account, target, short_video, ctx.have_llm);
      CrossPostResult r = co_await std::move(call);
      out.shared.push_back(json::object{{"plugin", r.target.plugin},
                                        {"account", r.target.account},
                                        {"text", r.text},
                                        {"id", r.id},
                                        {"url", r.url}});
      ctx.clock.finish(s, r.url);
    } catch (const am::error &e) {
      if (e.status() == AM_CANCELLED) throw;
      ctx.clock.fail(s, e.what());
      if (out.error.empty() || e.status() == AM_UNCERTAIN) {
        out.error = e.what();
        out.status = e.status();
      }
    }
  }
  co_return out;
}

}  // namespace youtube
