// host/images/remote_images.cpp — OpenAI-compatible images, Gemini and Pexels over HTTP.
#include "images/remote_images.hpp"

#include <openssl/evp.h>

#include <atomic>
#include <boost/asio/post.hpp>
#include <boost/json.hpp>
#include <boost/url/url.hpp>
#include <fstream>
#include <mutex>
#include <optional>

#include "core/job.hpp"
#include "core/text.hpp"
#include "http/base64.hpp"
#include "http/http_client.hpp"
#include "http/json_post.hpp"
#include "http/provider_failure.hpp"

namespace automuse::images {

namespace json = boost::json;

namespace {

// The extension a file's first bytes call for (checked again by decoding later).
std::string sniff_extension(std::string_view bytes) {
  if (bytes.substr(0, 8) == "\x89PNG\r\n\x1a\n") return ".png";
  if (bytes.substr(0, 3) == "\xFF\xD8\xFF") return ".jpg";
  if (bytes.size() > 12 && bytes.substr(0, 4) == "RIFF" && bytes.substr(8, 4) == "WEBP")
    return ".webp";
  return ".img";
}

std::string extension_from_url(const std::string &url, const char *fallback) {
  std::string path = url.substr(0, url.find('?'));
  size_t dot = path.rfind('.'), slash = path.rfind('/');
  if (dot != std::string::npos && (slash == std::string::npos || dot > slash) &&
      path.size() - dot <= 5)
    return path.substr(dot);
  return fallback;
}

// One fetch: a JSON exchange, then maybe a download; tracks the request in flight so it can
// be cancelled, and calls done once.
class Fetch : public std::enable_shared_from_this<Fetch> {
 public:
  Fetch(http::HttpClient &http, am_job &job, std::string provider, ImageDone done)
      : http_(http),
        job_(job.shared_from_this()),
        provider_(std::move(provider)),
        done_(std::move(done)) {}

  void send(http::Request req, std::function<void(http::Response)> next) {
    std::lock_guard lock(mutex_);
    if (finished_) return;
    auto self = shared_from_this();
    current_ = http_.send(
        std::move(req), job_->executor(), [self, next = std::move(next)](http::Response r) {
          if (self->is_finished()) return;
          if (!r.ok()) {
            auto [s, m] = http::provider_failure(self->provider_, r);
            self->finish(s, m, {});
            return;
          }
          try {
            next(std::move(r));
          } catch (const std::exception &e) {
            self->finish(AM_ERROR, self->provider_ + ": malformed answer: " + e.what(), {});
          }
        });
  }

