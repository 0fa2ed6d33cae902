// host/images/image_provider.hpp — what an image provider does for the service: produce one
// picture (or clip) for a prompt as a file. The service checks the file, caches it, and
// falls back to the next provider when one fails.
#pragma once

#include <automuse/types.h>

#include <filesystem>
#include <functional>
#include <memory>
#include <string>

struct am_job;

namespace automuse::images {

enum class MediaKind { kImage, kVideo };

struct ImageRequest {
  std::string prompt;
  int width = 1080;
  int height = 1920;
  MediaKind kind = MediaKind::kImage;
  int min_width = 540;
  int min_height = 960;
};

// Called exactly once, from any thread: the file made (at `target` or, for providers that
// hand out existing files, elsewhere), or a status and a message.
using ImageDone =
    std::function<void(am_status status, std::string error, std::filesystem::path file)>;

class ImageProvider {
 public:
  virtual ~ImageProvider() = default;
  virtual std::string name() const = 0;
  virtual bool supports(MediaKind kind) const = 0;
  // Worth caching (generated or downloaded), rather than a file the user already has.
  virtual bool cacheable() const = 0;
  // Starts producing the file; returns a function that aborts the work. `target` is a free
  // path (without extension) in the service's output folder the provider may write to,
  // adding its own extension.
  virtual std::function<void()> fetch(am_job &job, const ImageRequest &request,
                                      const std::filesystem::path &target, ImageDone done) = 0;
};

// Offline title cards (PNG), rendered on the job's worker pool.
std::unique_ptr<ImageProvider> make_card_provider();

// The user's own pictures and clips from `folder`, picked by how well file names match the
// prompt's words; files that do not decode are skipped.
std::unique_ptr<ImageProvider> make_folder_provider(std::filesystem::path folder);

}  // namespace automuse::images
