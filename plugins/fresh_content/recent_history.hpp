// plugins/fresh_content/recent_history.hpp — an account's recent topics, titles or posts from
// the host's store (automuse.store/1 list_history), and what the LLM is told about them: the
// prompt line listing them, and the reply when an answer nearly repeats one.
#pragma once

#include <automuse/cpp/host.hpp>
#include <string>
#include <string_view>
#include <vector>

namespace fresh_content {

struct RecentQuery {
  std::string account;  // an id or nickname; empty: the plugin's whole history
  std::string kind;     // "video", "post"
  std::string status;   // only records with this status; empty: any
  // The members whose text is wanted: "title", "body", or "extra.NAME".
  std::vector<std::string> members;
  int limit = 20;  // records, newest first
};

// The non-empty texts of the newest matching records, newest first, each once. None when the
// host has no store service. Throws am::error naming the account when the store fails.
std::vector<std::string> recent_texts(const am::host &host, const RecentQuery &query);

// "Do not repeat any of these recent WHAT of this account ...: - ..." as a paragraph for the
// prompt; "" when `recent` is empty.
std::string avoid_instruction(const std::vector<std::string> &recent, std::string_view what);

// The reply to an answer that nearly repeats `repeated`, asking for another one.
std::string repeat_refusal(std::string_view repeated, std::string_view what);

}  // namespace fresh_content
