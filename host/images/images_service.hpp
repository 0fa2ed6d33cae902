// host/images/images_service.hpp — "automuse.images/1": one checked image per request from the
// providers in order, falling back on failure, cached by (provider, prompt, size), as an
// operation on a job that completes exactly once on the job's executor.
#pragma once

#include <automuse/images.h>

#include <atomic>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "core/service_binding.hpp"
#include "images/image_provider.hpp"
#include "images/media_probe.hpp"

namespace automuse::cache {
class Cache;
}
namespace automuse::core {
class ServiceRegistry;
}

namespace automuse::images {

struct ImagesServiceConfig {
  std::filesystem::path output_dir;                 // generated and downloaded files
  cache::Cache *cache = nullptr;                    // optional; must outlive the service
  std::vector<std::string> default_order{"cards"};  // when a request names none
  uint64_t max_pixels = kDefaultMaxPixels;          // limits.media_megapixels, in pixels
};

struct Attempt {
  std::string provider;
  am_status status = AM_OK;
  std::string error;
};

struct ImageOutcome {
  std::filesystem::path path;
  MediaInfo info;
  std::string provider;
  bool from_cache = false;
  std::vector<Attempt> attempts;
};

using ImagesDone = std::function<void(am_status, const std::string &, const ImageOutcome *)>;

// The service must outlive every job that uses it (the host drains jobs before tearing
// services down): operations in flight refer to it.
class ImagesService {
 public:
  explicit ImagesService(ImagesServiceConfig config);
  ~ImagesService();
  ImagesService(const ImagesService &) = delete;
  ImagesService &operator=(const ImagesService &) = delete;

  // Adds or replaces a provider under its name(). "cards" is there from the start.
  void add_provider(std::unique_ptr<ImageProvider> provider);
  // The table to register under AM_IMAGES_SERVICE_ID; the service must outlive its users.
  const am_images *table() const { return binding_.table(); }

  // `order` empty = the configured default. `done` runs once on the job's executor.
  am_op_id generate(am_job &job, ImageRequest request, std::vector<std::string> order,
                    bool use_cache, ImagesDone done);

  std::string cache_key(const std::string &provider, const ImageRequest &request) const;

 private:
  struct Run;
  static am_images c_table();
  void attempt(std::shared_ptr<Run> run);
  void finish(std::shared_ptr<Run> run, am_status status, std::string error,
              std::filesystem::path file);

  ImagesServiceConfig config_;
  mutable std::mutex mutex_;
  std::map<std::string, std::shared_ptr<ImageProvider>> providers_;
  core::ServiceBinding<am_images, ImagesService> binding_{*this, c_table()};
  std::atomic<uint64_t> counter_{0};
};

// "json" of attempts, as in am_image_result.report_json.
std::string attempts_json(const std::vector<Attempt> &attempts);

}  // namespace automuse::images
