// tests/youtube/upload_test.cpp — the plugin's YouTube Data API code (youtube_api.cpp) on the
// real host core: real HTTP (curl) over loopback, the real SQLite store holding the account's
// refresh token and the refreshed access token, against the fake Google token endpoint and the
// fake resumable upload server. Covers every byte arriving, a connection dropped in the
// middle of a chunk and a 503 (resumed from the byte the server reports, nothing sent twice),
// an expired session, quota errors without retries, invalid_grant, token refresh and the
// snippet/status the fake checks; 308s that take no bytes (bounded), the access token expiring
// mid-upload (one refresh, resumed where the server stands), and the lost answer to the last
// byte settled by the status query — or, when no status query is answered, uncertain.
#include <gtest/gtest.h>

#include <automuse/automuse.hpp>
#include <boost/json.hpp>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <future>
#include <random>

#include "core/job_service.hpp"
#include "core/runtime.hpp"
#include "core/services.hpp"
#include "http/http_client.hpp"
#include "http/http_service.hpp"
#include "store/store.hpp"
#include "store/store_service.hpp"
#include "support/oauth/fake_oauth.hpp"
#include "support/temp_folder.hpp"
#include "support/youtube/fake_youtube_upload.hpp"
#include "support/youtube/google_client.hpp"
#include "youtube_api.hpp"

namespace fs = std::filesystem;
namespace json = boost::json;
using automuse::testing::FakeOAuth;
using automuse::testing::FakeYouTubeUpload;
using automuse::testing::google_client::kClientId;
using automuse::testing::google_client::kClientSecret;
using automuse::testing::google_client::kRefreshToken;

namespace {

constexpr uint64_t kQ = FakeYouTubeUpload::kQuantum;

struct Outcome {
  youtube::UploadResult result;
  am_status status = AM_OK;
  std::string error;
};

class YoutubeUpload : public ::testing::Test {
 protected:
  YoutubeUpload() {
    store_ = std::make_unique<automuse::store::Store>(dir_ / "automuse.db");
    store_service_ = std::make_unique<automuse::store::StoreService>(*store_);
    registry_.add(AM_JOB_SERVICE_ID, automuse::core::job_service());
    registry_.add(AM_HTTP_SERVICE_ID, http_service_.table());
    registry_.add(AM_STORE_SERVICE_ID, store_service_->table());
    context_ = automuse::core::make_plugin_context("youtube", registry_, runtime_);
    oauth_.add_refresh_token(kRefreshToken);
    config_.client_id = kClientId;
    config_.client_secret = kClientSecret;
    config_.token_url = oauth_.token_url();
    config_.upload_url = yt_.upload_url();
    config_.chunk_bytes = kQ;
    config_.retry_base_ms = 5;  // the pauses between retries, short for the tests
  }
  ~YoutubeUpload() override {
    for (auto &j : jobs_) j->wait_idle();
    runtime_.stop();
  }

  // An account of the youtube plugin holding a refresh token (as `accounts add --set
  // refresh_token=...` stores it: a secret).
  void add_account(const std::string &nickname, const std::string &refresh_token = kRefreshToken) {
    automuse::store::NewAccount a;
    a.plugin_id = "youtube";
    a.nickname = nickname;
    a.fields = json::object{{"niche", "ocean"}};
    if (!refresh_token.empty()) a.secrets["refresh_token"] = refresh_token;
    store_->add_account(std::move(a), nullptr);
  }

  // A file of `size` random bytes.
  std::string make_file(uint64_t size) {
    std::string bytes(size, '\0');
    std::mt19937 rng(static_cast<unsigned>(size));
    for (auto &c : bytes) c = static_cast<char>(rng());
    const fs::path p = dir_ / ("video-" + std::to_string(size) + ".mp4");
    std::ofstream(p, std::ios::binary) << bytes;
    file_bytes_ = bytes;
    return p.string();
  }

  youtube::UploadRequest request(const std::string &file) {
    youtube::UploadRequest r;
    r.file = file;
    r.title = "Octopus facts 🐙";
    r.description = "An octopus has three hearts.\n\n#shorts";
    r.tags = {"octopus", "ocean", "sea life"};
    return r;
  }

