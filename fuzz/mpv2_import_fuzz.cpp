// fuzz/mpv2_import_fuzz.cpp — `import mpv2` (host/import): the input is written as all three
// of youtube.json, twitter.json and afm.json in a scratch `.mp` folder and imported into a
// fresh store, twice. Invariants: the import never throws for bad content (it reports
// problems), and running it again imports nothing new and finds no new problem.
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

#include "fuzz_check.hpp"
#include "import/mpv2_import.hpp"
#include "store/store.hpp"

namespace fs = std::filesystem;
using automuse::import::ImportCounts;
using automuse::import::ImportReport;

namespace {

const fs::path &scratch() {
  static const fs::path dir = [] {
    std::string tmpl = (fs::temp_directory_path() / "automuse-fuzz-mpv2-XXXXXX").string();
    if (!mkdtemp(tmpl.data())) std::abort();
    std::atexit([] { fs::remove_all(scratch()); });
    return fs::path(tmpl);
  }();
  return dir;
}

int imported(const ImportReport &r) {
  const ImportCounts *all[] = {&r.youtube_accounts, &r.twitter_accounts, &r.videos, &r.posts,
                               &r.products};
  int n = 0;
  for (const ImportCounts *c : all) n += c->imported;
  return n;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  const fs::path mp = scratch() / ".mp";
  fs::create_directories(mp);
  // A fresh store per input, copied from one migrated once: migrating is most of the cost.
  static const fs::path migrated = [] {
    const fs::path file = scratch() / "migrated" / "automuse.db";
    automuse::store::Store{file};
    return file;
  }();
  fs::remove_all(scratch() / "store");
  fs::create_directories(scratch() / "store");
  fs::copy_file(migrated, scratch() / "store" / "automuse.db");
  for (const char *name : {"youtube.json", "twitter.json", "afm.json"}) {
    std::ofstream out(mp / name, std::ios::binary | std::ios::trunc);
    out.write(reinterpret_cast<const char *>(data), static_cast<std::streamsize>(size));
  }
  automuse::store::Store store(scratch() / "store" / "automuse.db");
  const ImportReport first = automuse::import::import_mpv2(store, scratch());
  const ImportReport second = automuse::import::import_mpv2(store, scratch());
  FUZZ_CHECK(imported(second) == 0, "a second import imports nothing new");
  // Problems with records already imported (an unreadable date) are not found again.
  for (const auto &p : second.problems)
    FUZZ_CHECK(std::any_of(first.problems.begin(), first.problems.end(),
                           [&](const auto &q) {
                             return q.file == p.file && q.json_path == p.json_path &&
                                    q.message == p.message;
                           }),
               "no new problems the second time");
  for (const auto &p : first.problems) FUZZ_CHECK(!p.message.empty(), "problems say why");
  (void)first.to_json();
  (void)first.to_text();
  return 0;
}
