// plugins/youtube/publication.cpp — the ledger around the resumable upload.
#include "publication.hpp"

#include <openssl/evp.h>

#include <automuse/cpp/ledger.hpp>
#include <boost/json.hpp>
#include <filesystem>

namespace youtube {
namespace json = boost::json;

namespace {

std::string sha256_hex(const std::string &bytes) {
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  EVP_Digest(bytes.data(), bytes.size(), md, &len, EVP_sha256(), nullptr);
  static const char *kHex = "0123456789abcdef";
  std::string out;
  for (unsigned i = 0; i < len; ++i) {
    out += kHex[md[i] >> 4];
    out += kHex[md[i] & 15];
  }
  return out;
}

std::string member(const json::value &v, const char *key) {
  const json::value *x = v.is_object() ? v.as_object().if_contains(key) : nullptr;
  return x && x->is_string() ? std::string(x->as_string()) : std::string();
}

// An outcome for a row an earlier run left uncertain: never uploaded again by itself.
UploadOutcome earlier_uncertain(const am::ledger_record &row) {
  UploadOutcome o;
  o.mark_uncertain(
      "an earlier upload of this Short may or may not have reached YouTube, so it "
      "is not uploaded again by itself: " +
          row.note + "; if it is not there, run again with --again",
      row.note);
  return o;
}

}  // namespace

std::string short_digest(const std::string &title, const std::string &script,
                         const std::string &language, const std::string &voice,
                         const std::vector<std::string> &image_prompts, const std::string &music) {
  json::array prompts;
  for (const auto &p : image_prompts) prompts.emplace_back(p);
  // JSON keeps the parts apart unambiguously.
  json::object inputs{{"title", title}, {"script", script},  {"language", language},
                      {"voice", voice}, {"images", prompts}, {"music", music}};
  return sha256_hex(json::serialize(inputs));
}

am::task<Upload> upload_once(am::job job, std::string account, ApiConfig api, UploadRequest request,
                             std::string digest) {
  Upload out;
  if (!am::ledger_client::available(job.host_ref())) {
    auto plain = upload_to_youtube(job, account, api, std::move(request));
    out.outcome = co_await std::move(plain);
    co_return out;
  }
  const am::ledger_client ledger(job);
  const am::ledger_record row = ledger.intend("youtube", digest, request.title);
  if (row.state == AM_LEDGER_PUBLISHED) {
    job.log().info("youtube: this Short is already on the channel (" + row.url +
                   "): not uploaded again (--again would)");
    out.outcome.state = UploadOutcome::State::published;
    out.outcome.video_id = row.remote_id;
    out.outcome.url = row.url;
    out.already_published = true;
    co_return out;
  }
  if (row.state == AM_LEDGER_UNCERTAIN) {
    out.outcome = earlier_uncertain(row);
    co_return out;
  }
  UploadResume resume;
  if (row.state == AM_LEDGER_UPLOADING) {
    boost::system::error_code ec;
    const json::value state = json::parse(row.resume_json, ec);
    resume.session_uri = member(state, "session");
    // The same bytes continue the session: the file an earlier run was sending, if kept.
    const std::string file = member(state, "file");
    std::error_code fe;
    if (!file.empty() && std::filesystem::is_regular_file(file, fe)) request.file = file;
    if (!resume.session_uri.empty())
      job.log().info("upload: continuing the upload session of an earlier run");
  }
  const int64_t id = row.id;
  const std::string file = request.file;
  resume.on_session = [ledger, id, file](const std::string &session) {
    ledger.uploading(id, json::serialize(json::object{{"session", session}, {"file", file}}));
  };
  auto upload = upload_to_youtube(job, account, api, std::move(request), std::move(resume));
  out.outcome = co_await std::move(upload);
  switch (out.outcome.state) {
    case UploadOutcome::State::published:
      ledger.published(id, out.outcome.video_id, out.outcome.url);
      break;
    case UploadOutcome::State::uncertain:
      ledger.uncertain(id, out.outcome.how_to_check);
      break;
    case UploadOutcome::State::failed:
      // YouTube made no video of it: a later run may try anew. Anything else (a dropped
      // connection, a 5xx) leaves the row uploading, to be continued in the same session.
      if (out.outcome.platform_did_not_act) ledger.failed(id, out.outcome.reason);
      break;
  }
  co_return out;
}

}  // namespace youtube
