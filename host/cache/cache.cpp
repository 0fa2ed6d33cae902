// Implementation of the content cache (see cache.h).
#include "cache/cache.hpp"

#include <boost/uuid/random_generator.hpp>
#include <boost/uuid/uuid_io.hpp>
#include <fstream>
#include <vector>

#include "cache/sha256.hpp"

namespace automuse::cache {

namespace fs = std::filesystem;
using sqlite::Db;
using sqlite::Error;
using sqlite::Stmt;
using sqlite::WriteTxn;

namespace {

constexpr int64_t kCacheSchemaVersion = 1;
// A temporary file this old belongs to a writer that died: clear() may delete it.
constexpr auto kStaleTemp = std::chrono::minutes(10);
constexpr const char *kCounters[] = {"hits", "misses", "evictions", "damaged"};

fs::path prepare(const fs::path &dir) {
  sqlite::ensure_private_dir(dir);
  fs::create_directories(dir / "blobs");
  fs::create_directories(dir / "tmp");
  return dir / "cache.db";
}

int64_t system_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

bool is_sha_name(const std::string &s) {
  if (s.size() != 64) return false;
  for (char c : s) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  }
  return true;
}

}  // namespace

struct Cache::Entry {
  std::optional<std::string> value;  // inline value
  std::string sha;                   // blob name, empty for inline values
  uint64_t size = 0;
  std::optional<int64_t> expires_at;
};

Cache::Cache(const fs::path &dir, CacheOptions options)
    : dir_(dir), options_(std::move(options)), db_(prepare(dir)) {
  WriteTxn txn(db_);
  db_.exec(
      "CREATE TABLE IF NOT EXISTS cache_meta (name TEXT NOT NULL PRIMARY KEY,"
      " value BIGINT NOT NULL)");
  db_.exec(
      "CREATE TABLE IF NOT EXISTS cache_entries (key TEXT NOT NULL PRIMARY KEY,"
      " value BLOB, blob_sha256 TEXT, size BIGINT NOT NULL, created_at BIGINT NOT NULL,"
      " expires_at BIGINT, last_used_at BIGINT NOT NULL, use_seq BIGINT NOT NULL)");
  db_.exec("CREATE INDEX IF NOT EXISTS cache_by_use ON cache_entries (use_seq)");
  db_.exec("CREATE INDEX IF NOT EXISTS cache_by_blob ON cache_entries (blob_sha256)");
  Stmt ver(db_, "SELECT value FROM cache_meta WHERE name = 'schema_version'");
  if (ver.step()) {
    if (ver.int64(0) > kCacheSchemaVersion) {
      throw Error((dir / "cache.db").string() + " has cache schema version " +
                  std::to_string(ver.int64(0)) + ", this automuse-host knows " +
                  std::to_string(kCacheSchemaVersion) +
                  "; upgrade automuse-host or delete the cache folder");
    }
  } else {
    Stmt(db_, "INSERT INTO cache_meta (name, value) VALUES ('schema_version', ?)")
        .bind(1, kCacheSchemaVersion)
        .run();
    for (const char *c : kCounters) {
      Stmt(db_, "INSERT INTO cache_meta (name, value) VALUES (?, 0)").bind(1, c).run();
    }
  }
  txn.commit();
}

int64_t Cache::now_ms() const {
  return options_.clock_ms ? options_.clock_ms() : system_ms();
}

fs::path Cache::blob_path(const std::string &sha) const {
  // Two-character fan-out keeps folders small.
  return dir_ / "blobs" / sha.substr(0, 2) / sha;
}

void Cache::bump(const char *counter, int64_t by) {
  Stmt(db_, "UPDATE cache_meta SET value = value + ? WHERE name = ?")
      .bind(1, by)
      .bind(2, counter)
      .run();
}

