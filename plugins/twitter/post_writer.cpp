// plugins/twitter/post_writer.cpp — the LLM conversation that writes a post and keeps it
// within X's weighted length.
#include "post_writer.hpp"

#include <automuse/cpp/llm.hpp>

#include "fit_text.hpp"
#include "weighted_length.hpp"

namespace twitter {

std::vector<am::llm_message> first_draft_messages(const Account &account) {
  const std::string hashtags = account.hashtags == "few"
                                   ? "You may end with one or two relevant hashtags."
                                   : "Do not use hashtags.";
  return {
      {"system",
       "You write single posts for X (Twitter). Answer with the post's text only: no quotes, "
       "no preamble, no explanation."},
      {"user", "Write one post about a specific, concrete sub-topic of: " + account.topic +
                   ". Write it in " + account.language + ". At most two sentences. " + hashtags +
                   " It must fit in 280 weighted characters (letters of most non-Latin "
                   "scripts and emoji count double, every link counts 23)."}};
}

std::string clean_answer(std::string s) {
  auto trim = [](std::string &t) {
    while (!t.empty() && std::isspace(static_cast<unsigned char>(t.front()))) t.erase(0, 1);
    while (!t.empty() && std::isspace(static_cast<unsigned char>(t.back()))) t.pop_back();
  };
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

am::task<std::string> write_post(am::job job, Account account, PluginSettings settings) {
  if (account.topic.empty())
    throw am::error(AM_INVALID_ARGUMENT,
                    "X account '" + account.nickname + "' has no topic: set its field 'topic'");
  const am::llm llm(job.host_ref());
  am::llm_params params;
  params.account_id = account.id;
  params.temperature = 0.9;
  params.max_tokens = 400;
  std::vector<am::llm_message> messages = first_draft_messages(account);
  std::string post;
  for (int round = 0;; ++round) {
    auto chat = llm.chat(job, messages, params);  // named: g++ 12 and awaiter temporaries
    am::llm_answer answer = co_await chat;
    post = clean_answer(std::move(answer.content));
    if (post.empty()) throw am::error(AM_ERROR, "LLM: the answer was empty");
    const int weight = weighted_length(post);
    if (weight <= kMaxWeightedLength) co_return post;
    if (round >= settings.llm_rewrites) break;
    job.log().info("X post draft is " + std::to_string(weight) +
                   " weighted characters; asking for a shorter one");
    messages.push_back({"assistant", post});
    messages.push_back({"user", "That post measures " + std::to_string(weight) +
                                    " weighted characters; X allows 280. Rewrite it shorter, "
                                    "keeping the point and the language. Answer with the post "
                                    "only."});
  }
  job.log().warn("X post still too long after " + std::to_string(settings.llm_rewrites) +
                 " rewrites; cutting it at a word boundary");
  co_return cut_to_fit(post, kMaxWeightedLength);
}

}  // namespace twitter
