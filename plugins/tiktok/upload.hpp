// plugins/tiktok/upload.hpp — sending a video to TikTok's upload_url in the planned chunks, in
// order (docs/protocols/tiktok.md, "Uploading"): 206 means the next chunk, 201 that every chunk
// arrived; a 416 says where the server stands (its Content-Range), and the upload continues from
// there; a 5xx or a lost answer sends the same chunk again (if the server had it, the 416 moves
// the upload on); a 403 means the upload_url expired and this publish is dead.
#pragma once

#include <atomic>
#include <automuse/cpp/job.hpp>
#include <automuse/cpp/task.hpp>
#include <memory>
#include <string>

#include "chunk_plan.hpp"

namespace tiktok {

using StopFlag = std::shared_ptr<std::atomic<bool>>;

// The upload_url refused the upload (403): it expired. No bytes of this publish can be posted.
class UploadExpired : public am::error {
 public:
  using am::error::error;
};

// Uploads `path` by `plan` to `upload_url` (used whole, as TikTok gave it; never logged).
// Returns once the server took every byte. Throws UploadExpired, or am::error naming `who`.
am::task<void> upload_video(am::job job, std::string who, std::string path, ChunkPlan plan,
                            std::string upload_url, StopFlag stop);

// video/mp4, video/quicktime or video/webm, by the file's extension.
std::string video_content_type(const std::string &path);

}  // namespace tiktok
