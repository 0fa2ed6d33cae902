// plugins/youtube/outbox_step.hpp — the made Short kept: its outbox folder (video, thumbnail,
// subtitles and metadata.json, in place all at once) and its record in the history.
#pragma once

#include <automuse/cpp/task.hpp>
#include <string>

#include "draft_step.hpp"
#include "job_context.hpp"
#include "render_step.hpp"
#include "script_step.hpp"
#include "speech_step.hpp"
#include "workspace_step.hpp"

namespace youtube {

// Everything metadata.json tells of one Short.
struct MadeShort {
  const Script &script;
  const Workspace &workspace;
  const Draft &draft;
  const Voice &voice;
  const Rendered &rendered;
  const Provenance &made;
  const std::string &digest;  // the ledger's key of the Short (publication.hpp), kept with it
};

struct Stored {
  std::string folder;      // the outbox folder
  std::string video;       // its video.mp4
  double duration = 0;     // seconds, to the millisecond, as in metadata.json
  std::string history_id;  // empty when the host has no store or it refused the record
};

// Moves the Short into the outbox (--outbox, the configured outbox_dir, or the data folder's
// outbox) and records it in the history as "generated". Throws am::error(AM_IO) naming the path.
am::task<Stored> store_short(JobContext &ctx, MadeShort made);

// Updates the history record of a stored Short (a warning when the store refuses).
void update_history(const JobContext &ctx, const Stored &stored, const std::string &patch_json);

}  // namespace youtube
