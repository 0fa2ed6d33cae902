// plugins/youtube/outbox.cpp — assembling a job's outbox folder atomically.
#include "outbox.hpp"

#include <automuse/cpp/error.hpp>
#include <cctype>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <filesystem>
#include <fstream>

namespace youtube {
namespace fs = std::filesystem;

namespace {

// Moves a file into the folder (a rename on the same file system), copying across file systems.
void move_in(const std::string &from, const fs::path &to) {
  std::error_code ec;
  fs::rename(from, to, ec);
  if (!ec) return;
  ec.clear();
  fs::copy_file(from, to, fs::copy_options::overwrite_existing, ec);
  if (!ec) fs::remove(from, ec), ec.clear();
  if (ec)
    throw am::error(AM_IO,
                    "outbox: cannot copy " + from + " to " + to.string() + ": " + ec.message());
}

// The folder being filled, beside its final name: unpredictable and created exclusively
// (mkdtemp), so nothing planted there is followed; readable by all like any outbox folder.
fs::path make_part_folder(const fs::path &final_dir) {
  std::string name = final_dir.string() + ".part-XXXXXX";
  if (!::mkdtemp(name.data()))
    throw am::error(AM_IO, "outbox: cannot create a folder beside " + final_dir.string() + ": " +
                               std::strerror(errno));
  std::error_code ec;
  fs::permissions(name,
                  fs::perms::owner_all | fs::perms::group_read | fs::perms::group_exec |
                      fs::perms::others_read | fs::perms::others_exec,
                  ec);
  return name;
}

}  // namespace

std::string job_folder_name(const std::string &title, long long unix_seconds) {
  std::time_t t = static_cast<std::time_t>(unix_seconds);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char stamp[32];
  std::strftime(stamp, sizeof stamp, "%Y%m%d-%H%M%S", &tm);
  std::string slug;
  for (unsigned char c : title) {
    if (std::isalnum(c)) {
      slug += static_cast<char>(std::tolower(c));
    } else if (!slug.empty() && slug.back() != '-') {
      slug += '-';
    }
    if (slug.size() >= 48) break;
  }
  while (!slug.empty() && slug.back() == '-') slug.pop_back();
  return std::string(stamp) + (slug.empty() ? "" : "-" + slug);
}

std::string write_outbox(const std::string &base, const std::string &name,
                         const OutboxFiles &files) {
  std::error_code ec;
  fs::create_directories(base, ec);
  if (ec) throw am::error(AM_IO, "outbox: cannot create " + base + ": " + ec.message());
  fs::path final_dir = fs::absolute(fs::path(base) / name);
  for (int n = 2; fs::exists(final_dir, ec); ++n)
    final_dir = fs::absolute(fs::path(base) / (name + "-" + std::to_string(n)));
  const fs::path part = make_part_folder(final_dir);
  try {
    move_in(files.video, part / "video.mp4");
    if (!files.thumbnail.empty()) move_in(files.thumbnail, part / "thumbnail.jpg");
    if (!files.subtitles.empty()) move_in(files.subtitles, part / "subtitles.ass");
    {
      std::ofstream out(part / "metadata.json", std::ios::binary | std::ios::trunc);
      out << files.metadata_json << "\n";
      out.close();
      if (!out) throw am::error(AM_IO, "outbox: cannot write " + (part / "metadata.json").string());
    }
    fs::rename(part, final_dir, ec);
    if (ec)
      throw am::error(AM_IO, "outbox: cannot rename " + part.string() + " to " +
                                 final_dir.string() + ": " + ec.message());
  } catch (...) {
    fs::remove_all(part, ec);
    throw;
  }
  return final_dir.string();
}

}  // namespace youtube