std::pair<std::string, uint64_t> Cache::write_blob(
    const std::function<void(const std::function<void(std::string_view)> &)> &fill) {
  thread_local boost::uuids::random_generator gen;
  fs::path tmp = dir_ / "tmp" / (boost::uuids::to_string(gen()) + ".part");
  Sha256 hash;
  uint64_t size = 0;
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    if (!out) throw Error("cache: cannot create " + tmp.string());
    fill([&](std::string_view bytes) {
      hash.update(bytes);
      out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
      size += bytes.size();
    });
    out.flush();
    if (!out) {
      std::error_code ec;
      fs::remove(tmp, ec);
      throw Error("cache: cannot write " + tmp.string() + " (disk full?)");
    }
  }
  // No fsync: a blob torn by a power loss fails its hash check and is a miss, which is all a
  // cache owes. The rename makes a finished blob appear whole or not at all.
  std::string sha = hash.hex();
  fs::path final_path = blob_path(sha);
  std::error_code ec;
  fs::create_directories(final_path.parent_path(), ec);
  fs::rename(tmp, final_path, ec);
  if (ec) {
    fs::remove(tmp, ec);
    throw Error("cache: cannot move blob into " + final_path.string() + ": " + ec.message());
  }
  return {sha, size};
}

bool Cache::put(const std::string &key, std::string_view value,
                std::optional<std::chrono::milliseconds> ttl) {
  if (value.size() > options_.max_bytes) return false;
  if (value.size() <= options_.inline_limit) {
    return store_entry(key, value, "", value.size(), ttl);
  }
  auto [sha, size] = write_blob([&](const auto &sink) { sink(value); });
  return store_entry(key, std::nullopt, sha, size, ttl);
}

bool Cache::put_file(const std::string &key, const fs::path &file,
                     std::optional<std::chrono::milliseconds> ttl) {
  std::ifstream in(file, std::ios::binary);
  if (!in) throw Error("cache: cannot read " + file.string());
  auto [sha, size] = write_blob([&](const auto &sink) {
    std::vector<char> buf(1 << 16);
    while (in) {
      in.read(buf.data(), static_cast<std::streamsize>(buf.size()));
      sink(std::string_view(buf.data(), static_cast<size_t>(in.gcount())));
    }
    if (in.bad()) throw Error("cache: error reading " + file.string());
  });
  if (size > options_.max_bytes) {
    std::lock_guard lock(mutex_);
    unlink_unreferenced({sha});
    return false;
  }
  return store_entry(key, std::nullopt, sha, size, ttl);
}

