// Import of a MoneyPrinterV2 / AutoMuse-Python `.mp` folder (youtube.json, twitter.json,
// afm.json) into the store: accounts keep their original ids, videos and posts become
// history, products keep their ids; unknown fields are kept in `extra`. Running it again
// changes nothing. Each file is imported in one transaction.
#pragma once

#include <boost/json.hpp>
#include <filesystem>
#include <string>
#include <vector>

#include "store/store.hpp"

namespace automuse::import {

// Something that could not be read: the file, the JSON path inside it, and why.
struct ImportProblem {
  std::string file;       // "youtube.json"
  std::string json_path;  // "$.accounts[1].videos[0].date", or "line 3, column 7"
  std::string message;
};

struct ImportCounts {
  int imported = 0;
  int already = 0;  // present from an earlier import
};

struct ImportReport {
  std::filesystem::path folder;
  std::vector<std::string> files_read;
  ImportCounts youtube_accounts, twitter_accounts, videos, posts, products;
  std::vector<std::string> notes;  // said once each (e.g. Firefox profiles are not used)
  std::vector<ImportProblem> problems;

  std::string to_text() const;
  boost::json::object to_json() const;
};

// Thrown when `path` holds none of the three files (or does not exist).
class ImportError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// `path` is the `.mp` folder or the project folder that contains it.
ImportReport import_mpv2(store::Store &store, const std::filesystem::path &path);

// Helpers, exposed for tests: the ASIN in an Amazon product link, the video id in a
// YouTube URL.
std::optional<std::string> asin_from_link(std::string_view link);
std::optional<std::string> youtube_id_from_url(std::string_view url);

}  // namespace automuse::import