  template <class T>
  am::outcome<T> run(am::task<T> t) {
    jobs_.push_back(runtime_.make_job("upload-test"));
    auto job = jobs_.back();
    auto promise = std::make_shared<std::promise<am::outcome<T>>>();
    auto future = promise->get_future();
    job->post([&t, promise] {
      am::spawn(std::move(t),
                [promise](am::outcome<T> &&o) noexcept { promise->set_value(std::move(o)); });
    });
    if (future.wait_for(std::chrono::seconds(60)) != std::future_status::ready) {
      std::fprintf(stderr, "upload did not finish in 60 s\n");
      std::abort();  // the task still refers to this frame
    }
    return future.get();
  }

  am::job job_handle() {
    jobs_.push_back(runtime_.make_job("upload-test"));
    return am::job(am::host(&context_->host), jobs_.back().get());
  }

  Outcome upload(const std::string &account, youtube::UploadRequest r) {
    am::job job = job_handle();
    auto o = run(youtube::upload_video(job, account, config_, std::move(r)));
    Outcome out;
    if (o.exception) {
      try {
        std::rethrow_exception(o.exception);
      } catch (const am::error &e) {
        out.status = e.status();
        out.error = e.what();
      } catch (const std::exception &e) {
        out.status = AM_INTERNAL;
        out.error = e.what();
      }
    } else {
      out.result = std::move(*o.value);
    }
    return out;
  }

  // The outcome itself (published, failed or uncertain).
  youtube::UploadOutcome outcome(const std::string &account, youtube::UploadRequest r,
                                 youtube::UploadResume resume = {}) {
    am::job job = job_handle();
    auto o =
        run(youtube::upload_to_youtube(job, account, config_, std::move(r), std::move(resume)));
    if (o.exception) std::rethrow_exception(o.exception);
    return std::move(*o.value);
  }

  // The chunk PUTs (not status queries) the server saw.
  std::vector<FakeYouTubeUpload::Put> chunks() const {
    std::vector<FakeYouTubeUpload::Put> out;
    for (const auto &p : yt_.puts())
      if (!p.status_query) out.push_back(p);
    return out;
  }
  // The PUTs and refusals, for failure messages.
  std::string describe_puts() const {
    std::string out = "\nPUTs:";
    for (const auto &p : yt_.puts())
      out += "\n  " +
             (p.status_query ? std::string("query")
                             : std::to_string(p.first) + "-" + std::to_string(p.last)) +
             " body " + std::to_string(p.body_bytes) + " -> " + std::to_string(p.status) + " " +
             p.range;
    for (const auto &r : yt_.rejections()) out += "\n  refused: " + r;
    return out;
  }
  uint64_t bytes_sent() const {
    uint64_t n = 0;
    for (const auto &p : yt_.puts()) n += p.body_bytes;
    return n;
  }
  size_t start_requests() {
    size_t n = 0;
    for (const auto &r : yt_.server().requests("/upload/youtube/v3/videos"))
      n += r.method == "POST";
    return n;
  }

