// host/images/card_provider.cpp — the offline card provider: renders on the worker pool.
#include <atomic>
#include <automuse/cpp/error.hpp>
#include <boost/asio/post.hpp>

#include "core/job.hpp"
#include "images/image_provider.hpp"
#include "images/title_card.hpp"

namespace automuse::images {
namespace {

class CardProvider : public ImageProvider {
 public:
  std::string name() const override { return "cards"; }
  bool supports(MediaKind kind) const override { return kind == MediaKind::kImage; }
  bool cacheable() const override { return true; }

  std::function<void()> fetch(am_job &job, const ImageRequest &r,
                              const std::filesystem::path &target, ImageDone done) override {
    auto aborted = std::make_shared<std::atomic<bool>>(false);
    boost::asio::post(job.workers(), [r, target, done, aborted] {
      if (aborted->load()) return;
      std::filesystem::path png = target;
      png += ".png";
      try {
        render_title_card(r.prompt, png, CardOptions{r.width, r.height, "DejaVu Sans"});
        done(AM_OK, {}, png);
      } catch (const am::error &e) {
        done(e.status(), e.what(), {});
      } catch (const std::exception &e) {
        done(AM_INTERNAL, e.what(), {});
      }
    });
    return [aborted] { aborted->store(true); };
  }
};

}  // namespace

std::unique_ptr<ImageProvider> make_card_provider() {
  return std::make_unique<CardProvider>();
}

}  // namespace automuse::images
