// host/core/atomic_file.hpp — files written whole, then renamed into place. The temporary
// file sits beside the target under an unpredictable name created exclusively (mkstemp), so
// nothing planted at a guessable name is followed or overwritten, and a reader sees the old
// file or the new one, never half of one.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>

namespace automuse::core {

// Owner-only, for anything that may hold a secret (the configuration, plugin copies in the
// making); the default.
inline constexpr std::filesystem::perms kPrivateFile =
    std::filesystem::perms::owner_read | std::filesystem::perms::owner_write;
// Readable by all, for outputs that hold nothing secret (pictures, audio).
inline constexpr std::filesystem::perms kSharedFile =
    kPrivateFile | std::filesystem::perms::group_read | std::filesystem::perms::others_read;

// A temporary file beside `target`, open for writing; commit() makes it `target`, and if it
// is dropped uncommitted it is removed. Errors are std::runtime_error naming the target.
class AtomicFile {
 public:
  AtomicFile(std::filesystem::path target, std::filesystem::perms mode = kPrivateFile);
  ~AtomicFile();
  AtomicFile(const AtomicFile &) = delete;
  AtomicFile &operator=(const AtomicFile &) = delete;

  void write(std::string_view bytes);
  // Copies everything readable from `fd` (from its current offset) into the file.
  void copy_from(int fd);
  // Closed and synced, but not yet renamed: the bytes can be checked at temp_path() first.
  void finish();
  void commit();  // finish() if not done, then rename over the target

  const std::filesystem::path &temp_path() const { return temp_; }
  const std::filesystem::path &target() const { return target_; }

 private:
  [[noreturn]] void fail(const std::string &what, int err);

  std::filesystem::path target_;
  std::filesystem::path temp_;
  std::filesystem::perms mode_;
  int fd_ = -1;
  bool committed_ = false;
};

// The common case: `bytes` become `path`, with `mode`.
void write_file_atomically(const std::filesystem::path &path, std::string_view bytes,
                           std::filesystem::perms mode = kPrivateFile);

}  // namespace automuse::core
