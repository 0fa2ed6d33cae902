// plugins/instagram/publish_copy.cpp — copying the Short where Instagram can fetch it.
#include "publish_copy.hpp"

#include <automuse/cpp/error.hpp>
#include <filesystem>

namespace instagram {
namespace fs = std::filesystem;

PublicCopy copy_for_url(const Account &account, const std::string &video, const std::string &key) {
  const std::string name = "automuse-reel-" + key.substr(0, 24) + ".mp4";
  const fs::path folder(account.publish_folder);
  const fs::path final_path = folder / name, part = folder / ("." + name + ".part");
  std::error_code ec;
  if (!fs::is_directory(folder, ec))
    throw am::error(AM_INVALID_ARGUMENT, account.label() + ": publish_folder " +
                                             account.publish_folder + " is not a folder");
  fs::copy_file(video, part, fs::copy_options::overwrite_existing, ec);
  if (!ec)
    fs::permissions(part,
                    fs::perms::owner_read | fs::perms::owner_write | fs::perms::group_read |
                        fs::perms::others_read,
                    ec);
  if (!ec) fs::rename(part, final_path, ec);
  if (ec) {
    const std::string why = ec.message();
    fs::remove(part, ec);
    throw am::error(AM_IO, account.label() + ": cannot copy the video into publish_folder " +
                               account.publish_folder + ": " + why);
  }
  return {final_path.string(), account.public_url_prefix + "/" + name};
}

void remove_copy(const std::string &path) {
  if (path.empty()) return;
  std::error_code ec;
  fs::remove(path, ec);
}

}  // namespace instagram
