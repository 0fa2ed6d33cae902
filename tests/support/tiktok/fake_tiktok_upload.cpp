// tests/support/tiktok/fake_tiktok_upload.cpp — FakeTikTok's upload host: the chunked PUTs to
// an upload_url, strictly in order, and the upload faults.
#include <zlib.h>

#include <boost/json.hpp>
#include <charconv>

#include "support/tiktok/fake_tiktok.hpp"

namespace automuse::testing {
namespace json = boost::json;

namespace {

const std::vector<std::string> kVideoTypes = {"video/mp4", "video/quicktime", "video/webm"};

std::optional<uint64_t> parse_u64(std::string_view s) {
  uint64_t v = 0;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (s.empty() || ec != std::errc() || end != s.data() + s.size()) return std::nullopt;
  return v;
}

struct Range {
  uint64_t first = 0, last = 0, total = 0;
};

// "bytes F-L/TOTAL" with F <= L < TOTAL.
std::optional<Range> parse_range(const std::string &v) {
  if (v.rfind("bytes ", 0) != 0) return std::nullopt;
  std::string_view rest = std::string_view(v).substr(6);
  const size_t dash = rest.find('-'), slash = rest.find('/');
  if (dash == std::string_view::npos || slash == std::string_view::npos || slash < dash)
    return std::nullopt;
  auto first = parse_u64(rest.substr(0, dash));
  auto last = parse_u64(rest.substr(dash + 1, slash - dash - 1));
  auto total = parse_u64(rest.substr(slash + 1));
  if (!first || !last || !total || *last < *first || *last >= *total) return std::nullopt;
  return Range{*first, *last, *total};
}

// The upload host's refusals: only invalid_file_upload has a documented code.
Reply upload_refusal(unsigned status, const std::string &message) {
  if (status != 400) return Reply::text("", status);
  return Reply::json(json::value(tiktok::api_envelope({}, "invalid_file_upload", message)), status);
}

}  // namespace

std::string FakeTikTok::content_range(const PublishState &p) const {
  const uint64_t held = p.record.received, total = p.record.video_size;
  if (!range_last_byte_) return "bytes 0-" + std::to_string(held) + "/" + std::to_string(total);
  if (held == 0) return "bytes */" + std::to_string(total);
  return "bytes 0-" + std::to_string(held - 1) + "/" + std::to_string(total);
}

FakeTikTok::PublishState *FakeTikTok::upload_of(const ReceivedRequest &r) {
  const auto id = r.query_param("upload_id"), token = r.query_param("upload_token");
  for (auto &p : publishes_)
    if (id == p.upload_id && token == p.upload_token) return &p;
  return nullptr;
}

std::optional<size_t> FakeTikTok::cut(const ReceivedRequest &head) {
  std::lock_guard lock(mutex_);
  PublishState *p = upload_of(head);
  if (!p || p->record.complete) return std::nullopt;
  auto range = parse_range(head.header("Content-Range").value_or(""));
  if (!range || range->first != p->record.received) return std::nullopt;
  const int number = static_cast<int>(p->record.received / p->record.chunk_size) + 1;
  auto fault = upload_faults_.find(number);
  if (fault == upload_faults_.end() || fault->second.kind != UploadFault::drop) return std::nullopt;
  const uint64_t keep = fault->second.keep;
  upload_faults_.erase(fault);
  ++faults_served_["drop"];
  return static_cast<size_t>(keep);
}

Reply FakeTikTok::put(const ReceivedRequest &r) {
  std::lock_guard lock(mutex_);
  Put log;
  log.body_bytes = r.body_size;
  auto record = [&](Reply reply) {
    log.status = r.complete && !reply.close_without_reply ? reply.status : 0;
    for (const auto &[name, value] : reply.headers)
      if (name == "Content-Range") log.content_range = value;
    puts_.push_back(log);
    return reply;
  };
  auto refuse = [&](unsigned status, const std::string &why) {
    rejections_.push_back("upload: " + std::to_string(status) + ": " + why);
    return record(upload_refusal(status, why));
  };
  PublishState *p = upload_of(r);
  if (!p) return refuse(404, "no upload task for this upload_id and upload_token");
  Publish &rec = p->record;
  log.publish_id = rec.publish_id;
  auto out_of_step = [&](const std::string &why) {
    rejections_.push_back("upload: 416: " + why);
    return record(Reply::text("", 416).with_header("Content-Range", content_range(*p)));
  };
  if (rec.complete) return out_of_step("every chunk already arrived");
  if (Clock::now() >= p->upload_expiry) return refuse(403, "the upload_url has expired");
  const std::string type = r.header("Content-Type").value_or("");
  if (std::find(kVideoTypes.begin(), kVideoTypes.end(), type) == kVideoTypes.end())
    return refuse(400, "Content-Type must be video/mp4, video/quicktime or video/webm");
  auto range = parse_range(r.header("Content-Range").value_or(""));
  if (!range) return refuse(400, "Content-Range must be 'bytes FIRST-LAST/TOTAL'");
  log.first = range->first;
  log.last = range->last;
  log.total = range->total;
  if (range->total != rec.video_size)
    return refuse(400,
                  "Content-Range total differs from video_size " + std::to_string(rec.video_size));
  if (range->first != rec.received)
    return out_of_step("Content-Range starts at " + std::to_string(range->first) +
                       " but the server holds " + std::to_string(rec.received) + " bytes");
  const uint64_t index = rec.received / rec.chunk_size;
  const uint64_t want =
      tiktok::chunk_bytes(rec.video_size, rec.chunk_size, rec.total_chunk_count, index);
  const uint64_t size = range->last - range->first + 1;
  if (size != want)
    return refuse(400, "chunk " + std::to_string(index + 1) + " must be " + std::to_string(want) +
                           " bytes, Content-Range says " + std::to_string(size));
  if (!r.complete) return record(Reply::hang_up());  // a dropped chunk is not taken
  if (r.header("Content-Length") != std::to_string(size) || r.body_size != size)
    return refuse(400, "Content-Length must be the chunk's size, " + std::to_string(size));

  const int number = static_cast<int>(index) + 1;
  bool lose_reply = false;
  if (auto fault = upload_faults_.find(number); fault != upload_faults_.end()) {
    const UploadFault f = fault->second;
    upload_faults_.erase(fault);
    if (f.kind == UploadFault::fail) {
      ++faults_served_["5xx"];
      return record(Reply::error(f.status));
    }
    if (f.kind == UploadFault::expire) {
      ++faults_served_["expired_upload_url"];
      p->upload_expiry = Clock::now();
      return refuse(403, "the upload_url has expired");
    }
    if (f.kind == UploadFault::stall) {
      ++faults_served_["stalled_chunk"];
      return record(Reply::hang_up().with_latency(f.delay));
    }
    lose_reply = f.kind == UploadFault::lose_reply;
  }
  rec.received += size;
  rec.crc32 =
      static_cast<uint32_t>(crc32_combine(rec.crc32, r.body_crc32, static_cast<z_off_t>(size)));
  if (options_.keep_bytes) rec.bytes += r.body;
  if (rec.received == rec.video_size) {
    rec.complete = true;
    p->pending_fail_reason = std::move(next_fail_reason_);
    next_fail_reason_.clear();
  }
  if (lose_reply) {
    ++faults_served_["lost_chunk_reply"];
    return record(Reply::hang_up());
  }
  return record(
      Reply::text("", rec.complete ? 201 : 206).with_header("Content-Range", content_range(*p)));
}

void FakeTikTok::fail_chunk(int n, unsigned status) {
  std::lock_guard lock(mutex_);
  upload_faults_[n] = {UploadFault::fail, status, 0, Ms(0)};
}

void FakeTikTok::drop_chunk(int n, uint64_t keep_bytes) {
  std::lock_guard lock(mutex_);
  upload_faults_[n] = {UploadFault::drop, 0, keep_bytes, Ms(0)};
}

void FakeTikTok::lose_chunk_reply(int n) {
  std::lock_guard lock(mutex_);
  upload_faults_[n] = {UploadFault::lose_reply, 0, 0, Ms(0)};
}

void FakeTikTok::expire_upload_url_at_chunk(int n) {
  std::lock_guard lock(mutex_);
  upload_faults_[n] = {UploadFault::expire, 0, 0, Ms(0)};
}

void FakeTikTok::stall_chunk(int n, Ms delay) {
  std::lock_guard lock(mutex_);
  upload_faults_[n] = {UploadFault::stall, 0, 0, delay};
}

void FakeTikTok::expire_upload_urls() {
  std::lock_guard lock(mutex_);
  for (auto &p : publishes_) p.upload_expiry = Clock::now();
}

void FakeTikTok::upload_url_lifetime(std::chrono::seconds lifetime) {
  std::lock_guard lock(mutex_);
  upload_lifetime_ = lifetime;
}

void FakeTikTok::content_range_ends_at_last_byte(bool on) {
  std::lock_guard lock(mutex_);
  range_last_byte_ = on;
}

}  // namespace automuse::testing
