// Import of MoneyPrinterV2's `.mp` JSON files into the store (see mpv2_import.hpp).
#include "import/mpv2_import.hpp"

#include <boost/url/parse.hpp>
#include <fstream>
#include <sstream>

#include "cache/sha256.hpp"
#include "core/finite_json.hpp"
#include "import/mpv2_dates.hpp"

namespace automuse::import {

namespace fs = std::filesystem;
namespace json = boost::json;

namespace {

constexpr const char *kFirefoxNote =
    "Firefox profiles are not used any more: AutoMuse publishes through the official APIs "
    "(YouTube Data API, X API), so each imported account must be authorised once. The "
    "profile paths were kept in the accounts' extra fields for reference.";

bool is_asin(std::string_view s) {
  if (s.size() != 10) return false;
  for (char c : s) {
    if (!((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'))) return false;
  }
  return true;
}

// Reads and parses one file. On a syntax error, records the line and column.
std::optional<json::value> read_json(const fs::path &file, const std::string &name,
                                     ImportReport &report) {
  std::ifstream in(file, std::ios::binary);
  if (!in) {
    report.problems.push_back({name, "", "cannot open " + file.string()});
    return std::nullopt;
  }
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  json::stream_parser parser;
  json::error_code ec;
  size_t used = parser.write(text.data(), text.size(), ec);
  if (!ec) parser.finish(ec);
  if (ec) {
    // `used` stops at the offending character when write() failed; at the end otherwise.
    size_t upto = std::min(used, text.size());
    int line = 1, col = 1;
    for (size_t i = 0; i < upto; ++i) {
      if (text[i] == '\n') {
        ++line;
        col = 1;
      } else {
        ++col;
      }
    }
    report.problems.push_back({name,
                               "line " + std::to_string(line) + ", column " + std::to_string(col),
                               "not valid JSON (" + ec.message() +
                                   "); nothing imported from "
                                   "this file"});
    return std::nullopt;
  }
  json::value root = parser.release();
  if (auto path = core::infinite_number(root, "$")) {
    report.problems.push_back(
        {name, *path, "a number too large to read; nothing imported from this file"});
    return std::nullopt;
  }
  report.files_read.push_back(name);
  return root;
}

// Imports one file's records; shared state of the walk over one file.
class FileImport {
 public:
  FileImport(store::Store &store, ImportReport &report, std::string file)
      : store_(store), report_(report), file_(std::move(file)) {}

  void problem(const std::string &path, const std::string &msg) {
    report_.problems.push_back({file_, path, msg});
  }

  // The top-level array under `key`, accepting the original's empty forms (a null file, a
  // missing key) as "nothing".
  const json::array *top_array(const json::value &root, const char *key) {
    if (root.is_null()) return nullptr;
    if (!root.is_object()) {
      problem("$", "expected an object with \"" + std::string(key) + "\"; nothing imported");
      return nullptr;
    }
    const json::value *v = root.as_object().if_contains(key);
    if (!v || v->is_null()) return nullptr;
    if (!v->is_array()) {
      problem(std::string("$.") + key, "expected an array; nothing imported");
      return nullptr;
    }
    return &v->as_array();
  }

  // A string member, or nullopt (reporting a wrong type).
  std::optional<std::string> str(const json::object &o, const char *key, const std::string &path,
                                 bool required) {
    const json::value *v = o.if_contains(key);
    if (!v || v->is_null()) {
      if (required) problem(path + "." + key, "missing");
      return std::nullopt;
    }
    if (!v->is_string()) {
      problem(path + "." + key, "expected a string, found " + json::serialize(*v));
      return std::nullopt;
    }
    return json::value_to<std::string>(*v);
  }

  // An item the import needs as an object with non-empty "id" and `name_key` strings.
  struct Record {
    const json::object *object;
    std::string id, name;
  };
  // The `kind` ("account") at `path`, or nullopt after reporting why it is skipped.
  std::optional<Record> record(const json::value &v, const std::string &path, const char *kind,
                               const char *name_key) {
    auto a = [](std::string_view word) {  // "a product", "an account"
      return std::string(
                 std::string_view("aeiou").find(word[0]) == std::string_view::npos ? "a " : "an ") +
             std::string(word);
    };
    if (!v.is_object()) {
      problem(path, "expected " + a(kind) + " object; skipped");
      return std::nullopt;
    }
    const json::object &o = v.as_object();
    auto id = str(o, "id", path, true);
    auto name = str(o, name_key, path, true);
    if (!id || id->empty() || !name || name->empty()) {
      problem(path, std::string(kind) + " skipped: it needs an id and " + a(name_key));
      return std::nullopt;
    }
    return Record{&o, *id, *name};
  }

  void account(const json::value &v, const std::string &path, const std::string &plugin,
               std::initializer_list<const char *> field_keys, const char *items_key,
               ImportCounts &counts,
               const std::function<void(const json::value &, const std::string &,
                                        const std::string &)> &item) {
    auto r = record(v, path, "account", "nickname");
    if (!r) return;
    const json::object &o = *r->object;
    const std::string &id = r->id;
    store::NewAccount in;
    in.plugin_id = plugin;
    in.nickname = r->name;
    in.id = id;
    for (const auto &kv : o) {
      std::string key(kv.key());
      if (key == "id" || key == "nickname" || key == items_key) continue;
      bool is_field = false;
      for (const char *f : field_keys) is_field = is_field || key == f;
      if (is_field && kv.value().is_string()) {
        in.fields[key] = kv.value();
      } else {
        in.extra[key] = kv.value();  // unknown (or oddly typed) fields are kept, not dropped
      }
      if (key == "firefox_profile") saw_firefox_ = true;
    }
    // The original kept no creation time: the first thing the account made is the best guess.
    if (const json::value *items = o.if_contains(items_key); items && items->is_array()) {
      for (const json::value &it : items->as_array()) {
        const json::value *d = it.is_object() ? it.as_object().if_contains("date") : nullptr;
        if (!d || !d->is_string()) continue;
        if (auto t = parse_mpv2_date(d->as_string());
            t && (!in.created_at || *t < *in.created_at)) {
          in.created_at = t;
        }
      }
    }
    if (auto existing = store_.get_account(id)) {
      if (existing->plugin_id != plugin) {
        problem(path, "an account with id " + id + " already exists for plugin " +
                          existing->plugin_id + "; skipped with its items");
        return;
      }
      ++counts.already;
    } else {
      try {
        store_.add_account(std::move(in), nullptr);
        ++counts.imported;
      } catch (const sqlite::Conflict &e) {
        problem(path, std::string(e.what()) + "; skipped with its items");
        return;
      }
    }
    const json::value *items = o.if_contains(items_key);
    if (!items || items->is_null()) return;
    std::string items_path = path + "." + items_key;
    if (!items->is_array()) {
      problem(items_path, "expected an array; items skipped");
      return;
    }
    size_t i = 0;
    for (const json::value &it : items->as_array()) {
      item(it, items_path + "[" + std::to_string(i++) + "]", id);
    }
  }

  // One video or post. `text_key` is the field holding its text.
  void history_item(const json::value &v, const std::string &path, const std::string &account_id,
                    const std::string &plugin, const char *kind, ImportCounts &counts) {
    if (!v.is_object()) {
      problem(path, "expected an object; skipped");
      return;
    }
    const json::object &o = v.as_object();
    // The origin key hashes the record's own JSON: the same record imported again is found.
    std::string origin =
        "mpv2:" + plugin + ":" + account_id + ":" + cache::sha256_hex(json::serialize(o));
    if (store_.has_origin(origin)) {
      ++counts.already;
      return;
    }
    store::HistoryRecord h;
    h.account_id = account_id;
    h.plugin_id = plugin;
    h.kind = kind;
    h.origin_key = origin;
    for (const auto &kv : o) {
      std::string key(kv.key());
      const json::value &val = kv.value();
      std::optional<std::string> s;
      if (val.is_string()) s = json::value_to<std::string>(val);
      if (key == "title" && s) {
        h.title = s;
      } else if ((key == "description" || key == "content") && s) {
        h.body = s;
      } else if (key == "url" && s) {
        if (!s->empty()) {
          h.remote_url = s;
          if (plugin == "youtube") h.remote_id = youtube_id_from_url(*s);
        }
      } else if (key == "date" && s) {
        if (auto t = parse_mpv2_date(*s)) {
          h.created_at = *t;
        } else {
          problem(path + ".date", "\"" + *s +
                                      "\" is not a date in either format (YYYY-MM-DD HH:MM:SS "
                                      "or MM/DD/YYYY, HH:MM:SS); imported with the import "
                                      "time, original kept in extra.date");
          h.extra[key] = val;
        }
      } else {
        h.extra[key] = val;
      }
    }
    // The original only recorded what it had published.
    h.status = "published";
    store_.add_history(std::move(h));
    ++counts.imported;
  }

  void product(const json::value &v, const std::string &path) {
    auto r = record(v, path, "product", "affiliate_link");
    if (!r) return;
    const json::object &o = *r->object;
    const std::string &id = r->id, &link = r->name;
    if (store_.get_product(id)) {
      ++report_.products.already;
      return;
    }
    store::Product p;
    p.id = id;
    p.link = link;
    p.asin = asin_from_link(link);
    if (auto tw = str(o, "twitter_uuid", path, false); tw && !tw->empty()) {
      p.share_plugin_id = "twitter";
      p.share_account_id = tw;
    }
    for (const auto &kv : o) {
      std::string key(kv.key());
      if (key != "id" && key != "affiliate_link" && key != "twitter_uuid")
        p.extra[key] = kv.value();
    }
    store_.add_product(std::move(p));
    ++report_.products.imported;
  }

  bool saw_firefox() const { return saw_firefox_; }

 private:
  store::Store &store_;
  ImportReport &report_;
  std::string file_;
  bool saw_firefox_ = false;
};

}  // namespace

std::optional<std::string> asin_from_link(std::string_view link) {
  auto url = boost::urls::parse_uri_reference(link);
  if (!url) return std::nullopt;
  std::vector<std::string> segs;
  for (auto seg : url->segments()) segs.push_back(seg);
  for (size_t i = 0; i + 1 < segs.size(); ++i) {
    // /dp/ASIN, /gp/product/ASIN, /gp/aw/d/ASIN, /product/ASIN
    if ((segs[i] == "dp" || segs[i] == "product" || segs[i] == "d" || segs[i] == "ASIN") &&
        is_asin(segs[i + 1])) {
      return segs[i + 1];
    }
  }
  return std::nullopt;
}

std::optional<std::string> youtube_id_from_url(std::string_view text) {
  auto url = boost::urls::parse_uri(text);
  if (!url) return std::nullopt;
  std::string host(url->encoded_host());
  std::vector<std::string> segs;
  for (auto seg : url->segments()) segs.push_back(seg);
  if (host == "youtu.be" && !segs.empty() && !segs[0].empty()) return segs[0];
  if (host.find("youtube.com") != std::string::npos) {
    if (segs.size() >= 2 && (segs[0] == "shorts" || segs[0] == "embed")) return segs[1];
    auto params = url->params();
    if (auto it = params.find("v"); it != params.end() && (*it).has_value) return (*it).value;
  }
  return std::nullopt;
}

ImportReport import_mpv2(store::Store &store, const fs::path &path) {
  ImportReport report;
  fs::path dir = path;
  if (fs::is_directory(path / ".mp")) dir = path / ".mp";
  report.folder = dir;
  if (!fs::is_directory(dir)) throw ImportError(path.string() + " is not a folder");
  const bool any = fs::exists(dir / "youtube.json") || fs::exists(dir / "twitter.json") ||
                   fs::exists(dir / "afm.json");
  if (!any) {
    throw ImportError("found none of youtube.json, twitter.json, afm.json in " + dir.string() +
                      " (give the MoneyPrinterV2 folder or its .mp folder)");
  }
  bool firefox = false;

  auto run_file = [&](const char *name,
                      const std::function<void(FileImport &, const json::value &)> &body) {
    fs::path file = dir / name;
    if (!fs::exists(file)) {
      report.notes.push_back(std::string(name) + " not found; nothing to import from it");
      return;
    }
    std::optional<json::value> root = read_json(file, name, report);
    if (!root) return;
    FileImport fi(store, report, name);
    // One transaction per file: an interrupted import leaves nothing half-done.
    ImportReport before = report;
    try {
      store.transaction([&] { body(fi, *root); });
    } catch (const std::exception &e) {
      report = std::move(before);
      report.problems.push_back({name, "",
                                 std::string(e.what()) + "; nothing imported from "
                                                         "this file"});
    }
    firefox = firefox || fi.saw_firefox();
  };

  // youtube.json and twitter.json: the plugin's accounts, each with what it made (`items_key`).
  auto run_accounts_file =
      [&](const char *name, const char *plugin, std::initializer_list<const char *> field_keys,
          const char *items_key, const char *kind, ImportCounts &accounts, ImportCounts &items) {
        run_file(name, [&](FileImport &fi, const json::value &root) {
          const json::array *list = fi.top_array(root, "accounts");
          if (!list) return;
          size_t i = 0;
          for (const json::value &a : *list) {
            fi.account(a, "$.accounts[" + std::to_string(i++) + "]", plugin, field_keys, items_key,
                       accounts,
                       [&](const json::value &v, const std::string &p, const std::string &acc) {
                         fi.history_item(v, p, acc, plugin, kind, items);
                       });
          }
        });
      };
  run_accounts_file("youtube.json", "youtube", {"niche", "language"}, "videos", "video",
                    report.youtube_accounts, report.videos);
  run_accounts_file("twitter.json", "twitter", {"topic", "language"}, "posts", "post",
                    report.twitter_accounts, report.posts);
  run_file("afm.json", [&](FileImport &fi, const json::value &root) {
    const json::array *products = fi.top_array(root, "products");
    if (!products) return;
    size_t i = 0;
    for (const json::value &p : *products) fi.product(p, "$.products[" + std::to_string(i++) + "]");
  });
  if (firefox) report.notes.push_back(kFirefoxNote);
  return report;
}

namespace {

std::string counts_text(const ImportCounts &c, const char *one, const char *many) {
  std::string s = std::to_string(c.imported) + " " + (c.imported == 1 ? one : many) + " imported";
  if (c.already) s += ", " + std::to_string(c.already) + " already there";
  return s;
}

json::object counts_json(const ImportCounts &c) {
  return {{"imported", c.imported}, {"already_there", c.already}};
}

}  // namespace

std::string ImportReport::to_text() const {
  std::ostringstream out;
  out << "Imported from " << folder.string() << "\n";
  out << "  YouTube: " << counts_text(youtube_accounts, "account", "accounts") << "; "
      << counts_text(videos, "video", "videos") << "\n";
  out << "  Twitter: " << counts_text(twitter_accounts, "account", "accounts") << "; "
      << counts_text(posts, "post", "posts") << "\n";
  out << "  Affiliate products: " << counts_text(products, "product", "products") << "\n";
  for (const std::string &n : notes) out << "Note: " << n << "\n";
  if (!problems.empty()) {
    out << "Could not read " << problems.size() << (problems.size() == 1 ? " thing" : " things")
        << ":\n";
    for (const ImportProblem &p : problems) {
      out << "  " << p.file << (p.json_path.empty() ? "" : " " + p.json_path) << ": " << p.message
          << "\n";
    }
  }
  return out.str();
}

json::object ImportReport::to_json() const {
  json::array probs;
  for (const ImportProblem &p : problems) {
    probs.push_back({{"file", p.file}, {"path", p.json_path}, {"message", p.message}});
  }
  json::array files;
  for (const std::string &f : files_read) files.push_back(json::string(f));
  json::array ns;
  for (const std::string &n : notes) ns.push_back(json::string(n));
  return {{"folder", folder.string()},
          {"files_read", files},
          {"youtube_accounts", counts_json(youtube_accounts)},
          {"twitter_accounts", counts_json(twitter_accounts)},
          {"videos", counts_json(videos)},
          {"posts", counts_json(posts)},
          {"products", counts_json(products)},
          {"notes", ns},
          {"problems", probs}};
}

}  // namespace automuse::import
