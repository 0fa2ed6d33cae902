// plugins/youtube/publication.hpp — the upload, exactly once, through the host's publication
// ledger (automuse.ledger/1): the intent is recorded before a session starts, the session's
// URI as soon as it exists, the video id and URL at the end. A re-run of the same Short
// finds its row: published (nothing is uploaded again), or unfinished (the same session
// continues from the byte the server holds).
#pragma once

#include <automuse/cpp/job.hpp>
#include <automuse/cpp/task.hpp>
#include <string>
#include <vector>

#include "upload_outcome.hpp"
#include "youtube_api.hpp"

namespace youtube {

// The digest of a Short's inputs — title, script, voice and language, the scenes' image
// prompts and the music — not of its encoded bytes, which may differ between renders.
std::string short_digest(const std::string &title, const std::string &script,
                         const std::string &language, const std::string &voice,
                         const std::vector<std::string> &image_prompts, const std::string &music);

struct Upload {
  UploadOutcome outcome;
  bool already_published = false;  // an earlier run published it: nothing was uploaded
};

// Uploads `request` for `account` unless the ledger says this content (`digest`) is already
// on the account's channel. Without a ledger in the host, uploads as before. The outcome is
// recorded: published, uncertain (an earlier uncertain row is answered as uncertain again,
// never uploaded anew), failed when YouTube made no video of it; a failure that may be
// resumed leaves the row uploading. Throws am::error(AM_CANCELLED) and ledger errors.
am::task<Upload> upload_once(am::job job, std::string account, ApiConfig api, UploadRequest request,
                             std::string digest);

}  // namespace youtube
