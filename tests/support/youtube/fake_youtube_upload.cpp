// tests/support/youtube/fake_youtube_upload.cpp — the fake resumable upload: session starts,
// chunk PUTs, status queries and faults.
#include "support/youtube/fake_youtube_upload.hpp"

#include <boost/json.hpp>
#include <charconv>
#include <random>

namespace automuse::testing {
namespace json = boost::json;

namespace {

constexpr const char *kVideos = "/upload/youtube/v3/videos";

// Google's API error body.
Reply google_error(unsigned status, const std::string &domain, const std::string &reason,
                   const std::string &message) {
  json::object detail{{"message", message}, {"domain", domain}, {"reason", reason}};
  return Reply::json(
      json::value(json::object{
          {"error",
           json::object{{"code", status}, {"message", message}, {"errors", json::array{detail}}}}}),
      status);
}

std::optional<uint64_t> parse_u64(std::string_view s) {
  uint64_t v = 0;
  if (s.empty()) return std::nullopt;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || end != s.data() + s.size()) return std::nullopt;
  return v;
}

struct ContentRange {
  bool query = false;  // "bytes */TOTAL"
  uint64_t first = 0, last = 0, total = 0;
};

// "bytes F-L/TOTAL" or "bytes */TOTAL".
std::optional<ContentRange> parse_content_range(const std::string &v) {
  if (v.rfind("bytes ", 0) != 0) return std::nullopt;
  std::string_view rest(v);
  rest.remove_prefix(6);
  const size_t slash = rest.find('/');
  if (slash == std::string_view::npos) return std::nullopt;
  ContentRange r;
  auto total = parse_u64(rest.substr(slash + 1));
  if (!total) return std::nullopt;
  r.total = *total;
  std::string_view span = rest.substr(0, slash);
  if (span == "*") {
    r.query = true;
    return r;
  }
  const size_t dash = span.find('-');
  if (dash == std::string_view::npos) return std::nullopt;
  auto first = parse_u64(span.substr(0, dash)), last = parse_u64(span.substr(dash + 1));
  if (!first || !last || *last < *first) return std::nullopt;
  r.first = *first;
  r.last = *last;
  return r;
}

size_t utf8_length(std::string_view s) {
  size_t n = 0;
  for (unsigned char c : s) n += (c & 0xC0) != 0x80;
  return n;
}

struct Problem {
  std::string reason, message;
};

// The start's {snippet, status} JSON, checked as YouTube does; nullopt when acceptable.
std::optional<Problem> check_metadata(const json::value &v) {
  if (!v.is_object()) return Problem{"parseError", "the body is not a JSON object"};
  const json::object &o = v.as_object();
  for (const auto &kv : o)
    if (kv.key() != "snippet" && kv.key() != "status")
      return Problem{"invalidPart", "unexpected member '" + std::string(kv.key()) + "'"};
  const json::value *snippet = o.if_contains("snippet");
  const json::value *status = o.if_contains("status");
  if (!snippet || !snippet->is_object()) return Problem{"invalidSnippet", "snippet is missing"};
  if (!status || !status->is_object()) return Problem{"invalidStatus", "status is missing"};
  const json::object &sn = snippet->as_object(), &st = status->as_object();
  for (const auto &kv : sn)
    if (kv.key() != "title" && kv.key() != "description" && kv.key() != "tags" &&
        kv.key() != "categoryId" && kv.key() != "defaultLanguage" &&
        kv.key() != "defaultAudioLanguage")
      return Problem{"invalidSnippet", "unknown snippet member '" + std::string(kv.key()) + "'"};
  const json::value *title = sn.if_contains("title");
  if (!title || !title->is_string() || title->as_string().empty())
    return Problem{"invalidTitle", "snippet.title is required"};
  const std::string_view t = title->as_string();
  if (utf8_length(t) > 100) return Problem{"invalidTitle", "snippet.title exceeds 100 characters"};
  if (t.find_first_of("<>") != std::string_view::npos)
    return Problem{"invalidTitle", "snippet.title contains < or >"};
  if (const json::value *d = sn.if_contains("description")) {
    if (!d->is_string()) return Problem{"invalidDescription", "snippet.description is a string"};
    if (d->as_string().size() > 5000)
      return Problem{"invalidDescription", "snippet.description exceeds 5000 bytes"};
    if (std::string_view(d->as_string()).find_first_of("<>") != std::string_view::npos)
      return Problem{"invalidDescription", "snippet.description contains < or >"};
  }
  if (const json::value *tags = sn.if_contains("tags")) {
    if (!tags->is_array()) return Problem{"invalidTags", "snippet.tags is an array"};
    size_t length = 0;
    for (const auto &tag : tags->as_array()) {
      if (!tag.is_string() || tag.as_string().empty())
        return Problem{"invalidTags", "snippet.tags holds non-empty strings"};
      // YouTube counts a tag with a space as if quoted, plus a comma between tags.
      const std::string_view s = tag.as_string();
      length += utf8_length(s) + (s.find(' ') != std::string_view::npos ? 2 : 0) + 1;
    }
    if (length > 501) return Problem{"invalidTags", "snippet.tags exceed 500 characters"};
  }
  const json::value *category = sn.if_contains("categoryId");
  if (!category || !category->is_string() || !parse_u64(category->as_string()))
    return Problem{"invalidCategoryId", "snippet.categoryId is a numeric string"};

  for (const auto &kv : st)
    if (kv.key() != "privacyStatus" && kv.key() != "selfDeclaredMadeForKids" &&
        kv.key() != "containsSyntheticMedia" && kv.key() != "embeddable" && kv.key() != "license" &&
        kv.key() != "publicStatsViewable" && kv.key() != "publishAt")
      return Problem{"invalidStatus", "unknown status member '" + std::string(kv.key()) + "'"};
  const json::value *privacy = st.if_contains("privacyStatus");
  if (!privacy || !privacy->is_string() ||
      (privacy->as_string() != "private" && privacy->as_string() != "unlisted" &&
       privacy->as_string() != "public"))
    return Problem{"invalidPrivacyStatus", "status.privacyStatus is private, unlisted or public"};
  for (const char *flag : {"selfDeclaredMadeForKids", "containsSyntheticMedia"}) {
    const json::value *b = st.if_contains(flag);
    if (!b || !b->is_bool())
      return Problem{"invalidStatus", std::string("status.") + flag + " must be a boolean"};
  }
  return std::nullopt;
}

std::string video_id_for(int n) {
  static const char kAlphabet[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  std::mt19937 rng(static_cast<unsigned>(n) * 2654435761u);
  std::string id;
  for (int i = 0; i < 11; ++i) id += kAlphabet[rng() % 64];
  return id;
}

}  // namespace

FakeYouTubeUpload::FakeYouTubeUpload(FakeOAuth &oauth) : oauth_(oauth) {
  server_.route("POST", kVideos, [this](const ReceivedRequest &r) { return start(r); });
  server_.route("PUT", kVideos, [this](const ReceivedRequest &r) { return put(r); })
      .close_mid_request_if([this](const ReceivedRequest &head) { return cut(head); });
}

void FakeYouTubeUpload::drop_chunk(int n, uint64_t keep_bytes) {
  std::lock_guard lock(mutex_);
  faults_[n] = Fault{Fault::drop, 0, keep_bytes};
}

void FakeYouTubeUpload::fail_chunk(int n, unsigned status, uint64_t keep_bytes) {
  std::lock_guard lock(mutex_);
  faults_[n] = Fault{Fault::fail, status, keep_bytes};
}

int FakeYouTubeUpload::next_chunk_number() const {
  int n = 1;
  for (const auto &p : puts_) n += !p.status_query && p.first >= 0;
  return n;
}

void FakeYouTubeUpload::expire_session_after_chunks(int chunks) {
  std::lock_guard lock(mutex_);
  expire_after_ = chunks;
}

void FakeYouTubeUpload::refuse_start(std::string reason, int count) {
  std::lock_guard lock(mutex_);
  for (int i = 0; i < count; ++i) start_refusals_.push_back(reason);
}

void FakeYouTubeUpload::range_without_unit(bool on) {
  std::lock_guard lock(mutex_);
  range_without_unit_ = on;
}

void FakeYouTubeUpload::delay_answer_to_chunk(int n, Ms delay) {
  std::lock_guard lock(mutex_);
  answer_delays_[n] = delay;
}

void FakeYouTubeUpload::final_status(unsigned status) {
  std::lock_guard lock(mutex_);
  final_status_ = status;
}

void FakeYouTubeUpload::stall_chunks(int n, int count) {
  std::lock_guard lock(mutex_);
  for (int i = 0; i < count; ++i) faults_[n + i] = Fault{Fault::stall, 308, 0};
}

void FakeYouTubeUpload::expire_token_at_chunk(int n) {
  std::lock_guard lock(mutex_);
  faults_[n] = Fault{Fault::expire_token, 401, 0};
}

void FakeYouTubeUpload::lose_final_answer() {
  std::lock_guard lock(mutex_);
  lose_final_answer_ = true;
}

void FakeYouTubeUpload::fail_status_queries(int count, unsigned status) {
  std::lock_guard lock(mutex_);
  failing_queries_ = count;
  failing_query_status_ = status;
}

void FakeYouTubeUpload::on_video_created(std::function<void(const Video &)> hook) {
  std::lock_guard lock(mutex_);
  on_video_created_ = std::move(hook);
}

std::map<std::string, int> FakeYouTubeUpload::faults_served() const {
  std::lock_guard lock(mutex_);
  return faults_served_;
}

std::vector<FakeYouTubeUpload::Video> FakeYouTubeUpload::videos() const {
  std::lock_guard lock(mutex_);
  return videos_;
}

std::vector<FakeYouTubeUpload::Put> FakeYouTubeUpload::puts() const {
  std::lock_guard lock(mutex_);
  return puts_;
}

int FakeYouTubeUpload::sessions_started() const {
  std::lock_guard lock(mutex_);
  return static_cast<int>(sessions_.size());
}

std::vector<std::string> FakeYouTubeUpload::rejections() const {
  std::lock_guard lock(mutex_);
  return rejections_;
}

// Called with the mutex held.
Reply FakeYouTubeUpload::reject(unsigned status, const std::string &reason,
                                const std::string &message) {
  rejections_.push_back(reason + ": " + message);
  return google_error(status, status == 401 ? "global" : "youtube.video", reason, message);
}

Reply FakeYouTubeUpload::start(const ReceivedRequest &r) {
  std::lock_guard lock(mutex_);
  const std::string auth = r.header("Authorization").value_or("");
  if (auth.rfind("Bearer ", 0) != 0 || !oauth_.access_token_valid(auth.substr(7)))
    return reject(401, "authError", "Request had invalid authentication credentials.");
  if (r.query_param("uploadType") != std::string("resumable"))
    return reject(400, "invalidParameter", "uploadType must be resumable");
  const std::string part = r.query_param("part").value_or("");
  if (part.find("snippet") == std::string::npos || part.find("status") == std::string::npos)
    return reject(400, "invalidPart", "part must name snippet and status, got '" + part + "'");
  if (!start_refusals_.empty()) {
    const std::string reason = start_refusals_.front();
    start_refusals_.pop_front();
    const std::string message =
        reason == "quotaExceeded"
            ? "The request cannot be completed because you have exceeded your quota."
            : "The user has exceeded the number of videos they may upload.";
    rejections_.push_back(reason);
    return google_error(403, reason == "quotaExceeded" ? "youtube.quota" : "youtube.video", reason,
                        message);
  }
  const auto length = parse_u64(r.header("X-Upload-Content-Length").value_or(""));
  if (!length || *length == 0)
    return reject(400, "badContent", "X-Upload-Content-Length must be a positive byte count");
  if (r.header("X-Upload-Content-Type") != std::string("video/mp4"))
    return reject(400, "invalidVideoMetadata", "X-Upload-Content-Type must be video/mp4");
  if (r.header("Content-Type").value_or("").rfind("application/json", 0) != 0)
    return reject(400, "parseError", "the metadata must be sent as application/json");
  json::value metadata;
  try {
    metadata = r.json();
  } catch (const std::exception &) {
    return reject(400, "parseError", "the metadata is not JSON");
  }
  if (auto problem = check_metadata(metadata))
    return reject(400, problem->reason, problem->message);
  const std::string upload_id = "fake-upload-" + std::to_string(next_session_++);
  Session &s = sessions_[upload_id];
  s.total = *length;
  s.metadata = metadata;
  return Reply::text("", 200).with_header(
      "Location", upload_url() + "?uploadType=resumable&upload_id=" + upload_id);
}

std::optional<size_t> FakeYouTubeUpload::cut(const ReceivedRequest &head) {
  std::lock_guard lock(mutex_);
  auto fault = faults_.find(next_chunk_number());
  if (fault == faults_.end() || fault->second.kind != Fault::drop) return std::nullopt;
  auto it = sessions_.find(head.query_param("upload_id").value_or(""));
  if (it == sessions_.end() || it->second.expired) return std::nullopt;
  auto range = parse_content_range(head.header("Content-Range").value_or(""));
  if (!range || range->query) return std::nullopt;
  const uint64_t keep = fault->second.keep;
  faults_.erase(fault);
  ++faults_served_["drop"];
  return static_cast<size_t>(keep);
}

Reply FakeYouTubeUpload::video_resource(const Session &s, const std::string &upload_id) const {
  json::object snippet = s.metadata.at("snippet").as_object();
  snippet["channelId"] = "UCfakeChannel000000000000";
  snippet["publishedAt"] = "2026-11-28T12:00:00Z";
  json::object status = s.metadata.at("status").as_object();
  status["uploadStatus"] = "uploaded";
  (void)upload_id;
  return Reply::json(json::value(json::object{{"kind", "youtube#video"},
                                              {"etag", "fake-etag-" + s.video_id},
                                              {"id", s.video_id},
                                              {"snippet", snippet},
                                              {"status", status}}),
                     final_status_);
}

Reply FakeYouTubeUpload::put(const ReceivedRequest &r) {
  std::lock_guard lock(mutex_);
  Put log;
  log.upload_id = r.query_param("upload_id").value_or("");
  log.body_bytes = r.body_size;
  auto record = [&](Reply reply) {
    log.status = r.complete ? reply.status : 0;
    for (const auto &[name, value] : reply.headers)
      if (name == "Range") log.range = value;
    puts_.push_back(log);
    return reply;
  };
  auto it = sessions_.find(log.upload_id);
  if (it == sessions_.end() || it->second.expired)
    return record(google_error(404, "global", "notFound", "Not Found"));
  Session &s = it->second;
  log.server_before = s.bytes.size();
  if (auto auth = r.header("Authorization");
      auth && (auth->rfind("Bearer ", 0) != 0 || !oauth_.issued_access_token(auth->substr(7)) ||
               (tokens_checked_ && !oauth_.access_token_valid(auth->substr(7)))))
    return record(reject(401, "authError", "Request had invalid authentication credentials."));
  auto range = parse_content_range(r.header("Content-Range").value_or(""));
  if (!range)
    return record(reject(400, "badContent",
                         "Content-Range must be 'bytes F-L/TOTAL' or "
                         "'bytes */TOTAL'"));
  log.status_query = range->query;
  log.total = range->total;
  if (range->total != s.total)
    return record(reject(400, "badContent",
                         "Content-Range total " + std::to_string(range->total) +
                             " differs from X-Upload-Content-Length " + std::to_string(s.total)));
  auto where = [&]() {
    if (!s.video_id.empty()) return video_resource(s, log.upload_id);
    Reply more = Reply::text("", 308);
    if (!s.bytes.empty())
      more.with_header("Range", std::string(range_without_unit_ ? "" : "bytes=") + "0-" +
                                    std::to_string(s.bytes.size() - 1));
    return more;
  };
  if (range->query) {
    if (r.header("Content-Length") != std::string("0") || r.body_size != 0)
      return record(reject(400, "badContent", "a status query has Content-Length: 0"));
    if (failing_queries_ > 0) {
      --failing_queries_;
      ++faults_served_["status_query_5xx"];
      return record(google_error(failing_query_status_, "global", "backendError", "Backend Error"));
    }
    return record(where());
  }

  log.first = static_cast<int64_t>(range->first);
  log.last = static_cast<int64_t>(range->last);
  if (!s.video_id.empty())
    return record(reject(400, "badContent", "the upload is already complete"));
  if (range->first != s.bytes.size())
    return record(reject(400, "badContent",
                         "Content-Range starts at " + std::to_string(range->first) +
                             " but the server holds " + std::to_string(s.bytes.size()) + " bytes"));
  const uint64_t size = range->last - range->first + 1;
  if (range->last >= s.total)
    return record(reject(400, "badContent", "Content-Range ends past the total"));
  if (range->last + 1 != s.total && size % kQuantum != 0)
    return record(reject(400, "badContent",
                         "a chunk other than the last must be a multiple of 262144 bytes, got " +
                             std::to_string(size)));
  if (!r.complete) {  // a dropped connection: keep what arrived
    s.bytes.append(r.body, 0, static_cast<size_t>(std::min<uint64_t>(r.body.size(), size)));
    return record(Reply::hang_up());
  }
  if (r.body_size != size)
    return record(reject(400, "badContent", "the body's size differs from Content-Range"));
  const int number = next_chunk_number();
  if (auto fault = faults_.find(number); fault != faults_.end()) {
    const Fault f = fault->second;
    faults_.erase(fault);
    ++faults_served_[f.kind == Fault::stall          ? "stall"
                     : f.kind == Fault::expire_token ? "expire_token"
                                                     : "5xx"];
    if (f.kind == Fault::stall) return record(where());  // the body is thrown away
    if (f.kind == Fault::expire_token) {
      oauth_.expire_access_tokens();
      tokens_checked_ = true;
      return record(reject(401, "authError", "Request had invalid authentication credentials."));
    }
    s.bytes.append(r.body, 0, static_cast<size_t>(std::min<uint64_t>(f.keep, size)));
    return record(google_error(f.status, "global", "backendError", "Backend Error"));
  }
  s.bytes += r.body;
  ++s.chunks;
  if (expire_after_ && s.chunks >= *expire_after_ && s.bytes.size() < s.total) {
    expire_after_.reset();
    s.expired = true;  // this chunk is answered; the next request finds the session gone
  }
  if (s.bytes.size() == s.total) {
    s.video_id = video_id_for(static_cast<int>(videos_.size()) + 1);
    videos_.push_back(Video{s.video_id, log.upload_id, s.metadata, s.bytes});
    if (on_video_created_) on_video_created_(videos_.back());
    if (lose_final_answer_) {
      lose_final_answer_ = false;
      ++faults_served_["lost_final_answer"];
      log.status = 0;
      puts_.push_back(log);
      return Reply::hang_up();
    }
  }
  Reply reply = where();
  if (auto delay = answer_delays_.find(number); delay != answer_delays_.end())
    reply.with_latency(delay->second);
  return record(std::move(reply));
}

}  // namespace automuse::testing