bool Cache::store_entry(const std::string &key, std::optional<std::string_view> inline_value,
                        const std::string &sha, uint64_t size,
                        std::optional<std::chrono::milliseconds> ttl) {
  std::lock_guard lock(mutex_);
  std::vector<std::string> released;  // blobs that may have lost their last reference
  int64_t now = now_ms();
  {
    WriteTxn txn(db_);
    {
      Stmt old(db_, "SELECT blob_sha256 FROM cache_entries WHERE key = ?");
      old.bind(1, key);
      if (old.step() && !old.is_null(0) && old.text(0) != sha) released.push_back(old.text(0));
    }
    Stmt(db_, "DELETE FROM cache_entries WHERE key = ?").bind(1, key).run();
    Stmt seq(db_, "SELECT COALESCE(MAX(use_seq), 0) + 1 FROM cache_entries");
    seq.step();
    Stmt ins(db_,
             "INSERT INTO cache_entries (key, value, blob_sha256, size, created_at, expires_at,"
             " last_used_at, use_seq) VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
    ins.bind(1, key);
    if (inline_value) {
      ins.bind_blob(2, *inline_value).bind(3, std::nullopt);
    } else {
      ins.bind(2, std::nullopt).bind(3, sha);
    }
    ins.bind(4, static_cast<int64_t>(size))
        .bind(5, now)
        .bind(6, ttl ? std::optional<int64_t>(now + ttl->count()) : std::nullopt)
        .bind(7, now)
        .bind(8, seq.int64(0))
        .run();

    // Evict least recently used entries (never the one just stored) until under the cap.
    Stmt total_q(db_, "SELECT COALESCE(SUM(size), 0) FROM cache_entries");
    total_q.step();
    int64_t total = total_q.int64(0);
    int64_t evicted = 0;
    while (static_cast<uint64_t>(total) > options_.max_bytes) {
      Stmt lru(db_,
               "SELECT key, size, blob_sha256 FROM cache_entries WHERE key <> ?"
               " ORDER BY use_seq LIMIT 1");
      lru.bind(1, key);
      if (!lru.step()) break;
      std::string victim = lru.text(0);
      total -= lru.int64(1);
      if (!lru.is_null(2)) released.push_back(lru.text(2));
      Stmt(db_, "DELETE FROM cache_entries WHERE key = ?").bind(1, victim).run();
      ++evicted;
    }
    if (evicted) bump("evictions", evicted);
    txn.commit();
  }
  unlink_unreferenced(released);
  return true;
}

int64_t Cache::unlink_unreferenced(const std::vector<std::string> &shas) {
  int64_t removed = 0;
  for (const std::string &sha : shas) {
    Stmt refs(db_, "SELECT COUNT(*) FROM cache_entries WHERE blob_sha256 = ?");
    refs.bind(1, sha);
    refs.step();
    if (refs.int64(0) == 0) {
      std::error_code ec;
      if (fs::remove(blob_path(sha), ec)) ++removed;
    }
  }
  return removed;
}

std::optional<Cache::Entry> Cache::lookup(const std::string &key) {
  Stmt s(db_, "SELECT value, blob_sha256, size, expires_at FROM cache_entries WHERE key = ?");
  s.bind(1, key);
  if (!s.step()) return std::nullopt;
  Entry e;
  if (s.is_null(1)) {
    e.value = s.blob(0);
  } else {
    e.sha = s.text(1);
  }
  e.size = static_cast<uint64_t>(s.int64(2));
  e.expires_at = s.opt_int64(3);
  return e;
}

void Cache::drop_entry(const std::string &key, const char *counter) {
  std::vector<std::string> released;
  {
    WriteTxn txn(db_);
    Stmt s(db_, "SELECT blob_sha256 FROM cache_entries WHERE key = ?");
    s.bind(1, key);
    if (s.step() && !s.is_null(0)) released.push_back(s.text(0));
    Stmt(db_, "DELETE FROM cache_entries WHERE key = ?").bind(1, key).run();
    bump(counter);
    if (std::string_view(counter) != "misses") bump("misses");
    txn.commit();
  }
  unlink_unreferenced(released);
}

// Missing or damaged: the bytes are not what was stored. Removes the bad file so no other key
// sharing it is served wrong bytes either.
void Cache::drop_damaged(const std::string &key, const std::string &sha) {
  std::error_code ec;
  fs::remove(blob_path(sha), ec);
  drop_entry(key, "damaged");
}

void Cache::record_hit(const std::string &key, int64_t now) {
  WriteTxn txn(db_);
  Stmt(db_,
       "UPDATE cache_entries SET last_used_at = ?, use_seq = (SELECT MAX(use_seq) + 1 FROM"
       " cache_entries) WHERE key = ?")
      .bind_all(now, key)
      .run();
  bump("hits");
  txn.commit();
}

std::optional<Cache::Entry> Cache::live_entry(const std::string &key, int64_t now, bool file_only) {
  std::optional<Entry> e = lookup(key);
  if (!e || (file_only && e->value)) {
    bump("misses");
    return std::nullopt;
  }
  if (e->expires_at && *e->expires_at <= now) {
    drop_entry(key, "misses");
    return std::nullopt;
  }
  return e;
}

std::optional<std::string> Cache::get(const std::string &key) {
  std::lock_guard lock(mutex_);
  int64_t now = now_ms();
  std::optional<Entry> e = live_entry(key, now, false);
  if (!e) return std::nullopt;
  std::string value;
  if (e->value) {
    value = std::move(*e->value);
  } else {
    std::ifstream in(blob_path(e->sha), std::ios::binary);
    if (in) value.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
    if (!in.good() && !in.eof()) value.clear();
    if (!in || sha256_hex(value) != e->sha) {
      drop_damaged(key, e->sha);
      return std::nullopt;
    }
  }
  record_hit(key, now);
  return value;
}

std::optional<fs::path> Cache::get_path(const std::string &key) {
  std::lock_guard lock(mutex_);
  int64_t now = now_ms();
  std::optional<Entry> e = live_entry(key, now, true);
  if (!e) return std::nullopt;
  fs::path path = blob_path(e->sha);
  if (sha256_file(path) != e->sha) {
    drop_damaged(key, e->sha);
    return std::nullopt;
  }
  record_hit(key, now);
  return path;
}

bool Cache::remove(const std::string &key) {
  std::lock_guard lock(mutex_);
  std::vector<std::string> released;
  bool removed = false;
  {
    WriteTxn txn(db_);
    Stmt s(db_, "SELECT blob_sha256 FROM cache_entries WHERE key = ?");
    s.bind(1, key);
    if (s.step()) {
      removed = true;
      if (!s.is_null(0)) released.push_back(s.text(0));
    }
    Stmt(db_, "DELETE FROM cache_entries WHERE key = ?").bind(1, key).run();
    txn.commit();
  }
  unlink_unreferenced(released);
  return removed;
}

CacheStats Cache::stats() {
  std::lock_guard lock(mutex_);
  CacheStats st;
  st.dir = dir_;
  st.max_bytes = options_.max_bytes;
  Stmt s(db_,
         "SELECT COUNT(*), COALESCE(SUM(CASE WHEN blob_sha256 IS NULL THEN 1 ELSE 0 END), 0),"
         " COALESCE(SUM(size), 0),"
         " COALESCE(SUM(CASE WHEN expires_at IS NOT NULL AND expires_at <= ? THEN 1 ELSE 0 END),"
         " 0) FROM cache_entries");
  s.bind(1, now_ms());
  s.step();
  st.entries = s.int64(0);
  st.inline_entries = s.int64(1);
  st.blob_entries = st.entries - st.inline_entries;
  st.bytes = static_cast<uint64_t>(s.int64(2));
  st.expired = s.int64(3);
  Stmt c(db_, "SELECT name, value FROM cache_meta");
  while (c.step()) {
    std::string name = c.text(0);
    if (name == "hits") st.hits = c.int64(1);
    if (name == "misses") st.misses = c.int64(1);
    if (name == "evictions") st.evictions = c.int64(1);
    if (name == "damaged") st.damaged = c.int64(1);
  }
  std::error_code ec;
  for (auto it = fs::recursive_directory_iterator(dir_ / "blobs", ec);
       !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
    if (it->is_regular_file(ec)) {
      ++st.blob_files;
      st.blob_file_bytes += it->file_size(ec);
    }
  }
  return st;
}

ClearResult Cache::clear(std::optional<std::chrono::seconds> older_than) {
  std::lock_guard lock(mutex_);
  ClearResult r;
  int64_t now = now_ms();
  {
    WriteTxn txn(db_);
    std::string where = older_than ? " WHERE created_at < ? OR (expires_at IS NOT NULL AND"
                                     " expires_at <= ?)"
                                   : "";
    Stmt count(db_, "SELECT COUNT(*), COALESCE(SUM(size), 0) FROM cache_entries" + where);
    Stmt del(db_, "DELETE FROM cache_entries" + where);
    if (older_than) {
      int64_t cutoff =
          now - std::chrono::duration_cast<std::chrono::milliseconds>(*older_than).count();
      count.bind(1, cutoff).bind(2, now);
      del.bind(1, cutoff).bind(2, now);
    }
    count.step();
    r.entries = count.int64(0);
    r.bytes = static_cast<uint64_t>(count.int64(1));
    del.run();
    txn.commit();
  }
  // Sweep: blob files no entry references (also ones orphaned by a crash between rename and
  // insert), and temporary files left by writers that died.
  std::error_code ec;
  std::vector<fs::path> blobs;
  for (auto it = fs::recursive_directory_iterator(dir_ / "blobs", ec);
       !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
    if (it->is_regular_file(ec)) blobs.push_back(it->path());
  }
  for (const fs::path &p : blobs) {
    std::string name = p.filename().string();
    if (!is_sha_name(name)) continue;
    Stmt refs(db_, "SELECT COUNT(*) FROM cache_entries WHERE blob_sha256 = ?");
    refs.bind(1, name);
    refs.step();
    if (refs.int64(0) == 0 && fs::remove(p, ec)) ++r.files;
  }
  auto stale = fs::file_time_type::clock::now() - kStaleTemp;
  for (auto it = fs::directory_iterator(dir_ / "tmp", ec); !ec && it != fs::directory_iterator();
       it.increment(ec)) {
    if (it->is_regular_file(ec) && it->last_write_time(ec) < stale && fs::remove(it->path(), ec)) {
      ++r.files;
    }
  }
  return r;
}

}  // namespace automuse::cache
