// render/src/temp_file.h — the renderer's files (the video, its thumbnail, a written ASS
// script) are written under a temporary name beside the target and renamed when whole. The
// name is unpredictable and the file is created exclusively (mkstemps), so nothing planted at
// a guessable name is followed or overwritten, and a reader sees the old file or the new one.
// A render keeps all its temporaries until it has succeeded, then commits them together, so
// a failed or cancelled render creates or changes nothing.
#pragma once

#include <filesystem>
#include <string_view>

namespace automuse::render::detail {

class TempFile {
 public:
  // Creates the empty temporary (mode 0644: outputs hold nothing secret). Throws
  // std::filesystem::filesystem_error naming the target when the folder refuses it.
  explicit TempFile(std::filesystem::path target);
  ~TempFile();  // removes the temporary unless committed
  TempFile(const TempFile &) = delete;
  TempFile &operator=(const TempFile &) = delete;

  const std::filesystem::path &path() const { return temp_; }
  const std::filesystem::path &target() const { return target_; }
  // Replaces the temporary's contents with `bytes`; throws filesystem_error on failure.
  void write(std::string_view bytes);
  // Renames the temporary over the target; throws filesystem_error on failure.
  void commit();

 private:
  std::filesystem::path target_;
  std::filesystem::path temp_;
  bool committed_ = false;
};

}  // namespace automuse::render::detail
