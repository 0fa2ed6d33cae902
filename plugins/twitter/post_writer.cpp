// plugins/twitter/post_writer.cpp — the LLM conversation that writes a post and keeps it
// within X's weighted length.
#include "post_writer.hpp"

#include <automuse/cpp/llm.hpp>

#include "fit_text.hpp"
#include "near_duplicate.hpp"
#include "recent_history.hpp"
#include "text.hpp"
#include "weighted_length.hpp"

namespace twitter {

std::vector<am::llm_message> first_draft_messages(const Account &account,
                                                  const std::vector<std::string> &recent) {
  const std::string hashtags = account.hashtags == "few"
                                   ? "You may end with one or two relevant hashtags."
                                   : "Do not use hashtags.";
  return {{"system",
           "You write single posts for X (Twitter). Answer with the post's text only: no quotes, "
           "no preamble, no explanation."},
          {"user",
           "Write one post about a specific, concrete sub-topic of: " + account.topic +
               ". Write it in " + account.language + ". At most two sentences. " + hashtags +
               " It must fit in 280 weighted characters (letters of most non-Latin "
               "scripts and emoji count double, every link counts 23)." +
               (recent.empty() ? "" : "\n\n" + fresh_content::avoid_instruction(recent, "posts"))}};
}

std::string clean_answer(std::string s) {
  auto trim = [](std::string &t) { t = std::string(plugin_support::trim(t)); };
  trim(s);
  for (const char *prefix : {"Post:", "post:", "Tweet:", "tweet:"})
    if (s.rfind(prefix, 0) == 0) {
      s.erase(0, std::string(prefix).size());
      trim(s);
    }
  if (s.size() >= 2 && s.front() == '"' && s.back() == '"') s = s.substr(1, s.size() - 2);
  const std::string open = "“", close = "”";
  if (s.size() >= 6 && s.rfind(open, 0) == 0 && s.ends_with(close))
    s = s.substr(open.size(), s.size() - open.size() - close.size());
  trim(s);
  return s;
}

namespace {

// One draft within X's length: re-asked with the measured length (the exchange is added to
// `messages`), at last cut at a word boundary.
am::task<std::string> fitted_draft(am::job job, am::llm_params params,
                                   std::vector<am::llm_message> &messages, int rewrites) {
  const am::llm llm(job.host_ref());
  std::string post;
  for (int round = 0;; ++round) {
    auto chat = llm.chat(job, messages, params);  // named: g++ 12 and awaiter temporaries
    am::llm_answer answer = co_await chat;
    post = clean_answer(std::move(answer.content));
    if (post.empty()) throw am::error(AM_ERROR, "LLM: the answer was empty");
    const int weight = weighted_length(post);
    if (weight <= kMaxWeightedLength) co_return post;
    if (round >= rewrites) break;
    job.log().info("X post draft is " + std::to_string(weight) +
                   " weighted characters; asking for a shorter one");
    messages.push_back({"assistant", post});
    messages.push_back({"user", "That post measures " + std::to_string(weight) +
                                    " weighted characters; X allows 280. Rewrite it shorter, "
                                    "keeping the point and the language. Answer with the post "
                                    "only."});
  }
  job.log().warn("X post still too long after " + std::to_string(rewrites) +
                 " rewrites; cutting it at a word boundary");
  co_return cut_to_fit(post, kMaxWeightedLength);
}

}  // namespace

am::task<std::string> write_post(am::job job, Account account, PluginSettings settings) {
  if (account.topic.empty())
    throw am::error(AM_INVALID_ARGUMENT,
                    "X account '" + account.nickname + "' has no topic: set its field 'topic'");
  am::llm_params params;
  params.account_id = account.id;
  params.temperature = 0.9;
  params.max_tokens = 400;
  // Published posts only: an open intent ("generated") may be this very run's, resumed, whose
  // cached draft must come back unchanged for the publish flow to recognise it.
  const std::vector<std::string> recent = fresh_content::recent_texts(
      job.host_ref(), {account.id, "post", "published", {"body"}, kRecentPosts});
  std::vector<am::llm_message> messages = first_draft_messages(account, recent);
  for (int draft = 1;; ++draft) {
    auto fit = fitted_draft(job, params, messages, settings.llm_rewrites);
    std::string post = co_await std::move(fit);
    const std::string *repeated = fresh_content::nearly_repeats(post, recent);
    if (!repeated) co_return post;
    if (draft >= kFreshDrafts)
      throw am::error(AM_ERROR, "the LLM wrote " + std::to_string(draft) +
                                    " posts in a row for X account '" + account.nickname +
                                    "' that repeat its recent posts (the last, \"" + post +
                                    "\", is too close to \"" + *repeated +
                                    "\"); nothing was posted. Try again later, or post your own "
                                    "text with `post --text`");
    job.log().warn("X post draft repeats a recent post of '" + account.nickname +
                   "'; asking for a different one");
    messages.push_back({"assistant", post});
    messages.push_back({"user", fresh_content::repeat_refusal(*repeated, "posts")});
  }
}

}  // namespace twitter