  // Downloads `url` into target + extension, capped by its kind (limits.downloads_mb).
  void download(const std::string &url, const std::filesystem::path &target, const char *ext,
                http::BodyKind kind) {
    http::Request req;
    req.url = url;
    req.sink = http::SinkKind::file;
    req.body_kind = kind;
    std::filesystem::path file = target;
    file += extension_from_url(url, ext);
    req.response_file = file;
    req.timeouts.total = http::Millis(300'000);
    req.retry.safe_to_resend_body = true;
    auto self = shared_from_this();
    send(std::move(req), [self, file](http::Response) { self->finish(AM_OK, {}, file); });
  }

  // Writes decoded bytes on the worker pool, then finishes.
  void write_file(std::string bytes, const std::filesystem::path &target) {
    auto self = shared_from_this();
    boost::asio::post(job_->workers(), [self, bytes = std::move(bytes), target] {
      std::filesystem::path file = target;
      file += sniff_extension(bytes);
      std::ofstream out(file, std::ios::binary | std::ios::trunc);
      out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
      if (!out.flush()) {
        self->finish(AM_IO, file.string() + ": cannot write", {});
        return;
      }
      out.close();
      self->finish(AM_OK, {}, file);
    });
  }

  void finish(am_status s, std::string error, std::filesystem::path file) {
    {
      std::lock_guard lock(mutex_);
      if (finished_) return;
      finished_ = true;
    }
    done_(s, std::move(error), std::move(file));
  }

  void abort() {
    uint64_t id;
    {
      std::lock_guard lock(mutex_);
      finished_ = true;
      id = current_;
    }
    if (id) http_.cancel(id);
  }

  bool is_finished() {
    std::lock_guard lock(mutex_);
    return finished_;
  }

  const std::string &provider() const { return provider_; }

  // Finishes as unauthenticated when `api_key` is empty.
  bool lacks_key(const std::string &api_key) {
    if (!api_key.empty()) return false;
    finish(AM_UNAUTHENTICATED, provider_ + ": no API key configured", {});
    return true;
  }

 private:
  http::HttpClient &http_;
  std::shared_ptr<am_job> job_;
  std::string provider_;
  ImageDone done_;
  std::mutex mutex_;
  uint64_t current_ = 0;
  bool finished_ = false;
};

http::Request json_post(std::string url, const json::value &body) {
  return http::json_post(std::move(url), body, http::Millis(300'000));
}

class OpenAiImages : public ImageProvider {
 public:
  OpenAiImages(http::HttpClient &http, OpenAiImagesConfig c) : http_(http), c_(std::move(c)) {}
  std::string name() const override { return c_.name; }
  bool supports(MediaKind k) const override { return k == MediaKind::kImage; }
  bool cacheable() const override { return true; }

  std::function<void()> fetch(am_job &job, const ImageRequest &r,
                              const std::filesystem::path &target, ImageDone done) override {
    auto f = std::make_shared<Fetch>(http_, job, c_.name, std::move(done));
    if (f->lacks_key(c_.api_key)) return [] {};
    json::object body{{"model", c_.model},
                      {"prompt", r.prompt},
                      {"size", openai_size_for(c_.model, r.width, r.height)},
                      {"n", 1}};
    // GPT image models always answer in base64 and reject response_format.
    if (c_.model.rfind("gpt-image", 0) != 0) body["response_format"] = "b64_json";
    http::Request req =
        json_post(core::without_trailing_slashes(c_.base_url) + "/images/generations", body);
    req.headers.push_back({"Authorization", "Bearer " + c_.api_key});
    f->send(std::move(req), [f, target](http::Response resp) {
      json::value v = json::parse(resp.body);
      const json::array &data = v.at("data").as_array();
      if (data.empty()) throw std::runtime_error("no image in \"data\"");
      const json::object &item = data.at(0).as_object();
      if (auto *b64 = item.if_contains("b64_json"); b64 && b64->is_string()) {
        auto bytes = http::base64_decode(b64->get_string());
        if (!bytes) throw std::runtime_error("b64_json is not base64");
        f->write_file(std::move(*bytes), target);
      } else if (auto *url = item.if_contains("url"); url && url->is_string()) {
        f->download(std::string(url->get_string()), target, ".png", http::BodyKind::image);
      } else {
        throw std::runtime_error("neither b64_json nor url in the answer");
      }
    });
    return [f] { f->abort(); };
  }

 private:
  http::HttpClient &http_;
  OpenAiImagesConfig c_;
};

class GeminiImages : public ImageProvider {
 public:
  GeminiImages(http::HttpClient &http, GeminiImagesConfig c) : http_(http), c_(std::move(c)) {}
  std::string name() const override { return "gemini"; }
  bool supports(MediaKind k) const override { return k == MediaKind::kImage; }
  bool cacheable() const override { return true; }

  std::function<void()> fetch(am_job &job, const ImageRequest &r,
                              const std::filesystem::path &target, ImageDone done) override {
    auto f = std::make_shared<Fetch>(http_, job, "gemini", std::move(done));
    if (f->lacks_key(c_.api_key)) return [] {};
    std::string aspect = r.height > r.width ? "9:16" : r.height == r.width ? "1:1" : "16:9";
    json::value body = json::object{
        {"contents",
         json::array{json::object{{"parts", json::array{json::object{{"text", r.prompt}}}}}}},
        {"generationConfig", json::object{{"responseModalities", json::array{"IMAGE"}},
                                          {"imageConfig", json::object{{"aspectRatio", aspect}}}}}};
    http::Request req = json_post(
        core::without_trailing_slashes(c_.base_url) + "/models/" + c_.model + ":generateContent",
        body);
    req.headers.push_back({"x-goog-api-key", c_.api_key});
    f->send(std::move(req), [f, target](http::Response resp) {
      json::value v = json::parse(resp.body);
      const json::array &cands = v.at("candidates").as_array();
      if (cands.empty()) throw std::runtime_error("no candidates");
      for (const json::value &part : cands.at(0).at("content").at("parts").as_array()) {
        const json::object &p = part.as_object();
        const json::value *inline_data = p.if_contains("inlineData");
        if (!inline_data) inline_data = p.if_contains("inline_data");  // snake_case variant
        if (!inline_data) continue;
        auto bytes = http::base64_decode(inline_data->at("data").as_string());
        if (!bytes) throw std::runtime_error("inlineData.data is not base64");
        f->write_file(std::move(*bytes), target);
        return;
      }
      throw std::runtime_error("no inlineData part (the model answered with text only)");
    });
    return [f] { f->abort(); };
  }

 private:
  http::HttpClient &http_;
  GeminiImagesConfig c_;
};

class Pexels : public ImageProvider {
 public:
  Pexels(http::HttpClient &http, PexelsConfig c) : http_(http), c_(std::move(c)) {}
  std::string name() const override { return "pexels"; }
  bool supports(MediaKind) const override { return true; }
  bool cacheable() const override { return true; }

  std::function<void()> fetch(am_job &job, const ImageRequest &r,
                              const std::filesystem::path &target, ImageDone done) override {
    auto f = std::make_shared<Fetch>(http_, job, "pexels", std::move(done));
    if (f->lacks_key(c_.api_key)) return [] {};
    const bool video = r.kind == MediaKind::kVideo;
    boost::urls::url url(core::without_trailing_slashes(c_.base_url) +
                         (video ? "/videos/search" : "/v1/search"));
    url.params().set("query", r.prompt);
    url.params().set("orientation", "portrait");
    url.params().set("per_page", std::to_string(c_.per_page));
    http::Request req;
    req.url = std::string(url.buffer());
    req.headers.push_back({"Authorization", c_.api_key});  // Pexels: the key itself, no Bearer
    req.timeouts.total = http::Millis(60'000);
    ImageRequest want = r;
    f->send(std::move(req), [f, target, want, video](http::Response resp) {
      json::value v = json::parse(resp.body);
      if (video) {
        std::string link = pick_video(v, want);
        if (link.empty()) throw std::runtime_error("no portrait mp4 clip among the results");
        f->download(link, target, ".mp4", http::BodyKind::video);
      } else {
        const json::array &photos = v.at("photos").as_array();
        if (photos.empty()) {
          f->finish(AM_NOT_FOUND, "pexels: no photo for \"" + want.prompt + "\"", {});
          return;
        }
        const json::object &src = photos.at(0).at("src").as_object();
        for (const char *k : {"portrait", "large2x", "original"})
          if (auto *s = src.if_contains(k); s && s->is_string()) {
            f->download(std::string(s->get_string()), target, ".jpg", http::BodyKind::image);
            return;
          }
        throw std::runtime_error("photo without src");
      }
    });
    return [f] { f->abort(); };
  }

 private:
  // The smallest portrait mp4 file at least as tall as wanted (else the tallest); HLS entries
  // have null sizes and are skipped.
  static std::string pick_video(const json::value &v, const ImageRequest &want) {
    std::string best;
    int64_t best_h = -1;
    bool best_enough = false;
    for (const json::value &video : v.at("videos").as_array()) {
      for (const json::value &fv : video.at("video_files").as_array()) {
        const json::object &file = fv.as_object();
        const json::value *w = file.if_contains("width"), *h = file.if_contains("height");
        const json::value *type = file.if_contains("file_type"), *link = file.if_contains("link");
        if (!w || !h || !w->is_int64() || !h->is_int64() || !link || !link->is_string()) continue;
        if (!type || !type->is_string() || type->get_string() != "video/mp4") continue;
        int64_t width = w->as_int64(), height = h->as_int64();
        if (height < width) continue;
        bool enough = height >= want.min_height && width >= want.min_width;
        bool better = best.empty() || (enough && !best_enough) ||
                      (enough == best_enough && (enough ? height < best_h : height > best_h));
        if (better) {
          best = std::string(link->get_string());
          best_h = height;
          best_enough = enough;
        }
      }
      if (best_enough) break;  // results come best match first
    }
    return best;
  }

  http::HttpClient &http_;
  PexelsConfig c_;
};

}  // namespace

std::string openai_size_for(const std::string &model, int width, int height) {
  bool portrait = height > width, square = height == width;
  if (model.rfind("gpt-image", 0) == 0)
    return square ? "1024x1024" : portrait ? "1024x1536" : "1536x1024";
  if (model == "dall-e-3") return square ? "1024x1024" : portrait ? "1024x1792" : "1792x1024";
  return std::to_string(width) + "x" + std::to_string(height);  // compatible servers
}

std::unique_ptr<ImageProvider> make_openai_images_provider(http::HttpClient &http,
                                                           OpenAiImagesConfig config) {
  return std::make_unique<OpenAiImages>(http, std::move(config));
}
std::unique_ptr<ImageProvider> make_gemini_images_provider(http::HttpClient &http,
                                                           GeminiImagesConfig config) {
  return std::make_unique<GeminiImages>(http, std::move(config));
}
std::unique_ptr<ImageProvider> make_pexels_provider(http::HttpClient &http, PexelsConfig config) {
  return std::make_unique<Pexels>(http, std::move(config));
}

}  // namespace automuse::images
