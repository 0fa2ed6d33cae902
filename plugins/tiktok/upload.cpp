// plugins/tiktok/upload.cpp — the chunked PUTs.
#include "upload.hpp"

#include <automuse/cpp/http.hpp>
#include <fstream>

namespace tiktok {
namespace {

constexpr int kSendsPerChunk = 4;  // the first and three more after a 5xx or a lost answer
constexpr int kMaxResyncs = 8;     // 416s followed before giving up

std::string read_range(const std::string &path, uint64_t first, uint64_t bytes) {
  std::ifstream in(path, std::ios::binary);
  std::string out(bytes, '\0');
  in.seekg(static_cast<std::streamoff>(first));
  if (!in || !in.read(out.data(), static_cast<std::streamsize>(bytes)))
    throw am::error(AM_IO, "cannot read " + std::to_string(bytes) + " bytes at " +
                               std::to_string(first) + " of " + path);
  return out;
}

std::string ends_with_lower(const std::string &path) {
  std::string ext = path.substr(
      path.find_last_of('.') == std::string::npos ? path.size() : path.find_last_of('.'));
  for (char &c : ext) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return ext;
}

}  // namespace

std::string video_content_type(const std::string &path) {
  const std::string ext = ends_with_lower(path);
  if (ext == ".mov") return "video/quicktime";
  if (ext == ".webm") return "video/webm";
  return "video/mp4";
}

am::task<void> upload_video(am::job job, std::string who, std::string path, ChunkPlan plan,
                            std::string upload_url, StopFlag stop) {
  am::http http(job);
  uint64_t index = 0;
  int sends = 0, resyncs = 0;
  while (index < plan.count) {
    if ((stop && stop->load()) || job.cancelled()) throw am::error(AM_CANCELLED, "cancelled");
    const uint64_t first = plan.first_byte(index), bytes = plan.bytes(index);
    am::http_request req("PUT", upload_url, read_range(path, first, bytes));
    req.headers = {{"Content-Type", video_content_type(path)},
                   {"Content-Range", "bytes " + std::to_string(first) + "-" +
                                         std::to_string(first + bytes - 1) + "/" +
                                         std::to_string(plan.video_size)}};
    req.max_attempts = 1;  // retried here, where a 416 can settle what the server has
    am::http_response resp = co_await http.send(std::move(req));
    const std::string where =
        who + ": chunk " + std::to_string(index + 1) + " of " + std::to_string(plan.count);
    if (resp.status == AM_CANCELLED) throw am::error(AM_CANCELLED, "cancelled");
    const int status = resp.status == AM_OK ? resp.http_status : 0;
    if (status == 201) co_return;  // every chunk arrived: posting begins
    if (status == 206) {
      ++index;
      sends = 0;
      continue;
    }
    if (status == 416) {
      auto held = held_bytes(resp.header("Content-Range").value_or(""), plan);
      if (!held || ++resyncs > kMaxResyncs)
        throw am::error(AM_ERROR, where + ": TikTok answered 416 with an unusable Content-Range '" +
                                      resp.header("Content-Range").value_or("") + "'");
      if (*held == plan.video_size) co_return;  // it had everything: the answer was lost
      job.log().info(where + ": TikTok holds " + std::to_string(*held) +
                     " bytes; continuing there");
      index = *held / plan.chunk_size;
      sends = 0;
      continue;
    }
    if (status == 403)
      throw UploadExpired(AM_UNAVAILABLE, where + ": the upload URL expired (HTTP 403)");
    if ((status == 0 || status >= 500) && ++sends < kSendsPerChunk) {
      job.log().warn(where + ": " + (status ? "HTTP " + std::to_string(status) : resp.error) +
                     "; sending it again");
      co_await job.sleep(std::chrono::milliseconds(200 * sends));
      continue;
    }
    throw am::error(status >= 500 || status == 0 ? AM_UNAVAILABLE : AM_ERROR,
                    where + " failed: " + (status ? "HTTP " + std::to_string(status) : resp.error));
  }
}

}  // namespace tiktok
