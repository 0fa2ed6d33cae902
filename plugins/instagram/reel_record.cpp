// plugins/instagram/reel_record.cpp — the open-Reel records in the plugin's history.
#include "reel_record.hpp"

#include <automuse/store.h>
#include <openssl/evp.h>

#include <automuse/cpp/buffer.hpp>
#include <boost/json.hpp>
#include <fstream>
#include <memory>

#include "json_members.hpp"

namespace instagram {
namespace json = boost::json;

namespace {

std::string hex(const unsigned char *data, size_t size) {
  static const char *digits = "0123456789abcdef";
  std::string out;
  for (size_t i = 0; i < size; ++i) {
    out += digits[data[i] >> 4];
    out += digits[data[i] & 15];
  }
  return out;
}

std::string sha256(const std::string &text) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int size = 0;
  EVP_Digest(text.data(), text.size(), digest, &size, EVP_sha256(), nullptr);
  return hex(digest, size);
}

const am_store &store_of(const am::job &job) {
  return job.host_ref().service<am_store>(AM_STORE_SERVICE_ID);
}

void patch(const am::job &job, const ReelRecord &r, const json::object &fields) {
  const std::string text = json::serialize(fields);
  am::buffer error;
  if (store_of(job).update_history(job.host_ref().get(), am::to_am_str(r.history_id),
                                   am::to_am_str(text), nullptr, error.out()) != AM_OK)
    job.log().error("instagram: cannot update history record " + r.history_id + ": " + error.str());
}

}  // namespace

std::string reel_key(const std::string &title, const std::string &caption,
                     const std::string &video_sha256) {
  const std::string words = title.empty() ? "caption:" + caption : "title:" + title;
  return sha256(std::to_string(words.size()) + ":" + words + "\nvideo:" + video_sha256);
}

std::string file_sha256(const std::string &path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw am::error(AM_IO, "cannot read the video " + path);
  std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> ctx(EVP_MD_CTX_new(), EVP_MD_CTX_free);
  EVP_DigestInit_ex(ctx.get(), EVP_sha256(), nullptr);
  std::string buf(1 << 16, '\0');
  while (in.read(buf.data(), static_cast<std::streamsize>(buf.size())) || in.gcount() > 0)
    EVP_DigestUpdate(ctx.get(), buf.data(), static_cast<size_t>(in.gcount()));
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int size = 0;
  EVP_DigestFinal_ex(ctx.get(), digest, &size);
  return hex(digest, size);
}

std::optional<ReelRecord> find_open_record(const am::job &job, const Account &account,
                                           const std::string &key) {
  const std::string query = json::serialize(json::object{
      {"account", account.id}, {"kind", "video"}, {"status", "generated"}, {"limit", 100}});
  am::buffer out, error;
  if (store_of(job).list_history(job.host_ref().get(), am::to_am_str(query), out.out(),
                                 error.out()) != AM_OK)
    throw am::error(AM_IO, account.label() + ": cannot read the plugin's history: " + error.str());
  json::error_code ec;
  json::value list = json::parse(out.view(), ec);
  if (ec || !list.is_array()) return std::nullopt;
  for (const json::value &r : list.as_array()) {  // newest first
    const json::object *rec = r.if_object();
    const json::value *extra = rec ? rec->if_contains("extra") : nullptr;
    if (!extra || !extra->is_object()) continue;
    const json::object &x = extra->as_object();
    if (plugin_support::string_member(x, "key") != key) continue;
    return ReelRecord{
        plugin_support::string_member(*rec, "id"), plugin_support::string_member(x, "container_id"),
        plugin_support::string_member(x, "source"), plugin_support::string_member(x, "copy_path")};
  }
  return std::nullopt;
}

ReelRecord add_record(const am::job &job, const Account &account, const std::string &key,
                      const std::string &caption, const std::string &video_path,
                      ReelRecord record) {
  json::object extra{{"platform", "instagram"},
                     {"key", key},
                     {"container_id", record.container_id},
                     {"source", record.source}};
  if (!record.copy_path.empty()) extra["copy_path"] = record.copy_path;
  const std::string text = json::serialize(json::object{{"account_id", account.id},
                                                        {"kind", "video"},
                                                        {"body", caption},
                                                        {"local_file", video_path},
                                                        {"status", "generated"},
                                                        {"extra", extra}});
  am::buffer out, error;
  if (store_of(job).add_history(job.host_ref().get(), am::to_am_str(text), out.out(),
                                error.out()) != AM_OK)
    throw am::error(AM_IO, account.label() + ": cannot record container " + record.container_id +
                               " before publishing it: " + error.str());
  json::error_code ec;
  json::value stored = json::parse(out.view(), ec);
  if (!ec && stored.is_object())
    record.history_id = plugin_support::string_member(stored.as_object(), "id");
  return record;
}

void record_published(const am::job &job, const ReelRecord &r, const std::string &media_id,
                      const std::string &url) {
  json::object fields{{"status", "published"}, {"remote_url", url}};
  if (!media_id.empty()) fields["remote_id"] = media_id;
  patch(job, r, fields);
}

void record_failed(const am::job &job, const ReelRecord &r, const std::string &why) {
  patch(job, r, {{"status", "failed"}, {"error", why}});
}

void record_uncertain(const am::job &job, const ReelRecord &r, const std::string &why) {
  patch(job, r, {{"error", why}});
}

}  // namespace instagram
