// host/images/images_service.cpp — provider fallback, checks, caching and the C table.
#include "images/images_service.hpp"

#include <automuse/cpp/buffer.hpp>
#include <automuse/cpp/error.hpp>
#include <automuse/cpp/str.hpp>
#include <boost/asio/post.hpp>
#include <boost/json.hpp>
#include <sstream>

#include "cache/cache.hpp"
#include "cache/sha256.hpp"
#include "core/job.hpp"
#include "core/op_cancel.hpp"
#include "core/services.hpp"
#include "core/text.hpp"

namespace automuse::images {

struct ImagesService::Run : core::OpCancel {
  std::shared_ptr<am_job> job;
  am_op_id id = 0;
  ImageRequest request;
  std::vector<std::string> order;
  size_t index = 0;
  bool use_cache = true;
  std::vector<Attempt> attempts;
  ImagesDone done;
  std::shared_ptr<ImageProvider> current;

  // Completes with the file `provider` gave (or the cache held for it).
  void succeed(std::filesystem::path path, MediaInfo info, const std::string &provider,
               bool from_cache) {
    auto out = std::make_shared<ImageOutcome>();
    out->path = std::move(path);
    out->info = info;
    out->provider = provider;
    out->from_cache = from_cache;
    attempts.push_back({provider, AM_OK, from_cache ? "from cache" : ""});
    out->attempts = attempts;
    complete(AM_OK, {}, out);
  }
  void complete(am_status status, std::string error, std::shared_ptr<ImageOutcome> out) {
    ended();
    auto d = done;
    job->complete_op(id, [d, status, error = std::move(error), out] {
      d(status, error, status == AM_OK ? out.get() : nullptr);
    });
  }
};

namespace {

std::string extension_for(const MediaInfo &info) {
  if (info.codec == "png") return ".png";
  if (info.codec == "mjpeg") return ".jpg";
  if (info.codec == "webp") return ".webp";
  if (info.is_video) return ".mp4";
  return ".img";
}

}  // namespace

std::string attempts_json(const std::vector<Attempt> &attempts) {
  namespace json = boost::json;
  json::array out;
  for (const Attempt &a : attempts)
    out.push_back(json::object{{"provider", a.provider},
                               {"status", a.status == AM_OK ? "ok" : am_status_name(a.status)},
                               {"error", a.error}});
  return json::serialize(out);
}

ImagesService::ImagesService(ImagesServiceConfig config) : config_(std::move(config)) {
  add_provider(make_card_provider());
}

ImagesService::~ImagesService() = default;

void ImagesService::add_provider(std::unique_ptr<ImageProvider> p) {
  std::lock_guard lock(mutex_);
  std::string name = p->name();
  providers_[name] = std::shared_ptr<ImageProvider>(std::move(p));
}

std::string ImagesService::cache_key(const std::string &provider, const ImageRequest &r) const {
  return cache::sha256_hex("automuse.images/1\n" + provider + "\n" + std::to_string(r.width) + "x" +
                           std::to_string(r.height) + "\n" +
                           (r.kind == MediaKind::kVideo ? "video" : "image") + "\n" + r.prompt);
}

am_op_id ImagesService::generate(am_job &job, ImageRequest request, std::vector<std::string> order,
                                 bool use_cache, ImagesDone done) {
  auto run = std::make_shared<Run>();
  run->job = job.shared_from_this();
  run->request = std::move(request);
  run->order = order.empty() ? config_.default_order : std::move(order);
  run->use_cache = use_cache;
  run->done = std::move(done);
  std::weak_ptr<Run> weak = run;
  run->id = job.add_op([weak](am_op_id) {
    if (auto r = weak.lock()) {
      r->cancel();
      r->complete(AM_CANCELLED, "cancelled", nullptr);
    }
  });
  const ImageRequest &r = run->request;
  if (r.prompt.empty()) {
    run->complete(AM_INVALID_ARGUMENT, "prompt: is empty", nullptr);
    return run->id;
  }
  if (r.width < 16 || r.height < 16 || r.width > 8192 || r.height > 8192) {
    run->complete(AM_INVALID_ARGUMENT, "width/height: must be between 16 and 8192", nullptr);
    return run->id;
  }
  boost::asio::post(job.workers(), [this, run] { attempt(run); });
  return run->id;
}

void ImagesService::attempt(std::shared_ptr<Run> run) {
  while (!run->is_cancelled()) {
    if (run->index >= run->order.size()) {
      std::string error = "no provider produced an image for \"" + run->request.prompt + "\"";
      am_status status = AM_NOT_FOUND;
      for (const Attempt &a : run->attempts) {
        error += "; " + a.provider + ": " + a.error;
        status = a.status;
      }
      run->complete(status, error, nullptr);
      return;
    }
    const std::string name = run->order[run->index];
    std::shared_ptr<ImageProvider> provider;
    {
      std::lock_guard lock(mutex_);
      auto it = providers_.find(name);
      if (it != providers_.end()) provider = it->second;
    }
    if (!provider) {
      run->attempts.push_back({name, AM_UNSUPPORTED, "no such provider (not configured)"});
      ++run->index;
      continue;
    }
    if (!provider->supports(run->request.kind)) {
      run->attempts.push_back({name, AM_UNSUPPORTED, "does not supply this kind of media"});
      ++run->index;
      continue;
    }
    const std::string key = cache_key(name, run->request);
    if (provider->cacheable() && run->use_cache && config_.cache) {
      if (auto blob = config_.cache->get_path(key)) {
        try {
          MediaInfo info = probe_media(*blob, run->request.min_width, run->request.min_height,
                                       config_.max_pixels);
          std::filesystem::create_directories(config_.output_dir);
          std::filesystem::path path =
              config_.output_dir / (name + "-" + key.substr(0, 16) + "-" +
                                    std::to_string(counter_++) + extension_for(info));
          std::filesystem::copy_file(*blob, path,
                                     std::filesystem::copy_options::overwrite_existing);
          run->succeed(path, info, name, true);
          return;
        } catch (const std::exception &) {
          config_.cache->remove(key);  // a bad cached file is dropped and fetched again
        }
      }
    }
    run->current = provider;
    std::filesystem::path target;
    try {
      std::filesystem::create_directories(config_.output_dir);
      target =
          config_.output_dir / (name + "-" + key.substr(0, 16) + "-" + std::to_string(counter_++));
    } catch (const std::exception &e) {
      run->complete(AM_IO, config_.output_dir.string() + ": " + e.what(), nullptr);
      return;
    }
    run->set_abort(provider->fetch(
        *run->job, run->request, target,
        [this, run](am_status status, std::string error, std::filesystem::path file) {
          boost::asio::post(run->job->workers(),
                            [this, run, status, error, file] { finish(run, status, error, file); });
        }));
    return;
  }
}

void ImagesService::finish(std::shared_ptr<Run> run, am_status status, std::string error,
                           std::filesystem::path file) {
  if (run->is_cancelled()) return;
  const std::string name = run->current->name();
  if (status == AM_OK) {
    try {
      MediaInfo info =
          probe_media(file, run->request.min_width, run->request.min_height, config_.max_pixels);
      if (run->request.kind == MediaKind::kVideo && !info.is_video)
        throw am::error(AM_INVALID_ARGUMENT, file.string() + ": is a still image, not a clip");
      if (run->current->cacheable() && run->use_cache && config_.cache)
        config_.cache->put_file(cache_key(name, run->request), file);
      run->succeed(file, info, name, false);
      return;
    } catch (const am::error &e) {
      status = e.status();
      error = e.what();
      // A generated or downloaded file that failed its check is not kept.
      if (run->current->cacheable()) {
        std::error_code ec;
        std::filesystem::remove(file, ec);
      }
    }
  }
  run->attempts.push_back({name, status, error});
  ++run->index;
  attempt(run);
}

// ---- The C binding -------------------------------------------------------------------------

namespace {

using core::fail_now;
using core::set_buffer;
using core::to_string;
am_str view(const std::string &s) {
  return core::to_am_str(s);
}

am_op_id c_generate(const am_host *host, am_job *job, const am_image_request *req,
                    am_image_done_fn done, void *user) {
  auto *svc = core::ServiceBinding<am_images, ImagesService>::of(host, AM_IMAGES_SERVICE_ID);
  if (!svc) return fail_now(*job, done, user, AM_UNSUPPORTED, "images service not installed");
  if (!req || req->struct_size < sizeof(am_image_request))
    return fail_now(*job, done, user, AM_INVALID_ARGUMENT, "request: missing or too small");
  ImageRequest r;
  r.prompt = to_string(req->prompt);
  r.width = req->width > 0 ? req->width : 1080;
  r.height = req->height > 0 ? req->height : 1920;
  r.kind = req->kind == AM_MEDIA_VIDEO ? MediaKind::kVideo : MediaKind::kImage;
  r.min_width = req->min_width > 0 ? req->min_width : r.width / 2;
  r.min_height = req->min_height > 0 ? req->min_height : r.height / 2;
  std::vector<std::string> order;
  std::stringstream list(to_string(req->providers));
  for (std::string item; std::getline(list, item, ',');)
    if (auto name = core::trim(item); !name.empty()) order.emplace_back(name);
  return svc->generate(
      *job, std::move(r), std::move(order), !req->no_cache,
      [done, user](am_status status, const std::string &error, const ImageOutcome *o) {
        if (!o) {
          done(user, status, view(error), nullptr);
          return;
        }
        std::string path = o->path.string(), report = attempts_json(o->attempts);
        am_image_result res{};
        res.struct_size = sizeof res;
        res.path = view(path);
        res.width = o->info.width;
        res.height = o->info.height;
        res.is_video = o->info.is_video;
        res.duration = o->info.duration;
        res.provider = view(o->provider);
        res.from_cache = o->from_cache;
        res.report_json = view(report);
        done(user, AM_OK, am_str{"", 0}, &res);
      });
}

void c_cancel(const am_host *, am_job *job, am_op_id op) {
  if (job) job->cancel_op(op);
}

am_status c_check(const am_host *, am_str path, int32_t min_width, int32_t min_height,
                  am_buffer *error) {
  try {
    probe_media(to_string(path), min_width, min_height);
    return AM_OK;
  } catch (const am::error &e) {
    set_buffer(error, e.what());
    return e.status();
  } catch (const std::exception &e) {
    set_buffer(error, e.what());
    return AM_INTERNAL;
  }
}

}  // namespace

am_images ImagesService::c_table() {
  return am_images{sizeof(am_images), c_generate, c_cancel, c_check};
}

}  // namespace automuse::images