  automuse::testing::TempFolder temp_;
  fs::path dir_ = temp_.path();
  automuse::core::Runtime runtime_{1, 1};
  automuse::http::HttpClient http_client_{runtime_.io()};
  automuse::http::HttpService http_service_{http_client_};
  std::unique_ptr<automuse::store::Store> store_;
  std::unique_ptr<automuse::store::StoreService> store_service_;
  automuse::core::ServiceRegistry registry_;
  std::unique_ptr<automuse::core::PluginContext> context_;
  std::vector<automuse::core::JobPtr> jobs_;
  FakeOAuth oauth_{FakeOAuth::google_client(kClientId, kClientSecret)};
  FakeYouTubeUpload yt_{oauth_};
  youtube::ApiConfig config_;
  std::string file_bytes_;
};

TEST_F(YoutubeUpload, EveryByteArrivesInChunksOfTheQuantum) {
  add_account("ocean");
  const auto file = make_file(3 * kQ + 1000);
  Outcome o = upload("ocean", request(file));
  ASSERT_EQ(o.status, AM_OK) << o.error;
  auto videos = yt_.videos();
  ASSERT_EQ(videos.size(), 1u);
  EXPECT_TRUE(videos[0].bytes == file_bytes_) << "the uploaded bytes differ from the file";
  EXPECT_EQ(o.result.video_id, videos[0].id);
  EXPECT_EQ(o.result.url, "https://youtube.com/shorts/" + videos[0].id);
  EXPECT_EQ(o.result.sessions, 1);
  EXPECT_EQ(o.result.resumes, 0);
  // Four chunks, each continuing where the last ended, all but the last a full quantum.
  auto c = chunks();
  ASSERT_EQ(c.size(), 4u);
  for (size_t i = 0; i < c.size(); ++i) {
    EXPECT_EQ(c[i].first, static_cast<int64_t>(i * kQ));
    EXPECT_EQ(c[i].body_bytes, i < 3 ? kQ : 1000u);
    EXPECT_EQ(c[i].status, i < 3 ? 308u : 200u);
  }
  EXPECT_EQ(c[0].range, "bytes=0-262143");
  EXPECT_EQ(bytes_sent(), file_bytes_.size()) << "nothing is sent twice";
  EXPECT_TRUE(yt_.rejections().empty());

  // The snippet and status the fake accepted: the AI-content disclosure is on by default.
  const auto &m = videos[0].metadata;
  EXPECT_EQ(m.at("snippet").at("title"), "Octopus facts 🐙");
  EXPECT_EQ(m.at("snippet").at("categoryId"), "22");
  EXPECT_EQ(m.at("snippet").at("tags").as_array().size(), 3u);
  EXPECT_EQ(m.at("status").at("privacyStatus"), "private");
  EXPECT_EQ(m.at("status").at("selfDeclaredMadeForKids"), false);
  EXPECT_EQ(m.at("status").at("containsSyntheticMedia"), true);

  // One refresh, and the access token it gave is stored for the next upload.
  EXPECT_EQ(oauth_.refreshes(), 1);
  auto stored = store_->get_oauth_token(store_->list_accounts("youtube").at(0).id);
  ASSERT_TRUE(stored.has_value());
  EXPECT_TRUE(oauth_.access_token_valid(stored->access_token.value_or("")));
  EXPECT_EQ(stored->refresh_token.value_or(""), kRefreshToken);
}

TEST_F(YoutubeUpload, PrivacyMadeForKidsAndDisclosureAreSentAsAsked) {
  add_account("kids");
  auto r = request(make_file(5000));
  r.privacy = "unlisted";
  r.made_for_kids = true;
  r.synthetic_media = false;
  yt_.final_status(201);
  Outcome o = upload("kids", r);
  ASSERT_EQ(o.status, AM_OK) << o.error;
  const auto videos = yt_.videos();
  ASSERT_EQ(videos.size(), 1u);
  const auto &status = videos[0].metadata.at("status");
  EXPECT_EQ(status.at("privacyStatus"), "unlisted");
  EXPECT_EQ(status.at("selfDeclaredMadeForKids"), true);
  EXPECT_EQ(status.at("containsSyntheticMedia"), false);
  EXPECT_TRUE(videos[0].bytes == file_bytes_);
}

TEST_F(YoutubeUpload, AngleBracketsAreReplacedSinceYouTubeRefusesThem) {
  add_account("ocean");
  auto r = request(make_file(5000));
  r.title = "Is 3 > 2? <really>";
  r.description = "a <b>bold</b> claim";
  Outcome o = upload("ocean", r);
  ASSERT_EQ(o.status, AM_OK) << o.error;
  ASSERT_EQ(yt_.videos().size(), 1u);
  EXPECT_EQ(yt_.videos()[0].metadata.at("snippet").at("title"), "Is 3 › 2? ‹really›");
  EXPECT_EQ(yt_.videos()[0].metadata.at("snippet").at("description"), "a ‹b›bold‹/b› claim");
}

TEST_F(YoutubeUpload, TheFakeRefusesMetadataYouTubeWouldRefuse) {
  add_account("ocean");
  auto r = request(make_file(5000));
  r.privacy = "friends-only";
  Outcome o = upload("ocean", r);
  EXPECT_NE(o.status, AM_OK);
  EXPECT_NE(o.error.find("invalidPrivacyStatus"), std::string::npos) << o.error;
  EXPECT_TRUE(yt_.videos().empty());
  EXPECT_TRUE(chunks().empty());
  ASSERT_EQ(yt_.rejections().size(), 1u);
}

TEST_F(YoutubeUpload, DroppedConnectionResumesFromTheServersByte) {
  add_account("ocean");
  const auto file = make_file(3 * kQ + 1000);
  yt_.drop_chunk(2, 100000);  // the second chunk: 100000 bytes arrive, then the line drops
  Outcome o = upload("ocean", request(file));
  ASSERT_EQ(o.status, AM_OK) << o.error << describe_puts();
  ASSERT_EQ(yt_.videos().size(), 1u);
  EXPECT_TRUE(yt_.videos()[0].bytes == file_bytes_) << "the uploaded bytes differ from the file";
  EXPECT_EQ(o.result.resumes, 1);
  EXPECT_EQ(o.result.sessions, 1);

  auto puts = yt_.puts();
  // chunk 1, chunk 2 dropped, the status query, then the rest.
  ASSERT_GE(puts.size(), 4u);
  EXPECT_EQ(puts[1].status, 0u);
  EXPECT_EQ(puts[1].first, static_cast<int64_t>(kQ));
  EXPECT_EQ(puts[1].body_bytes, 100000u);
  ASSERT_TRUE(puts[2].status_query);
  EXPECT_EQ(puts[2].status, 308u);
  const int64_t range_end = static_cast<int64_t>(kQ + 100000 - 1);
  EXPECT_EQ(puts[2].range, "bytes=0-" + std::to_string(range_end));
  // The resumed chunk starts at the reported end + 1: not 0, not the chunk's own start.
  EXPECT_FALSE(puts[3].status_query);
  EXPECT_EQ(puts[3].first, range_end + 1);
  EXPECT_EQ(bytes_sent(), file_bytes_.size()) << "the bytes the server kept were not sent again";
  EXPECT_EQ(yt_.sessions_started(), 1);
  EXPECT_TRUE(yt_.rejections().empty());
}

TEST_F(YoutubeUpload, Error503AsksWhereItStandsAndResumesThere) {
  add_account("ocean");
  const auto file = make_file(3 * kQ + 1000);
  yt_.fail_chunk(3, 503, 70000);  // the server kept 70000 bytes of it, then failed
  yt_.range_without_unit(true);   // and answers "Range: 0-N" (the other documented shape)
  Outcome o = upload("ocean", request(file));
  ASSERT_EQ(o.status, AM_OK) << o.error;
  ASSERT_EQ(yt_.videos().size(), 1u);
  EXPECT_TRUE(yt_.videos()[0].bytes == file_bytes_);
  EXPECT_EQ(o.result.resumes, 1);
  auto puts = yt_.puts();
  ASSERT_GE(puts.size(), 5u);
  EXPECT_EQ(puts[2].status, 503u);
  ASSERT_TRUE(puts[3].status_query);
  const int64_t range_end = static_cast<int64_t>(2 * kQ + 70000 - 1);
  EXPECT_EQ(puts[3].range, "0-" + std::to_string(range_end));
  EXPECT_EQ(puts[4].first, range_end + 1);
  EXPECT_TRUE(yt_.rejections().empty());
}

TEST_F(YoutubeUpload, ExpiredSessionStartsAgainFromZero) {
  add_account("ocean");
  const auto file = make_file(3 * kQ + 1000);
  yt_.expire_session_after_chunks(1);
  Outcome o = upload("ocean", request(file));
  ASSERT_EQ(o.status, AM_OK) << o.error;
  EXPECT_EQ(o.result.sessions, 2);
  EXPECT_EQ(yt_.sessions_started(), 2);
  EXPECT_EQ(start_requests(), 2u);
  ASSERT_EQ(yt_.videos().size(), 1u);
  EXPECT_TRUE(yt_.videos()[0].bytes == file_bytes_);
  // The second session's first chunk starts at 0.
  auto puts = yt_.puts();
  ASSERT_GE(puts.size(), 3u);
  EXPECT_EQ(puts[1].status, 404u);
  EXPECT_NE(puts[2].upload_id, puts[0].upload_id);
  EXPECT_EQ(puts[2].first, 0);
}

TEST_F(YoutubeUpload, QuotaExceededStopsAtOnceWithAClearMessage) {
  add_account("ocean");
  yt_.refuse_start("quotaExceeded", 10);
  Outcome o = upload("ocean", request(make_file(5000)));
  EXPECT_EQ(o.status, AM_QUOTA_EXCEEDED);
  EXPECT_NE(o.error.find("quotaExceeded"), std::string::npos) << o.error;
  EXPECT_NE(o.error.find("daily quota"), std::string::npos) << o.error;
  EXPECT_EQ(start_requests(), 1u) << "no retry loop";
  EXPECT_TRUE(chunks().empty());
}

TEST_F(YoutubeUpload, UploadLimitExceededStopsAtOnceWithAClearMessage) {
  add_account("ocean");
  yt_.refuse_start("uploadLimitExceeded", 10);
  Outcome o = upload("ocean", request(make_file(5000)));
  EXPECT_EQ(o.status, AM_QUOTA_EXCEEDED);
  EXPECT_NE(o.error.find("uploadLimitExceeded"), std::string::npos) << o.error;
  EXPECT_NE(o.error.find("daily upload limit"), std::string::npos) << o.error;
  EXPECT_EQ(start_requests(), 1u) << "no retry loop";
}

TEST_F(YoutubeUpload, InvalidGrantTellsTheUserToAuthoriseAgain) {
  add_account("ocean");
  oauth_.revoke_refresh_tokens();
  Outcome o = upload("ocean", request(make_file(5000)));
  EXPECT_EQ(o.status, AM_UNAUTHENTICATED);
  EXPECT_NE(o.error.find("invalid_grant"), std::string::npos) << o.error;
  EXPECT_NE(o.error.find("automuse-host auth youtube --account ocean"), std::string::npos)
      << o.error;
  EXPECT_EQ(o.error.find(kRefreshToken), std::string::npos) << "no secret in errors";
  EXPECT_EQ(oauth_.token_requests(), 1u);
  EXPECT_EQ(yt_.server().request_count(), 0u);
}

TEST_F(YoutubeUpload, NoRefreshTokenTellsTheUserToAuthorise) {
  add_account("fresh", "");
  Outcome o = upload("fresh", request(make_file(5000)));
  EXPECT_EQ(o.status, AM_UNAUTHENTICATED);
  EXPECT_NE(o.error.find("automuse-host auth youtube --account fresh"), std::string::npos)
      << o.error;
  EXPECT_EQ(oauth_.token_requests(), 0u);
}

TEST_F(YoutubeUpload, WrongClientSecretNamesTheConfigFields) {
  add_account("ocean");
  config_.client_secret = "GOCSPX-not-it";
  Outcome o = upload("ocean", request(make_file(5000)));
  EXPECT_NE(o.status, AM_OK);
  EXPECT_NE(o.error.find("invalid_client"), std::string::npos) << o.error;
  EXPECT_NE(o.error.find("plugins.youtube.client_id"), std::string::npos) << o.error;
  EXPECT_EQ(o.error.find("GOCSPX"), std::string::npos) << "no secret in errors";
}

TEST_F(YoutubeUpload, AccessTokensAreReusedThenRefreshedWhenRefused) {
  add_account("ocean");
  ASSERT_EQ(upload("ocean", request(make_file(5000))).status, AM_OK);
  ASSERT_EQ(upload("ocean", request(make_file(6000))).status, AM_OK);
  EXPECT_EQ(oauth_.refreshes(), 1) << "the stored access token is reused while it lasts";

  // Google revokes the access token early: the start gets 401, one refresh, then success.
  oauth_.expire_access_tokens();
  Outcome o = upload("ocean", request(make_file(7000)));
  ASSERT_EQ(o.status, AM_OK) << o.error;
  EXPECT_EQ(oauth_.refreshes(), 2);
  EXPECT_EQ(yt_.videos().size(), 3u);
  EXPECT_TRUE(yt_.videos()[2].bytes == file_bytes_);

  // A token about to expire (less than a minute left) is refreshed before use, not after a
  // 401: the next start is accepted at once.
  oauth_.set_expires_in(30);
  oauth_.expire_access_tokens();
  ASSERT_EQ(upload("ocean", request(make_file(8000))).status, AM_OK);
  EXPECT_EQ(oauth_.refreshes(), 3);
  const size_t refused = yt_.rejections().size();
  ASSERT_EQ(upload("ocean", request(make_file(9000))).status, AM_OK);
  EXPECT_EQ(oauth_.refreshes(), 4);
  EXPECT_EQ(yt_.rejections().size(), refused) << "no 401 this time";
}

TEST_F(YoutubeUpload, A308WithoutProgressIsSentAgainAFewTimes) {
  add_account("ocean");
  const auto file = make_file(3 * kQ + 1000);
  yt_.stall_chunks(2, 3);  // chunks 2, 3 and 4 (all the same bytes) are thrown away
  Outcome o = upload("ocean", request(file));
  ASSERT_EQ(o.status, AM_OK) << o.error << describe_puts();
  ASSERT_EQ(yt_.videos().size(), 1u);
  EXPECT_TRUE(yt_.videos()[0].bytes == file_bytes_);
  auto c = chunks();
  ASSERT_EQ(c.size(), 7u) << describe_puts();
  for (size_t i = 1; i <= 3; ++i) {  // sent again at the same byte each time
    EXPECT_EQ(c[i].first, static_cast<int64_t>(kQ)) << "chunk " << i + 1 << describe_puts();
    EXPECT_EQ(c[i].range, "bytes=0-" + std::to_string(kQ - 1));
  }
  EXPECT_EQ(c[4].first, static_cast<int64_t>(kQ));
  EXPECT_EQ(c[4].range, "bytes=0-" + std::to_string(2 * kQ - 1));
  EXPECT_EQ(yt_.sessions_started(), 1);
}

TEST_F(YoutubeUpload, A308WithoutProgressFiveTimesInARowGivesUpNamingAccountAndSession) {
  add_account("ocean");
  const auto file = make_file(3 * kQ + 1000);
  yt_.stall_chunks(2, 1000);  // from the second chunk on, the server takes nothing
  youtube::UploadOutcome o = outcome("ocean", request(file));
  EXPECT_EQ(o.state, youtube::UploadOutcome::State::failed);
  EXPECT_TRUE(o.platform_did_not_act);
  EXPECT_EQ(o.status, AM_UNAVAILABLE);
  EXPECT_NE(o.reason.find("account 'ocean'"), std::string::npos) << o.reason;
  EXPECT_NE(o.reason.find("upload session fake-upload-1"), std::string::npos) << o.reason;
  EXPECT_NE(o.reason.find("308 5 times in a row"), std::string::npos) << o.reason;
  EXPECT_NE(o.reason.find(std::to_string(kQ) + " of " + std::to_string(file_bytes_.size())),
            std::string::npos)
      << o.reason;
  EXPECT_EQ(o.confirmed_bytes, kQ);
  EXPECT_NE(o.session_uri.find("upload_id=fake-upload-1"), std::string::npos);
  EXPECT_EQ(chunks().size(), 6u) << "one chunk, then five refused, then no more" << describe_puts();
  EXPECT_TRUE(yt_.videos().empty());
  EXPECT_EQ(yt_.sessions_started(), 1);
  // upload_video reports it as an error with the same words.
  yt_.stall_chunks(1, 1000);
  Outcome thrown = upload("ocean", request(file));
  EXPECT_EQ(thrown.status, AM_UNAVAILABLE);
  EXPECT_NE(thrown.error.find("upload session fake-upload-2"), std::string::npos) << thrown.error;
}

TEST_F(YoutubeUpload, TokenExpiringMidUploadIsRefreshedOnceAndTheUploadResumes) {
  add_account("ocean");
  const auto file = make_file(4 * kQ + 1000);
  yt_.expire_token_at_chunk(3);
  Outcome o = upload("ocean", request(file));
  ASSERT_EQ(o.status, AM_OK) << o.error << describe_puts();
  ASSERT_EQ(yt_.videos().size(), 1u);
  EXPECT_TRUE(yt_.videos()[0].bytes == file_bytes_);
  EXPECT_EQ(oauth_.refreshes(), 2) << "the first token, then one refresh mid-upload";
  EXPECT_EQ(yt_.sessions_started(), 1) << "the same session goes on";
  auto puts = yt_.puts();
  ASSERT_GE(puts.size(), 6u) << describe_puts();
  EXPECT_EQ(puts[2].status, 401u);
  EXPECT_EQ(puts[2].first, static_cast<int64_t>(2 * kQ));
  ASSERT_TRUE(puts[3].status_query) << "asks where the server stands with the new token";
  EXPECT_EQ(puts[3].status, 308u);
  EXPECT_EQ(puts[3].range, "bytes=0-" + std::to_string(2 * kQ - 1));
  EXPECT_EQ(puts[4].first, static_cast<int64_t>(2 * kQ));
  EXPECT_EQ(puts[4].status, 308u);
  // The new token is stored for the next upload.
  auto stored = store_->get_oauth_token(store_->list_accounts("youtube").at(0).id);
  ASSERT_TRUE(stored.has_value());
  EXPECT_TRUE(oauth_.access_token_valid(stored->access_token.value_or("")));
}

TEST_F(YoutubeUpload, TheLostAnswerToTheLastByteIsSettledByTheStatusQuery) {
  add_account("ocean");
  const auto file = make_file(2 * kQ + 1000);
  yt_.lose_final_answer();
  Outcome o = upload("ocean", request(file));
  ASSERT_EQ(o.status, AM_OK) << o.error << describe_puts();
  auto videos = yt_.videos();
  ASSERT_EQ(videos.size(), 1u) << "never uploaded twice";
  EXPECT_EQ(o.result.video_id, videos[0].id);
  EXPECT_EQ(yt_.sessions_started(), 1);
  EXPECT_EQ(start_requests(), 1u);
  auto puts = yt_.puts();
  ASSERT_EQ(puts.size(), 4u) << describe_puts();
  EXPECT_EQ(puts[2].status, 0u);
  EXPECT_TRUE(puts[3].status_query);
  EXPECT_EQ(puts[3].status, 200u);
  EXPECT_EQ(bytes_sent(), file_bytes_.size());
}

TEST_F(YoutubeUpload, TheLostAnswerToTheLastByteWithNoStatusAnswerIsUncertainNeverRepeated) {
  add_account("ocean");
  const auto file = make_file(2 * kQ + 1000);
  yt_.lose_final_answer();
  yt_.fail_status_queries(1000);
  youtube::UploadOutcome o = outcome("ocean", request(file));
  EXPECT_EQ(o.state, youtube::UploadOutcome::State::uncertain) << o.reason;
  EXPECT_EQ(o.status, AM_UNCERTAIN) << "not a transient status: the daemon does not retry it";
  EXPECT_NE(o.how_to_check.find("https://studio.youtube.com"), std::string::npos);
  EXPECT_NE(o.how_to_check.find("account 'ocean'"), std::string::npos) << o.how_to_check;
  EXPECT_NE(o.how_to_check.find("Octopus facts 🐙"), std::string::npos) << o.how_to_check;
  EXPECT_NE(o.reason.find(o.how_to_check), std::string::npos);
  EXPECT_NE(o.reason.find("may be published"), std::string::npos) << o.reason;
  EXPECT_FALSE(o.session_uri.empty());
  EXPECT_EQ(yt_.videos().size(), 1u);
  EXPECT_EQ(yt_.sessions_started(), 1) << "no new session, no second upload";
  EXPECT_EQ(chunks().size(), 3u);
  EXPECT_EQ(yt_.puts().size(), 3u + 8u) << "eight status queries, then it stops";
  EXPECT_EQ(o.reason.find("upload_id="), std::string::npos) << "the session URI is not shown";
}

TEST_F(YoutubeUpload, AStoredSessionIsContinuedFromTheByteTheServerReports) {
  add_account("ocean");
  const auto file = make_file(3 * kQ + 1000);
  yt_.drop_chunk(2, 100000);
  yt_.fail_status_queries(8);  // every status query of the first run fails
  std::string announced;
  youtube::UploadResume first_resume;
  first_resume.on_session = [&](const std::string &uri) { announced = uri; };
  youtube::UploadOutcome first = outcome("ocean", request(file), first_resume);
  ASSERT_EQ(first.state, youtube::UploadOutcome::State::failed) << first.reason;
  EXPECT_TRUE(first.platform_did_not_act) << "YouTube makes no video of a partial upload";
  EXPECT_EQ(first.session_uri, announced);
  EXPECT_NE(first.reason.find("account 'ocean'"), std::string::npos) << first.reason;

  // The next run continues that session where the server stands: no new session, no byte the
  // server kept sent again.
  const size_t puts_before = yt_.puts().size();
  youtube::UploadResume resume;
  resume.session_uri = first.session_uri;
  youtube::UploadOutcome second = outcome("ocean", request(file), resume);
  ASSERT_TRUE(second.published()) << second.reason << describe_puts();
  ASSERT_EQ(yt_.videos().size(), 1u);
  EXPECT_TRUE(yt_.videos()[0].bytes == file_bytes_);
  EXPECT_EQ(yt_.sessions_started(), 1);
  EXPECT_EQ(start_requests(), 1u);
  auto puts = yt_.puts();
  ASSERT_GT(puts.size(), puts_before + 1);
  EXPECT_TRUE(puts[puts_before].status_query);
  EXPECT_EQ(puts[puts_before].range, "bytes=0-" + std::to_string(kQ + 100000 - 1));
  EXPECT_EQ(puts[puts_before + 1].first, static_cast<int64_t>(kQ + 100000));
  EXPECT_EQ(bytes_sent(), file_bytes_.size());
}

}  // namespace
