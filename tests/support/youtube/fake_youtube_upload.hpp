// tests/support/youtube/fake_youtube_upload.hpp — a loopback fake of the YouTube Data API v3
// resumable upload (docs/protocols/youtube-upload.md): the start POST (Bearer token issued by
// FakeOAuth, X-Upload-Content-Length/Type, the snippet/status JSON checked field by field)
// answers 200 with a session URI in Location; PUTs with `Content-Range: bytes F-L/TOTAL` must
// continue exactly where the server stands and be multiples of 262144 bytes except the last; 308
// with `Range: bytes=0-N` while unfinished; `Content-Range: bytes */TOTAL` with Content-Length 0
// asks where it stands; the last byte gets the video resource. It keeps the bytes received so
// a test can compare them with the file. Faults: a connection dropped in the middle of a chunk
// (after part of it arrived and was kept), a 5xx to a chunk, an expired session (404),
// quotaExceeded / uploadLimitExceeded on the start, chunks answered 308 without being taken
// (no progress), the access token expiring at a chunk (401 authError, as Google answers an
// expired Bearer token), the answer to the last byte lost after the video was made, and
// status queries failing. A hook runs as each video is made (before the answer), and the faults
// served are counted.
#pragma once

#include <boost/json/value.hpp>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "support/fake_server.hpp"
#include "support/oauth/fake_oauth.hpp"

namespace automuse::testing {

class FakeYouTubeUpload {
 public:
  static constexpr uint64_t kQuantum = 262144;  // chunks are multiples of this

  struct Video {
    std::string id;
    std::string upload_id;
    boost::json::value metadata;  // the {snippet, status} sent when the session started
    std::string bytes;            // what was uploaded
  };
  // One PUT to a session, as the server saw it.
  struct Put {
    std::string upload_id;
    bool status_query = false;  // `Content-Range: bytes */TOTAL`
    int64_t first = -1, last = -1;
    uint64_t total = 0;
    uint64_t body_bytes = 0;     // bytes of body that arrived
    uint64_t server_before = 0;  // bytes the server held when the request came
    unsigned status = 0;         // what it answered; 0: the connection was dropped
    std::string range;           // the Range header answered with a 308 ("" = none)
  };

  explicit FakeYouTubeUpload(FakeOAuth &oauth);

  // What a client's upload_url is set to: "http://127.0.0.1:PORT/upload/youtube/v3/videos".
  std::string upload_url() const { return server_.url("/upload/youtube/v3/videos"); }
  FakeServer &server() { return server_; }

  // Faults. Chunks are numbered from 1 over every chunk PUT that reaches a live session on
  // this server, across sessions (status queries are not chunks).
  // Chunk `n`: keep its first `keep_bytes`, then close the connection without answering.
  void drop_chunk(int n, uint64_t keep_bytes);
  // Chunk `n`: keep its first `keep_bytes`, then answer `status` (a 5xx).
  void fail_chunk(int n, unsigned status = 503, uint64_t keep_bytes = 0);
  // Sessions expire (404 to every PUT) once they have stored `chunks` more chunks; once.
  void expire_session_after_chunks(int chunks);
  // The next `count` session starts get 403 with this reason (quotaExceeded,
  // uploadLimitExceeded).
  void refuse_start(std::string reason, int count = 1);
  // Answer 308 ranges as "0-N" instead of "bytes=0-N" (some documentation prints that shape).
  void range_without_unit(bool on);
  // The status of the answer to the last byte: 200 (default) or 201.
  void final_status(unsigned status);
  // Chunks `n` .. `n + count - 1`: thrown away and answered 308 with the Range the server
  // already held (no progress).
  void stall_chunks(int n, int count);
  // Chunk `n`: every access token issued so far expires as it arrives; it is answered 401 and
  // not kept, and from then on every PUT needs a currently valid token.
  void expire_token_at_chunk(int n);
  // The chunk holding the last byte completes the video, then the connection closes without
  // the answer.
  void lose_final_answer();
  // The next `count` status queries are answered `status` (a 5xx).
  void fail_status_queries(int count, unsigned status = 503);
  // Chunk `n` is stored as usual, but its answer waits `delay`: a client killed meanwhile
  // never learns that the server holds it.
  void delay_answer_to_chunk(int n, Ms delay);

  // Called as each video is made (its last byte stored), before the answer goes out: a
  // test can kill the client there, in the window after the upload and before the client
  // hears of it. Runs on the server's thread with the fake's lock held: keep it short.
  void on_video_created(std::function<void(const Video &)> hook);
  // How many times each fault has been served, by kind: drop, 5xx, stall, expire_token,
  // lost_final_answer, status_query_5xx.
  std::map<std::string, int> faults_served() const;

  std::vector<Video> videos() const;
  std::vector<Put> puts() const;
  int sessions_started() const;
  // Requests refused as malformed, with why (a wrong Content-Range, bad metadata...).
  std::vector<std::string> rejections() const;

 private:
  struct Session {
    uint64_t total = 0;
    boost::json::value metadata;
    std::string bytes;
    bool expired = false;
    int chunks = 0;
    std::string video_id;  // set when complete
  };
  struct Fault {
    enum Kind { fail, drop, stall, expire_token } kind = fail;
    unsigned status = 503;
    uint64_t keep = 0;
  };

  Reply start(const ReceivedRequest &request);
  Reply put(const ReceivedRequest &request);
  std::optional<size_t> cut(const ReceivedRequest &head);
  int next_chunk_number() const;  // with the mutex held
  Reply reject(unsigned status, const std::string &reason, const std::string &message);
  Reply video_resource(const Session &session, const std::string &upload_id) const;

  FakeOAuth &oauth_;
  mutable std::mutex mutex_;
  std::map<std::string, Session> sessions_;
  std::map<int, Fault> faults_;  // by chunk number
  std::deque<std::string> start_refusals_;
  std::optional<int> expire_after_;
  bool range_without_unit_ = false;
  unsigned final_status_ = 200;
  bool tokens_checked_ = false;  // after expire_token_at_chunk fired: PUTs need valid tokens
  bool lose_final_answer_ = false;
  int failing_queries_ = 0;
  unsigned failing_query_status_ = 503;
  std::map<int, Ms> answer_delays_;  // by chunk number
  int next_session_ = 1;
  std::vector<Put> puts_;
  std::vector<std::string> rejections_;
  std::vector<Video> videos_;
  std::function<void(const Video &)> on_video_created_;
  std::map<std::string, int> faults_served_;
  FakeServer server_;  // last: stops before the state above goes
};

}  // namespace automuse::testing
