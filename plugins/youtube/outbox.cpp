// plugins/youtube/outbox.cpp — assembling a job's outbox folder atomically.
#include "outbox.hpp"

#include <automuse/cpp/error.hpp>
#include <cctype>
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
  fs::path part = final_dir;
  part += ".part";
  fs::remove_all(part, ec);
  fs::create_directories(part, ec);
  if (ec) throw am::error(AM_IO, "outbox: cannot create " + part.string() + ": " + ec.message());
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
