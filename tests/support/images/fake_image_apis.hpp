// tests/support/images/fake_image_apis.hpp — loopback fakes of OpenAI images, Gemini
// generateContent and Pexels search (docs/protocols/openai.md, gemini-images.md, pexels.md: paths,
// auth headers, body shapes, b64 and URL answers, HLS entries with null sizes, rate-limit headers
// only on 2xx, error bodies). Pictures are real PNGs and clips real MP4s, served from /files/.
#pragma once

#include <filesystem>
#include <mutex>
#include <string>
#include <vector>

#include "support/fake_secrets.hpp"
#include "support/fake_server.hpp"

namespace automuse::testing {

class FakeImageApis {
 public:
  static constexpr const char *kOpenAiKey = fake_secrets::kImagesOpenAiKey.data();
  static constexpr const char *kGeminiKey = fake_secrets::kImagesGeminiKey.data();
  static constexpr const char *kPexelsKey = fake_secrets::kImagesPexelsKey.data();

  // `work_dir` holds the files it serves.
  FakeImageApis(FakeServer &server, const std::filesystem::path &work_dir);

  // OpenAI answers with "url" instead of "b64_json" (as dall-e-2/3 and Venice may).
  void openai_answers_with_url(bool url) { openai_url_ = url; }
  // The next `n` requests of an API get this reply instead.
  void inject(const std::string &api, int n, Reply reply);
  // Serve this PNG for generated images (default: a 1024x1536 card).
  void set_generated_png(std::string bytes) { png_ = std::move(bytes); }

  const std::string &png() const { return png_; }

 private:
  Reply openai(const ReceivedRequest &req);
  Reply gemini(const ReceivedRequest &req);
  Reply pexels_photos(const ReceivedRequest &req);
  Reply pexels_videos(const ReceivedRequest &req);
  std::optional<Reply> injected(const std::string &api);

  FakeServer &server_;
  std::mutex mutex_;
  std::vector<std::pair<std::string, Reply>> faults_;
  std::string png_, mp4_;
  bool openai_url_ = false;
};

}  // namespace automuse::testing
