// The host's content cache: values by key with a time to live, small ones inside an SQLite
// index (cache.db), large ones as blob files named by their SHA-256 (written to a temporary
// file, then renamed). A size cap evicts the least recently used entries. A blob whose bytes
// no longer match its name is detected on read and treated as a miss.
//
// Thread-safe (one mutex, short transactions); several processes may share the folder.
#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>

#include "sqlite/sqlite_db.hpp"

namespace automuse::cache {

struct CacheOptions {
  uint64_t max_bytes = uint64_t{2} << 30;  // 2 GiB
  size_t inline_limit = 64 * 1024;         // values up to this size live in cache.db
  // Milliseconds since the Unix epoch; tests pass their own clock to step through TTLs.
  std::function<int64_t()> clock_ms;
};

struct CacheStats {
  std::filesystem::path dir;
  int64_t entries = 0;
  int64_t inline_entries = 0;
  int64_t blob_entries = 0;
  uint64_t bytes = 0;  // sum of entry sizes, what the cap limits
  uint64_t max_bytes = 0;
  int64_t blob_files = 0;  // files under blobs/ (shared blobs count once)
  uint64_t blob_file_bytes = 0;
  int64_t expired = 0;  // entries past their TTL, not yet removed
  int64_t hits = 0, misses = 0, evictions = 0, damaged = 0;  // since the cache was created
};

struct ClearResult {
  int64_t entries = 0;
  uint64_t bytes = 0;
  int64_t files = 0;  // blob and stale temporary files deleted
};

class Cache {
 public:
  // Opens or creates the cache in `dir` (0700): dir/cache.db, dir/blobs/, dir/tmp/. The host
  // uses $XDG_DATA_HOME/automuse/cache, beside automuse.db but in its own SQLite file, so
  // cache traffic never contends with store writes and `cache clear` cannot touch the store.
  explicit Cache(const std::filesystem::path &dir, CacheOptions options = {});

  // Stores `value` under `key`, replacing any earlier value. `ttl` nullopt: no expiry.
  // Returns false (storing nothing) when the value alone is larger than the cap.
  bool put(const std::string &key, std::string_view value,
           std::optional<std::chrono::milliseconds> ttl = std::nullopt);
  // Stores a file's content as a blob (whatever its size), streaming it.
  bool put_file(const std::string &key, const std::filesystem::path &file,
                std::optional<std::chrono::milliseconds> ttl = std::nullopt);

  // The value, or nullopt on a miss (absent, expired, or a damaged/missing blob, which is
  // then dropped). A hit marks the entry as recently used.
  std::optional<std::string> get(const std::string &key);
  // For blob entries: the verified blob's path (read it, do not modify it; it stays valid
  // until the entry is evicted or cleared). nullopt on a miss or for an inline entry.
  std::optional<std::filesystem::path> get_path(const std::string &key);

  bool remove(const std::string &key);
  CacheStats stats();
  // Everything (older_than nullopt), or entries stored longer ago than `older_than` plus
  // expired ones; then deletes unreferenced blob files and stale temporary files.
  ClearResult clear(std::optional<std::chrono::seconds> older_than = std::nullopt);

  const std::filesystem::path &dir() const { return dir_; }

 private:
  struct Entry;
  int64_t now_ms() const;
  std::filesystem::path blob_path(const std::string &sha) const;
  // Writes bytes from `fill` to a temporary file while hashing, then renames it to its
  // content name. Returns {sha, size}.
  std::pair<std::string, uint64_t> write_blob(
      const std::function<void(const std::function<void(std::string_view)> &)> &fill);
  bool store_entry(const std::string &key, std::optional<std::string_view> inline_value,
                   const std::string &sha, uint64_t size,
                   std::optional<std::chrono::milliseconds> ttl);
  std::optional<Entry> lookup(const std::string &key);
  // The entry when it is there and not expired, else nullopt after counting a miss (and dropping
  // an expired entry); with `file_only`, an entry held inline is a miss too.
  std::optional<Entry> live_entry(const std::string &key, int64_t now, bool file_only);
  void drop_entry(const std::string &key, const char *counter);
  void drop_damaged(const std::string &key, const std::string &sha);
  // Marks the entry as just used (for least-recently-used eviction) and counts a hit.
  void record_hit(const std::string &key, int64_t now);
  void bump(const char *counter, int64_t by = 1);
  // Deletes blob files whose sha no entry references any more.
  int64_t unlink_unreferenced(const std::vector<std::string> &shas);

  std::filesystem::path dir_;
  CacheOptions options_;
  std::mutex mutex_;
  sqlite::Db db_;
};

}  // namespace automuse::cache
