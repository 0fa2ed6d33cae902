// plugins/twitter/post_writer.hpp — writing a post with the LLM: a specific sub-topic of the
// account's topic, in its language, at most two sentences, unlike the account's recent posts
// (listed in the prompt; an answer that nearly repeats one is refused and asked again, a few
// times at most); too long means asking again with the measured length, and only as a last
// resort cutting at a word boundary.
#pragma once

#include <automuse/cpp/job.hpp>
#include <automuse/cpp/llm.hpp>
#include <automuse/cpp/task.hpp>
#include <string>
#include <vector>

#include "settings.hpp"

namespace twitter {

// How many of the account's recent published posts the new one must not repeat, and how many
// drafts in all may be refused as repeats before the run fails.
inline constexpr int kRecentPosts = 20;
inline constexpr int kFreshDrafts = 3;

// The chat messages that ask for the first draft, telling it to avoid `recent` posts.
std::vector<am::llm_message> first_draft_messages(const Account &account,
                                                  const std::vector<std::string> &recent);

// The answer cleaned up: trimmed, surrounding quotes and a "Post:" preamble removed.
std::string clean_answer(std::string answer);

// Writes a post that fits in 280 weighted characters and does not repeat the account's recent
// posts, with the host's automuse.llm/1 (throws am::error(AM_UNSUPPORTED) when it has none;
// am::error(AM_ERROR) naming the account when every draft repeated one). Logs each re-ask.
am::task<std::string> write_post(am::job job, Account account, PluginSettings settings);

}  // namespace twitter
