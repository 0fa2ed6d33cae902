// The content cache on a real folder: inline and blob values, TTL expiry (with a stepped
// clock), LRU eviction under the size cap, damaged and missing blobs, sharing, clearing.
#include "cache/cache.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <fstream>
#include <thread>
#include <vector>

#include "cache/duration.hpp"
#include "cache/sha256.hpp"
#include "support/temp_folder.hpp"

namespace automuse::cache {
namespace {

namespace fs = std::filesystem;
using automuse::testing::TempFolder;
using namespace std::chrono_literals;

// A clock the test moves by hand, so TTLs are checked without sleeping.
struct ManualClock {
  int64_t now = 1'700'000'000'000;
  std::function<int64_t()> fn() {
    return [this] { return now; };
  }
};

fs::path blob_file(const fs::path &dir, std::string_view content) {
  std::string sha = sha256_hex(content);
  return dir / "blobs" / sha.substr(0, 2) / sha;
}

TEST(Sha256, KnownVectors) {
  EXPECT_EQ(sha256_hex(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(sha256_hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

TEST(Cache, SmallValuesInlineLargeValuesAsContentNamedBlobs) {
  TempFolder tmp;
  Cache cache(tmp.path(), {.max_bytes = 1 << 20, .inline_limit = 16, .clock_ms = {}});
  ASSERT_TRUE(cache.put("llm:abc", "short answer"));
  std::string big(5000, 'x');
  big += "end";
  ASSERT_TRUE(cache.put("speech:1", big));
  EXPECT_EQ(cache.get("llm:abc"), "short answer");
  EXPECT_EQ(cache.get("speech:1"), big);
  EXPECT_TRUE(fs::exists(blob_file(tmp.path(), big)));
  EXPECT_EQ(automuse::testing::read_file(blob_file(tmp.path(), big)), big);
  EXPECT_FALSE(cache.get("nothing"));
  EXPECT_FALSE(cache.get_path("llm:abc"));  // inline values have no file

  CacheStats st = cache.stats();
  EXPECT_EQ(st.entries, 2);
  EXPECT_EQ(st.inline_entries, 1);
  EXPECT_EQ(st.blob_entries, 1);
  EXPECT_EQ(st.blob_files, 1);
  EXPECT_EQ(st.bytes, 12u + big.size());
  EXPECT_EQ(st.hits, 2);
  EXPECT_EQ(st.misses, 2);
  EXPECT_TRUE(fs::is_empty(tmp / "tmp"));  // temporary files were renamed away

  // Replacing a key drops its old blob once nothing else uses it.
  ASSERT_TRUE(cache.put("speech:1", "now small"));
  EXPECT_FALSE(fs::exists(blob_file(tmp.path(), big)));
  EXPECT_EQ(cache.get("speech:1"), "now small");
}

TEST(Cache, SurvivesReopen) {
  TempFolder tmp;
  {
    Cache cache(tmp.path(), {.max_bytes = 1 << 20, .inline_limit = 4, .clock_ms = {}});
    cache.put("k1", "value one");
    cache.put("k2", "v");
  }
  Cache again(tmp.path());
  EXPECT_EQ(again.get("k1"), "value one");
  EXPECT_EQ(again.get("k2"), "v");
}

TEST(Cache, TtlExpiry) {
  TempFolder tmp;
  ManualClock clock;
  Cache cache(tmp.path(), {.max_bytes = 1 << 20, .inline_limit = 8, .clock_ms = clock.fn()});
  cache.put("short", "lives one second", 1000ms);
  cache.put("blob", std::string(100, 'b'), 1000ms);
  cache.put("forever", "no ttl");
  clock.now += 999;
  EXPECT_EQ(cache.get("short"), "lives one second");
  EXPECT_EQ(cache.stats().expired, 0);
  clock.now += 1;
  EXPECT_EQ(cache.stats().expired, 2);
  EXPECT_FALSE(cache.get("short"));
  EXPECT_FALSE(cache.get("blob"));
  EXPECT_FALSE(fs::exists(blob_file(tmp.path(), std::string(100, 'b'))));  // expired blob deleted
  clock.now += 365LL * 86400 * 1000;
  EXPECT_EQ(cache.get("forever"), "no ttl");
  EXPECT_EQ(cache.stats().entries, 1);
}

TEST(Cache, EvictsLeastRecentlyUsedUnderTheCap) {
  TempFolder tmp;
  Cache cache(tmp.path(), {.max_bytes = 300, .inline_limit = 1000, .clock_ms = {}});
  cache.put("a", std::string(100, 'a'));
  cache.put("b", std::string(100, 'b'));
  cache.put("c", std::string(100, 'c'));
  ASSERT_TRUE(cache.get("a"));  // a is now more recent than b
  cache.put("d", std::string(100, 'd'));
  EXPECT_FALSE(cache.get("b"));
  EXPECT_TRUE(cache.get("a"));
  EXPECT_TRUE(cache.get("c"));
  EXPECT_TRUE(cache.get("d"));
  CacheStats st = cache.stats();
  EXPECT_EQ(st.evictions, 1);
  EXPECT_LE(st.bytes, 300u);
  // A value bigger than the whole cap is not stored, and evicts nothing.
  EXPECT_FALSE(cache.put("huge", std::string(301, 'h')));
  EXPECT_EQ(cache.stats().entries, 3);
}

TEST(Cache, EvictionDeletesBlobFiles) {
  TempFolder tmp;
  Cache cache(tmp.path(), {.max_bytes = 250, .inline_limit = 10, .clock_ms = {}});
  std::string v1(100, '1'), v2(100, '2'), v3(100, '3');
  cache.put("one", v1);
  cache.put("two", v2);
  cache.put("three", v3);
  EXPECT_FALSE(fs::exists(blob_file(tmp.path(), v1)));
  EXPECT_TRUE(fs::exists(blob_file(tmp.path(), v2)));
  EXPECT_TRUE(fs::exists(blob_file(tmp.path(), v3)));
  EXPECT_EQ(cache.stats().blob_files, 2);
}

TEST(Cache, DamagedBlobIsAMiss) {
  TempFolder tmp;
  Cache cache(tmp.path(), {.max_bytes = 1 << 20, .inline_limit = 10, .clock_ms = {}});
  std::string image(4096, 'i');
  cache.put("image:1", image);
  fs::path file = blob_file(tmp.path(), image);
  {
    std::fstream f(file, std::ios::in | std::ios::out | std::ios::binary);
    f.seekp(2000);
    f.put('X');  // one flipped byte, same size
  }
  EXPECT_FALSE(cache.get("image:1"));
  EXPECT_FALSE(fs::exists(file));  // the bad file is gone
  CacheStats st = cache.stats();
  EXPECT_EQ(st.damaged, 1);
  EXPECT_EQ(st.entries, 0);
  // The key works again once stored afresh.
  cache.put("image:1", image);
  EXPECT_EQ(cache.get("image:1"), image);

  // get_path checks too; and a blob deleted behind the cache's back is a miss as well.
  std::string video(3000, 'v');
  fs::path src = tmp / "in.mp4";
  automuse::testing::write_file(src, video);
  ASSERT_TRUE(cache.put_file("media:1", src));
  auto path = cache.get_path("media:1");
  ASSERT_TRUE(path);
  EXPECT_EQ(automuse::testing::read_file(*path), video);
  automuse::testing::write_file(*path, std::string(3000, 'w'));
  EXPECT_FALSE(cache.get_path("media:1"));
  cache.put_file("media:1", src);
  fs::remove(blob_file(tmp.path(), video));
  EXPECT_FALSE(cache.get("media:1"));
  EXPECT_EQ(cache.stats().damaged, 3);
}

TEST(Cache, SharedBlobLivesWhileAnyKeyUsesIt) {
  TempFolder tmp;
  Cache cache(tmp.path(), {.max_bytes = 1 << 20, .inline_limit = 10, .clock_ms = {}});
  std::string same(500, 's');
  cache.put("k1", same);
  cache.put("k2", same);
  EXPECT_EQ(cache.stats().blob_files, 1);
  EXPECT_TRUE(cache.remove("k1"));
  EXPECT_TRUE(fs::exists(blob_file(tmp.path(), same)));
  EXPECT_EQ(cache.get("k2"), same);
  EXPECT_TRUE(cache.remove("k2"));
  EXPECT_FALSE(fs::exists(blob_file(tmp.path(), same)));
  EXPECT_FALSE(cache.remove("k2"));
}

TEST(Cache, ClearOlderThanAndSweep) {
  TempFolder tmp;
  ManualClock clock;
  Cache cache(tmp.path(), {.max_bytes = 1 << 20, .inline_limit = 10, .clock_ms = clock.fn()});
  cache.put("old", std::string(100, 'o'));
  clock.now += 3 * 86400 * 1000LL;
  cache.put("new", std::string(100, 'n'));
  // An orphan blob (a writer died between rename and insert) and a stale temporary file.
  std::string orphan = "orphan bytes";
  automuse::testing::write_file(blob_file(tmp.path(), orphan), orphan);
  fs::path stale = tmp / "tmp" / "dead.part";
  automuse::testing::write_file(stale, "half");
  fs::last_write_time(stale, fs::file_time_type::clock::now() - std::chrono::hours(2));
  fs::path fresh = tmp / "tmp" / "busy.part";
  automuse::testing::write_file(fresh, "being written");

  ClearResult r = cache.clear(std::chrono::seconds(2 * 86400));
  EXPECT_EQ(r.entries, 1);
  EXPECT_EQ(r.bytes, 100u);
  EXPECT_EQ(r.files, 3);  // old's blob, the orphan, the stale temp
  EXPECT_FALSE(cache.get("old"));
  EXPECT_TRUE(cache.get("new"));
  EXPECT_FALSE(fs::exists(stale));
  EXPECT_TRUE(fs::exists(fresh));  // may belong to a live writer

  r = cache.clear();
  EXPECT_EQ(r.entries, 1);
  EXPECT_EQ(cache.stats().entries, 0);
  EXPECT_EQ(cache.stats().blob_files, 0);
}

TEST(Cache, OwnerOnlyFolder) {
  TempFolder tmp;
  Cache cache(tmp / "c");
  EXPECT_EQ(fs::status(tmp / "c").permissions() & fs::perms::all, fs::perms::owner_all);
}

TEST(Cache, ManyThreadsWithEvictionStayConsistent) {
  TempFolder tmp;
  Cache cache(tmp.path(), {.max_bytes = 64 * 1024, .inline_limit = 1024, .clock_ms = {}});
  std::atomic<int> wrong{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 60; ++i) {
        // Values mix inline and blob sizes; keys repeat so threads replace each other's.
        std::string key = "k" + std::to_string(i % 20);
        std::string value(static_cast<size_t>(100 + (i * 37 + t * 911) % 4000), 'a' + (i % 26));
        cache.put(key, value);
        std::optional<std::string> got = cache.get(key);
        // Another thread may have replaced or evicted it, but a hit is always whole.
        if (got && (got->empty() || got->find_first_not_of((*got)[0]) != std::string::npos)) {
          ++wrong;
        }
      }
    });
  }
  for (auto &th : threads) th.join();
  EXPECT_EQ(wrong, 0);
  // The churn above may or may not exceed the cap, depending on how the threads interleave;
  // 80 more distinct 1000-byte values (80 kB > 64 KiB) make eviction certain, on top of
  // whatever the threads left.
  for (int i = 0; i < 80; ++i) cache.put("fill" + std::to_string(i), std::string(1000, 'f'));
  CacheStats st = cache.stats();
  EXPECT_LE(st.bytes, 64u * 1024);
  EXPECT_GT(st.evictions, 0);
  // Every blob file on disk belongs to an entry: eviction and replacement left no strays.
  EXPECT_EQ(cache.clear(std::chrono::seconds(365 * 86400)).files, 0);
}

TEST(Duration, ParseAndFormat) {
  EXPECT_EQ(parse_duration("90s"), 90s);
  EXPECT_EQ(parse_duration("15m"), 15min);
  EXPECT_EQ(parse_duration("7d"), std::chrono::seconds(7 * 86400));
  EXPECT_EQ(parse_duration("1d12h"), std::chrono::seconds(36 * 3600));
  EXPECT_EQ(parse_duration("2w"), std::chrono::seconds(14 * 86400));
  EXPECT_FALSE(parse_duration("7"));
  EXPECT_FALSE(parse_duration("d"));
  EXPECT_FALSE(parse_duration("7y"));
  EXPECT_FALSE(parse_duration(""));
  EXPECT_EQ(format_duration(std::chrono::seconds(36 * 3600 + 5)), "1d 12h");
  EXPECT_EQ(format_bytes(512), "512 B");
  EXPECT_EQ(format_bytes(1536), "1.5 KiB");
}

}  // namespace
}  // namespace automuse::cache
