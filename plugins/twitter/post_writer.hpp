// plugins/twitter/post_writer.hpp — writing a post with the LLM: a specific sub-topic of the
// account's topic, in its language, at most two sentences; too long means asking again with
// the measured length, and only as a last resort cutting at a word boundary.
#pragma once

#include <automuse/cpp/job.hpp>
#include <automuse/cpp/llm.hpp>
#include <automuse/cpp/task.hpp>
#include <string>
#include <vector>

#include "settings.hpp"

namespace twitter {

// The chat messages that ask for the first draft.
std::vector<am::llm_message> first_draft_messages(const Account &account);

// The answer cleaned up: trimmed, surrounding quotes and a "Post:" preamble removed.
std::string clean_answer(std::string answer);

// Writes a post that fits in 280 weighted characters with the host's automuse.llm/1 (throws
// am::error(AM_UNSUPPORTED) when it has none). Logs each re-ask.
am::task<std::string> write_post(am::job job, Account account, PluginSettings settings);

}  // namespace twitter
