// host/publish/publish_ledger.hpp — what the publish registry records in the publication
// ledger around every publication made through "automuse.publish/1", so that no publisher
// can forget it: the intent before the publisher starts, the outcome when it answers, and
// the answer for content already published to that account (the publisher is not asked).
#pragma once

#include <automuse/types.h>

#include <string>

#include "core/job.hpp"
#include "ledger/publication_ledger.hpp"

namespace automuse::publish {

// The digest of a publication's inputs: the caller's own, given as the option
// "content_digest" (taken out of `options_json`, the publisher never sees it), or else one of
// the text, the title and the media file's bytes. Throws std::runtime_error when the media
// file cannot be read.
std::string take_content_digest(std::string &options_json, const std::string &text,
                                const std::string &title, const std::string &media_path);

// The intent of `job` to publish through `publisher` as its account `account` (an id or
// nickname), with a short summary for people: the title, else the start of the text.
ledger::Intent intent_for(ledger::PublicationLedger &ledger, const am_job &job,
                          const std::string &publisher, const std::string &account,
                          const std::string &digest, const std::string &title,
                          const std::string &text);

// The registry's answer for content already published there: {"id", "url", "ledger_id",
// "already_published": true}.
std::string already_published_json(const ledger::Publication &row);

// The user-facing refusal for a publication whose outcome is uncertain.
std::string uncertain_message(const ledger::Publication &row, const std::string &account);

// Records a publisher's answer: published with the result's id and URL; failed when the
// publisher refused for good (bad input, credentials, permission, quota, limits); otherwise
// (cancelled, unavailable, a lost answer) the row stays unfinished, and the next attempt goes
// through the publisher again, whose own recovery settles what happened. Never throws: a
// failure to record is logged.
void record_outcome(ledger::PublicationLedger &ledger, int64_t id, am_status status,
                    const std::string &error, const std::string &result_json);

}  // namespace automuse::publish
