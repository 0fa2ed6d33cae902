// host/images/folder_provider.cpp — picks from a local folder by file-name words.
#include <algorithm>
#include <atomic>
#include <automuse/cpp/error.hpp>
#include <boost/asio/post.hpp>
#include <cctype>
#include <mutex>
#include <set>
#include <vector>

#include "core/job.hpp"
#include "images/image_provider.hpp"
#include "images/media_probe.hpp"

namespace automuse::images {
namespace {

std::set<std::string> words_of(std::string_view s) {
  std::set<std::string> out;
  std::string cur;
  for (char c : s) {
    if (std::isalnum(static_cast<unsigned char>(c))) {
      cur += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    } else {
      if (cur.size() >= 3) out.insert(cur);
      cur.clear();
    }
  }
  if (cur.size() >= 3) out.insert(cur);
  return out;
}

bool has_ext(const std::filesystem::path &p, std::initializer_list<const char *> exts) {
  std::string e = p.extension().string();
  for (char &c : e) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  for (const char *x : exts)
    if (e == x) return true;
  return false;
}

uint64_t fnv1a(std::string_view s) {
  uint64_t h = 1469598103934665603ull;
  for (unsigned char c : s) h = (h ^ c) * 1099511628211ull;
  return h;
}

class FolderProvider : public ImageProvider {
 public:
  explicit FolderProvider(std::filesystem::path folder) : folder_(std::move(folder)) {}
  std::string name() const override { return "folder"; }
  bool supports(MediaKind) const override { return true; }
  bool cacheable() const override { return false; }

  std::function<void()> fetch(am_job &job, const ImageRequest &r, const std::filesystem::path &,
                              ImageDone done) override {
    boost::asio::post(job.workers(), [this, r, done] {
      try {
        done(AM_OK, {}, pick(r));
      } catch (const am::error &e) {
        done(e.status(), e.what(), {});
      } catch (const std::exception &e) {
        done(AM_IO, folder_.string() + ": " + e.what(), {});
      }
    });
    return [] {};  // a pick takes milliseconds: nothing worth interrupting
  }

 private:
  std::filesystem::path pick(const ImageRequest &r) {
    std::error_code ec;
    if (!std::filesystem::is_directory(folder_, ec))
      throw am::error(AM_NOT_FOUND, folder_.string() + ": no such folder");
    struct Candidate {
      std::filesystem::path path;
      size_t score;
      size_t uses;
      uint64_t tie;
    };
    std::set<std::string> want = words_of(r.prompt);
    std::vector<Candidate> all;
    for (const auto &entry : std::filesystem::recursive_directory_iterator(folder_, ec)) {
      if (!entry.is_regular_file()) continue;
      const auto &p = entry.path();
      bool ok = r.kind == MediaKind::kImage ? has_ext(p, {".png", ".jpg", ".jpeg", ".webp", ".bmp"})
                                            : has_ext(p, {".mp4", ".mov", ".webm", ".mkv", ".m4v"});
      if (!ok) continue;
      size_t score = 0;
      for (const auto &w : words_of(p.stem().string())) score += want.count(w);
      // Among equal matches, vary by prompt and by how often the file was already used, so
      // a video's scenes do not all get the same picture.
      all.push_back({p, score, use_count(p), fnv1a(r.prompt + p.string())});
    }
    std::sort(all.begin(), all.end(), [](const Candidate &a, const Candidate &b) {
      if (a.score != b.score) return a.score > b.score;
      return a.uses != b.uses ? a.uses < b.uses : a.tie < b.tie;
    });
    std::string skipped;
    for (const Candidate &c : all) {
      try {
        probe_media(c.path, r.min_width, r.min_height);
        mark_used(c.path);
        return c.path;
      } catch (const am::error &e) {
        skipped += std::string(skipped.empty() ? "" : "; ") + e.what();
      }
    }
    throw am::error(AM_NOT_FOUND, folder_.string() + ": no usable " +
                                      (r.kind == MediaKind::kImage ? "image" : "video") +
                                      (skipped.empty() ? "" : " (skipped: " + skipped + ")"));
  }

  size_t use_count(const std::filesystem::path &p) {
    std::lock_guard lock(mutex_);
    return std::count(used_.begin(), used_.end(), p.string());
  }
  void mark_used(const std::filesystem::path &p) {
    std::lock_guard lock(mutex_);
    used_.push_back(p.string());
  }

  std::filesystem::path folder_;
  std::mutex mutex_;
  std::vector<std::string> used_;
};

}  // namespace

std::unique_ptr<ImageProvider> make_folder_provider(std::filesystem::path folder) {
  return std::make_unique<FolderProvider>(std::move(folder));
}

}  // namespace automuse::images
