// plugins/youtube/music.cpp — picking a music file.
#include "music.hpp"

#include <algorithm>
#include <automuse/cpp/error.hpp>
#include <filesystem>
#include <vector>

namespace youtube {
namespace fs = std::filesystem;

std::string pick_music(const std::string &folder, const std::string &field, uint64_t seed) {
  if (folder.empty()) return {};
  std::error_code ec;
  if (!fs::is_directory(folder, ec))
    throw am::error(AM_NOT_FOUND, field + ": music folder '" + folder + "' does not exist");
  std::vector<fs::path> files;
  for (const auto &e : fs::directory_iterator(folder, ec)) {
    std::string ext = e.path().extension().string();
    std::transform(ext.begin(), ext.end(), ext.begin(),
                   [](unsigned char c) { return std::tolower(c); });
    if (e.is_regular_file(ec) &&
        (ext == ".mp3" || ext == ".wav" || ext == ".ogg" || ext == ".m4a" || ext == ".flac" ||
         ext == ".opus" || ext == ".aac"))
      files.push_back(e.path());
  }
  if (ec)
    throw am::error(AM_IO, field + ": cannot list music folder '" + folder + "': " + ec.message());
  if (files.empty())
    throw am::error(AM_INVALID_ARGUMENT,
                    field + ": music folder '" + folder +
                        "' has no audio files (.mp3 .wav .ogg .m4a .flac .opus .aac)");
  std::sort(files.begin(), files.end());
  return fs::absolute(files[seed % files.size()]).string();
}

}  // namespace youtube
