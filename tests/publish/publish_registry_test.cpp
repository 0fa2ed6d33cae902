// tests/publish/publish_registry_test.cpp — "automuse.publish/1" with two in-process fake
// publishers (a text-only one and a text+video one, both asynchronous on the job's timers):
// registration, lookup by plugin id and kind, publications completing exactly once with
// {id, url}, refusals, cancellation, loading a publisher on demand — on the main thread
// when one is set, even when a job's thread asks — and publishers' text rules (SDK 1.4).
#include "publish/publish_registry.hpp"

#include <automuse/job.h>
#include <automuse/publish.h>
#include <gtest/gtest.h>

#include <atomic>
#include <automuse/cpp/buffer.hpp>
#include <automuse/cpp/str.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/json.hpp>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <future>
#include <map>
#include <mutex>
#include <thread>

#include "core/job.hpp"
#include "core/job_service.hpp"
#include "core/runtime.hpp"
#include "core/services.hpp"
#include "ledger/publication_ledger.hpp"
#include "store/store.hpp"
#include "support/temp_folder.hpp"

namespace automuse::publish {
namespace {

namespace json = boost::json;
using namespace std::chrono_literals;

// A fake publishing plugin: accounts it knows, what it was asked to publish, and a delay
// (on the job service's timer) before it answers.
struct FakePublisher {
  std::string name;
  std::map<std::string, std::string> accounts;  // nickname -> account id
  uint64_t delay_ms = 5;
  bool complete_twice = false;
  // Not AM_OK: the platform got the text but its answer was lost, and the publisher completes
  // with this status and `lost_answer_error`.
  am_status lost_answer = AM_OK;
  std::string lost_answer_error;
  std::mutex mutex;
  std::vector<std::string> texts, media;
  int next_id = 100;

  struct Pending {
    FakePublisher *self;
    am_job *job;
    am_op_id op;
    am_op_id sleep_op;
    std::string account, text, media;
    am_publish_done_fn done;
    void *done_user;
  };
  std::map<am_op_id, Pending *> pending;  // by registry op, for cancel

  static am_status start(void *user, am_job *job, am_op_id op, am_str account,
                         const am_publish_content *content, am_publish_done_fn done,
                         void *done_user) {
    auto *self = static_cast<FakePublisher *>(user);
    std::string acc = am::to_string(account);
    if (!self->accounts.count(acc)) return AM_NOT_FOUND;
    std::string media = am::to_string(content->media_path);
    if (!media.empty() && !std::filesystem::exists(media)) return AM_IO;
    auto *p =
        new Pending{self, job, op, 0, acc, am::to_string(content->text), media, done, done_user};
    {
      std::lock_guard lock(self->mutex);
      self->pending[op] = p;
    }
    p->sleep_op = core::job_service()->sleep(
        job, self->delay_ms,
        [](void *u, am_status status, am_str) {
          auto *p = static_cast<Pending *>(u);
          FakePublisher *self = p->self;
          std::string result = "null";
          {
            std::lock_guard lock(self->mutex);
            self->pending.erase(p->op);
            if (status == AM_OK) {
              self->texts.push_back(p->text);
              self->media.push_back(p->media);
              std::string id = std::to_string(self->next_id++);
              result = json::serialize(json::object{
                  {"id", id},
                  {"url", "https://" + self->name + ".example/" + p->account + "/" + id}});
            }
          }
          std::string error = status == AM_OK ? "" : "cancelled";
          if (status == AM_OK && self->lost_answer != AM_OK) {
            status = self->lost_answer;
            error = self->lost_answer_error;
            result = "null";
          }
          p->done(p->done_user, status, am::to_am_str(error), am::to_am_str(result));
          if (self->complete_twice)
            p->done(p->done_user, AM_ERROR, am::to_am_str(std::string("again")),
                    am::to_am_str(std::string("null")));
          delete p;
        },
        p);
    return AM_OK;
  }

  static void cancel(void *user, am_job *job, am_op_id op) {
    auto *self = static_cast<FakePublisher *>(user);
    std::lock_guard lock(self->mutex);
    auto it = self->pending.find(op);
    if (it != self->pending.end()) core::job_service()->cancel(job, it->second->sleep_op);
  }

  am_publisher table(am_publish_kinds kinds) {
    am_publisher p{};
    p.struct_size = sizeof p;
    p.kinds = kinds;
    p.user = this;
    p.start = &FakePublisher::start;
    p.cancel = &FakePublisher::cancel;
    return p;
  }
};

struct Completion {
  std::promise<void> promise;
  std::atomic<int> calls{0};
  am_status status = AM_INTERNAL;
  std::string error, result;
  bool on_strand = false;
  am_job *job = nullptr;

  static void done(void *user, am_status status, am_str error, am_str result) {
    auto *c = static_cast<Completion *>(user);
    if (c->calls.fetch_add(1) != 0) return;
    c->status = status;
    c->error = am::to_string(error);
    c->result = am::to_string(result);
    c->on_strand = c->job->executor().running_in_this_thread();
    c->promise.set_value();
  }
  void wait() {
    ASSERT_EQ(promise.get_future().wait_for(5s), std::future_status::ready) << "no completion";
  }
};

class PublishTest : public ::testing::Test {
 protected:
  PublishTest() : runtime_(1, 1) {
    services_.add(AM_PUBLISH_SERVICE_ID, registry_.table());
    services_.add(AM_JOB_SERVICE_ID, core::job_service());
    twitter_ctx_ = core::make_plugin_context("twitter", services_, runtime_);
    tiktok_ctx_ = core::make_plugin_context("tiktok", services_, runtime_);
    afm_ctx_ = core::make_plugin_context("afm", services_, runtime_);
    svc_ = static_cast<const am_publish *>(
        afm_ctx_->host.get_service(&afm_ctx_->host, AM_PUBLISH_SERVICE_ID));
    twitter_.name = "x";
    twitter_.accounts = {{"main", "1"}};
    tiktok_.name = "tiktok";
    tiktok_.accounts = {{"clips", "7"}};
    tiktok_.delay_ms = 20;
  }
  ~PublishTest() override {
    for (auto &j : jobs_) {
      j->cancel();
      j->wait_idle();
    }
  }
  void register_both() {
    auto t = twitter_.table(AM_PUBLISH_TEXT);
    ASSERT_EQ(svc_->register_publisher(&twitter_ctx_->host, &t), AM_OK);
    auto v = tiktok_.table(AM_PUBLISH_TEXT | AM_PUBLISH_VIDEO);
    ASSERT_EQ(svc_->register_publisher(&tiktok_ctx_->host, &v), AM_OK);
  }
  core::JobPtr make_job() {
    jobs_.push_back(runtime_.make_job("afm:run"));
    return jobs_.back();
  }
  am_op_id publish(const core::JobPtr &job, const std::string &plugin, const std::string &account,
                   const std::string &text, const std::string &media, Completion &c) {
    c.job = job.get();
    am_publish_content content{};
    content.struct_size = sizeof content;
    content.text = am::to_am_str(text);
    content.media_path = am::to_am_str(media);
    am_op_id op = 0;
    // Publications start on the caller's job executor, as plugin code does.
    std::promise<void> started;
    job->post([&] {
      op = svc_->publish(&afm_ctx_->host, job.get(), am::to_am_str(plugin), am::to_am_str(account),
                         &content, &Completion::done, &c);
      EXPECT_EQ(c.calls.load(), 0) << "completed before publish returned";
      started.set_value();
    });
    started.get_future().wait();
    return op;
  }

  core::Runtime runtime_;
  core::ServiceRegistry services_;
  PublishRegistry registry_;
  std::unique_ptr<core::PluginContext> twitter_ctx_, tiktok_ctx_, afm_ctx_;
  const am_publish *svc_ = nullptr;
  FakePublisher twitter_, tiktok_;
  std::vector<core::JobPtr> jobs_;
};

TEST_F(PublishTest, RegisteredPublishersAreListedWithTheirKinds) {
  register_both();
  am::buffer out;
  ASSERT_EQ(svc_->list(&afm_ctx_->host, out.out()), AM_OK);
  EXPECT_EQ(json::parse(out.view()), json::parse(R"([{"plugin":"tiktok","kinds":["text","video"]},)"
                                                 R"({"plugin":"twitter","kinds":["text"]}])"));
}

TEST_F(PublishTest, RegistrationIsCheckedAndUniquePerPlugin) {
  register_both();
  auto again = twitter_.table(AM_PUBLISH_VIDEO);
  EXPECT_EQ(svc_->register_publisher(&twitter_ctx_->host, &again), AM_ERROR);
  auto none = twitter_.table(0);
  EXPECT_EQ(svc_->register_publisher(&afm_ctx_->host, &none), AM_INVALID_ARGUMENT);
  auto no_start = twitter_.table(AM_PUBLISH_TEXT);
  no_start.start = nullptr;
  EXPECT_EQ(svc_->register_publisher(&afm_ctx_->host, &no_start), AM_INVALID_ARGUMENT);
}

TEST_F(PublishTest, FindByPluginAndKind) {
  register_both();
  EXPECT_EQ(svc_->find(&afm_ctx_->host, am::to_am_str("twitter"), AM_PUBLISH_TEXT, nullptr), AM_OK);
  am::buffer error;
  EXPECT_EQ(svc_->find(&afm_ctx_->host, am::to_am_str("twitter"), AM_PUBLISH_VIDEO, error.out()),
            AM_UNSUPPORTED);
  EXPECT_EQ(error.str(), "twitter publishes text, not video");
  EXPECT_EQ(svc_->find(&afm_ctx_->host, am::to_am_str("mastodon"), AM_PUBLISH_TEXT, error.out()),
            AM_NOT_FOUND);
  EXPECT_EQ(error.str(), "no publisher 'mastodon' (publishers: tiktok, twitter)");
}

// A platform whose posts hold 10 bytes, each byte counting 1 and "http" starting a link.
am_status ten_byte_length(void *, am_str text, am_text_length *out, am_buffer *error) {
  const std::string t = am::to_string(text);
  if (t.find('\xff') != std::string::npos) {
    *error = am::make_buffer("not UTF-8");
    return AM_INVALID_ARGUMENT;
  }
  out->length = static_cast<int32_t>(t.size());
  out->max_length = 10;
  out->links = t.find("http") != std::string::npos ? 1 : 0;
  return AM_OK;
}
am_status ten_byte_fit(void *, am_str text, int32_t max_length, am_buffer *out, am_buffer *) {
  *out = am::make_buffer(am::to_string(text).substr(0, max_length > 0 ? max_length : 10));
  return AM_OK;
}
am_status must_not_be_called(void *, am_str, am_text_length *, am_buffer *) {
  ADD_FAILURE() << "a 1.3 publisher's struct was read past its end";
  return AM_INTERNAL;
}

// SDK 1.4: a publisher's text rules, asked by plugin id through the registry.
TEST_F(PublishTest, TextRulesAreAskedOfTheNamedPublisher) {
  auto t = twitter_.table(AM_PUBLISH_TEXT);
  t.text_length = &ten_byte_length;
  t.fit_text = &ten_byte_fit;
  ASSERT_EQ(svc_->register_publisher(&twitter_ctx_->host, &t), AM_OK);
  am_text_length n{};
  n.struct_size = sizeof n;
  ASSERT_EQ(svc_->text_length(&afm_ctx_->host, am::to_am_str("twitter"),
                              am::to_am_str("see http://a"), &n, nullptr),
            AM_OK);
  EXPECT_EQ(n.length, 12);
  EXPECT_EQ(n.max_length, 10);
  EXPECT_EQ(n.links, 1);
  am::buffer cut, error;
  ASSERT_EQ(svc_->fit_text(&afm_ctx_->host, am::to_am_str("twitter"),
                           am::to_am_str("one two three"), 0, cut.out(), error.out()),
            AM_OK);
  EXPECT_EQ(cut.str(), "one two th");
  // The publisher's refusal comes back with its message, naming the plugin.
  EXPECT_EQ(svc_->text_length(&afm_ctx_->host, am::to_am_str("twitter"), am::to_am_str("\xff"), &n,
                              error.out()),
            AM_INVALID_ARGUMENT);
  EXPECT_EQ(error.str(), "twitter: not UTF-8");
  EXPECT_EQ(svc_->text_length(&afm_ctx_->host, am::to_am_str("mastodon"), am::to_am_str("x"), &n,
                              error.out()),
            AM_NOT_FOUND);
  EXPECT_NE(error.str().find("mastodon"), std::string::npos) << error.str();
}

// A publisher built for SDK 1.3 registers a shorter struct: the registry copies only what it
// has, and asking it for text rules is a clear AM_UNSUPPORTED naming the plugin.
TEST_F(PublishTest, APublisherBuiltForOneThreeHasNoTextRules) {
  am_publisher grown = tiktok_.table(AM_PUBLISH_TEXT | AM_PUBLISH_VIDEO);
  grown.struct_size = offsetof(am_publisher, text_length);  // 32: what a 1.3 plugin sends
  grown.text_length = &must_not_be_called;                  // beyond its end: never read
  ASSERT_EQ(svc_->register_publisher(&tiktok_ctx_->host, &grown), AM_OK);
  am_text_length n{};
  n.struct_size = sizeof n;
  am::buffer error, cut;
  EXPECT_EQ(svc_->text_length(&afm_ctx_->host, am::to_am_str("tiktok"), am::to_am_str("x"), &n,
                              error.out()),
            AM_UNSUPPORTED);
  EXPECT_NE(error.str().find("tiktok offers no text rules"), std::string::npos) << error.str();
  EXPECT_NE(error.str().find("SDK 1.3"), std::string::npos) << error.str();
  EXPECT_EQ(svc_->fit_text(&afm_ctx_->host, am::to_am_str("tiktok"), am::to_am_str("x"), 0,
                           cut.out(), error.out()),
            AM_UNSUPPORTED);
  EXPECT_EQ(cut.size(), 0u);
  // It still publishes.
  EXPECT_EQ(svc_->find(&afm_ctx_->host, am::to_am_str("tiktok"), AM_PUBLISH_VIDEO, nullptr), AM_OK);
}

TEST_F(PublishTest, TextPublicationCompletesOnceWithIdAndUrl) {
  register_both();
  auto job = make_job();
  Completion c;
  am_op_id op = publish(job, "twitter", "main", "Hello from the affiliate plugin", "", c);
  EXPECT_NE(op, 0u);
  c.wait();
  EXPECT_EQ(c.status, AM_OK) << c.error;
  EXPECT_TRUE(c.on_strand);
  auto r = json::parse(c.result).as_object();
  EXPECT_EQ(r.at("id"), "100");
  EXPECT_EQ(r.at("url"), "https://x.example/main/100");
  EXPECT_EQ(twitter_.texts, std::vector<std::string>{"Hello from the affiliate plugin"});
  EXPECT_TRUE(tiktok_.texts.empty());
  job->wait_idle();
  EXPECT_EQ(c.calls.load(), 1);
}

TEST_F(PublishTest, VideoGoesToTheVideoPublisherWithItsFile) {
  register_both();
  automuse::testing::TempFolder tmp;
  auto file = tmp / "clip.mp4";
  std::ofstream(file) << "not really a video";
  auto job = make_job();
  Completion c;
  publish(job, "tiktok", "clips", "New Short", file.string(), c);
  c.wait();
  EXPECT_EQ(c.status, AM_OK) << c.error;
  EXPECT_EQ(json::parse(c.result).at("url"), "https://tiktok.example/clips/100");
  EXPECT_EQ(tiktok_.media, std::vector<std::string>{file.string()});
}

TEST_F(PublishTest, VideoToATextOnlyPublisherIsUnsupported) {
  register_both();
  auto job = make_job();
  Completion c;
  publish(job, "twitter", "main", "caption", "/tmp/some.mp4", c);
  c.wait();
  EXPECT_EQ(c.status, AM_UNSUPPORTED);
  EXPECT_EQ(c.error, "twitter publishes text, not video");
  EXPECT_EQ(c.result, "null");
  EXPECT_TRUE(twitter_.texts.empty());
}

TEST_F(PublishTest, UnknownPluginAccountOrEmptyContent) {
  register_both();
  auto job = make_job();
  Completion unknown_plugin, unknown_account, empty;
  publish(job, "mastodon", "main", "hi", "", unknown_plugin);
  publish(job, "twitter", "nobody", "hi", "", unknown_account);
  publish(job, "twitter", "main", "", "", empty);
  unknown_plugin.wait();
  unknown_account.wait();
  empty.wait();
  EXPECT_EQ(unknown_plugin.status, AM_NOT_FOUND);
  EXPECT_EQ(unknown_account.status, AM_NOT_FOUND);
  EXPECT_EQ(unknown_account.error, "twitter refused to publish as 'nobody': not found");
  EXPECT_EQ(empty.status, AM_INVALID_ARGUMENT);
  EXPECT_TRUE(unknown_plugin.on_strand && unknown_account.on_strand && empty.on_strand);
}

TEST_F(PublishTest, APublisherCompletingTwiceIsDeliveredOnce) {
  register_both();
  twitter_.complete_twice = true;
  auto job = make_job();
  Completion c;
  publish(job, "twitter", "main", "once", "", c);
  c.wait();
  job->wait_idle();
  EXPECT_EQ(c.calls.load(), 1);
  EXPECT_EQ(c.status, AM_OK);
}

TEST_F(PublishTest, CancelStopsAPublicationOnce) {
  register_both();
  tiktok_.delay_ms = 10000;
  auto job = make_job();
  Completion c;
  am_op_id op = publish(job, "tiktok", "clips", "slow", "", c);
  svc_->cancel(&afm_ctx_->host, job.get(), op);
  c.wait();
  EXPECT_EQ(c.status, AM_CANCELLED);
  svc_->cancel(&afm_ctx_->host, job.get(), op);  // harmless after the end
  job->wait_idle();
  EXPECT_EQ(c.calls.load(), 1);
  EXPECT_TRUE(tiktok_.texts.empty());
}

TEST_F(PublishTest, CancellingTheCallersJobCancelsItsPublications) {
  register_both();
  tiktok_.delay_ms = 10000;
  auto job = make_job();
  Completion a, b;
  publish(job, "tiktok", "clips", "one", "", a);
  publish(job, "tiktok", "clips", "two", "", b);
  job->cancel();
  a.wait();
  b.wait();
  EXPECT_EQ(a.status, AM_CANCELLED);
  EXPECT_EQ(b.status, AM_CANCELLED);
}

TEST_F(PublishTest, UnregisteredPublisherIsGone) {
  register_both();
  svc_->unregister_publisher(&twitter_ctx_->host);
  EXPECT_EQ(svc_->find(&afm_ctx_->host, am::to_am_str("twitter"), AM_PUBLISH_TEXT, nullptr),
            AM_NOT_FOUND);
  svc_->unregister_publisher(&twitter_ctx_->host);  // harmless
}

TEST_F(PublishTest, ALoaderBringsInAPublisherOnDemandOnce) {
  int loads = 0;
  registry_.set_loader([&](const std::string &id) -> std::shared_ptr<const void> {
    ++loads;
    if (id != "twitter") throw std::runtime_error("no plugin called " + id);
    auto t = twitter_.table(AM_PUBLISH_TEXT);  // what the plugin's init does
    EXPECT_EQ(svc_->register_publisher(&twitter_ctx_->host, &t), AM_OK);
    return std::make_shared<int>(1);
  });
  auto job = make_job();
  Completion c, d;
  publish(job, "twitter", "main", "loaded on demand", "", c);
  c.wait();
  EXPECT_EQ(c.status, AM_OK) << c.error;
  publish(job, "twitter", "main", "again", "", d);
  d.wait();
  EXPECT_EQ(loads, 1);
  am::buffer error;
  EXPECT_EQ(svc_->find(&afm_ctx_->host, am::to_am_str("nope"), AM_PUBLISH_TEXT, error.out()),
            AM_NOT_FOUND);
  EXPECT_EQ(error.str(), "no publisher 'nope': no plugin called nope");
}

TEST_F(PublishTest, ReleasingLoadedPluginsDeinitialisesThemOnce) {
  int loads = 0, deinits = 0;
  registry_.set_loader([&](const std::string &) -> std::shared_ptr<const void> {
    ++loads;
    auto t = twitter_.table(AM_PUBLISH_TEXT);
    EXPECT_EQ(svc_->register_publisher(&twitter_ctx_->host, &t), AM_OK);
    // Dropping the module runs the plugin's deinit, which unregisters through the registry.
    return std::shared_ptr<const void>(new int(1), [&](const void *p) {
      ++deinits;
      svc_->unregister_publisher(&twitter_ctx_->host);
      delete static_cast<const int *>(p);
    });
  });
  EXPECT_EQ(svc_->find(&afm_ctx_->host, am::to_am_str("twitter"), AM_PUBLISH_TEXT, nullptr), AM_OK);
  registry_.release_loaded();
  EXPECT_EQ(deinits, 1);
  // Gone, and not loaded again: the loader is dropped with what it loaded.
  EXPECT_EQ(svc_->find(&afm_ctx_->host, am::to_am_str("twitter"), AM_PUBLISH_TEXT, nullptr),
            AM_NOT_FOUND);
  EXPECT_EQ(loads, 1);
  registry_.release_loaded();  // harmless twice
  EXPECT_EQ(deinits, 1);
}

// A lookup from a job's thread, posted there; the test thread plays the host's main thread.
struct Lookup {
  std::atomic<bool> done{false};
  am_status status = AM_INTERNAL;
  std::string error;
};

void find_on_job(const am_publish *svc, const am_host *host, const core::JobPtr &job, Lookup &out) {
  job->post([svc, host, &out] {
    am::buffer error;
    out.status =
        svc->find(host, am::to_am_str(std::string("twitter")), AM_PUBLISH_TEXT, error.out());
    out.error = out.status == AM_OK ? "" : error.str();
    out.done = true;
  });
}

// A loader that loads "twitter" (registers it, as its init would) and notes the thread.
class MainThreadLoads : public PublishTest {
 protected:
  void load_twitter_noting_thread(std::thread::id &loaded_on) {
    registry_.set_loader([&](const std::string &) -> std::shared_ptr<const void> {
      loaded_on = std::this_thread::get_id();
      auto t = twitter_.table(AM_PUBLISH_TEXT);
      EXPECT_EQ(svc_->register_publisher(&twitter_ctx_->host, &t), AM_OK);
      return std::make_shared<int>(1);
    });
  }
};

TEST_F(MainThreadLoads, ALoadAskedForOnAJobThreadRunsOnTheMainThread) {
  boost::asio::io_context main_io;
  std::thread::id loaded_on;
  load_twitter_noting_thread(loaded_on);
  registry_.set_main_thread(std::this_thread::get_id(), [&](std::function<void()> fn) {
    boost::asio::post(main_io, std::move(fn));
  });
  auto job = make_job();
  Lookup lookup;
  find_on_job(svc_, &afm_ctx_->host, job, lookup);
  // The job's thread waits while this (main) thread runs its loop: the load happens here.
  auto deadline = std::chrono::steady_clock::now() + 5s;
  while (!lookup.done && std::chrono::steady_clock::now() < deadline) {
    main_io.restart();
    main_io.run_one_for(10ms);
  }
  ASSERT_TRUE(lookup.done);
  EXPECT_EQ(lookup.status, AM_OK) << lookup.error;
  EXPECT_EQ(loaded_on, std::this_thread::get_id());
  registry_.clear_main_thread();
}

TEST_F(MainThreadLoads, AMainThreadThatNeverComesFailsTheLookupAndNeverLoads) {
  boost::asio::io_context main_io;  // nobody runs it in time
  int loads = 0;
  registry_.set_loader([&](const std::string &) -> std::shared_ptr<const void> {
    ++loads;
    return std::make_shared<int>(1);
  });
  registry_.set_main_thread(
      std::this_thread::get_id(),
      [&](std::function<void()> fn) { boost::asio::post(main_io, std::move(fn)); }, 100ms);
  auto job = make_job();
  Lookup lookup;
  find_on_job(svc_, &afm_ctx_->host, job, lookup);
  for (int i = 0; i < 500 && !lookup.done; ++i) std::this_thread::sleep_for(10ms);
  ASSERT_TRUE(lookup.done);
  EXPECT_EQ(lookup.status, AM_UNAVAILABLE);
  EXPECT_NE(lookup.error.find("cannot load the publisher 'twitter': the host's main thread"),
            std::string::npos)
      << lookup.error;
  main_io.run();  // the late handoff finds the lookup gone and loads nothing
  EXPECT_EQ(loads, 0);
  registry_.clear_main_thread();
}

TEST_F(MainThreadLoads, OnTheMainThreadItselfTheLoadRunsInPlace) {
  std::thread::id loaded_on;
  load_twitter_noting_thread(loaded_on);
  registry_.set_main_thread(std::this_thread::get_id(), [](std::function<void()>) {
    ADD_FAILURE() << "nothing is handed over from the main thread to itself";
  });
  EXPECT_EQ(svc_->find(&afm_ctx_->host, am::to_am_str("twitter"), AM_PUBLISH_TEXT, nullptr), AM_OK);
  EXPECT_EQ(loaded_on, std::this_thread::get_id());
  registry_.clear_main_thread();
}

// ---- the publication ledger around the registry

class LedgeredPublishTest : public PublishTest {
 protected:
  LedgeredPublishTest() { registry_.set_ledger(&ledger_); }
  ~LedgeredPublishTest() override {
    for (auto &j : jobs_) {  // every publication ends while the ledger is there
      j->cancel();
      j->wait_idle();
    }
    registry_.set_ledger(nullptr);
  }

  core::JobPtr job_of(const std::string &job_id, bool again = false) {
    auto job = make_job();
    job->set_run_info(am_job::RunInfo{job_id, "afm", "afm-account", again});
    return job;
  }
  ledger::Publication only_row() {
    auto rows = ledger_.list();
    EXPECT_EQ(rows.size(), 1u);
    return rows.empty() ? ledger::Publication{} : rows.front();
  }

  automuse::testing::TempFolder dir_;
  store::Store store_{dir_ / "automuse.db"};
  ledger::PublicationLedger ledger_{dir_ / "automuse.db"};
};

TEST_F(LedgeredPublishTest, TheSameTextIsPublishedOnceAndRecorded) {
  register_both();
  Completion first;
  publish(job_of("job-1"), "twitter", "main", "Salt the water", "", first);
  first.wait();
  ASSERT_EQ(first.status, AM_OK) << first.error;
  auto row = only_row();
  EXPECT_EQ(row.state, ledger::State::published);
  EXPECT_EQ(row.job_id, "job-1");
  EXPECT_EQ(row.plugin_id, "afm");
  EXPECT_EQ(row.target, "twitter");
  EXPECT_EQ(row.account_id, "main");  // no such account in the store: kept as given
  EXPECT_EQ(row.summary, "Salt the water");
  EXPECT_EQ(row.remote_id, "100");
  EXPECT_EQ(row.url, "https://x.example/main/100");

  Completion second;
  publish(job_of("job-2"), "twitter", "main", "Salt the water", "", second);
  second.wait();
  ASSERT_EQ(second.status, AM_OK) << second.error;
  auto r = json::parse(second.result).as_object();
  EXPECT_EQ(r.at("url"), "https://x.example/main/100");
  EXPECT_EQ(r.at("already_published"), true);
  EXPECT_EQ(twitter_.texts.size(), 1u) << "the publisher was not asked again";
  EXPECT_EQ(ledger_.list().size(), 1u);

  // Elsewhere, or other words, is another publication.
  Completion other;
  publish(job_of("job-2"), "twitter", "main", "Pepper too", "", other);
  other.wait();
  EXPECT_EQ(twitter_.texts.size(), 2u);
}

TEST_F(LedgeredPublishTest, TheCallersDigestNamesTheContent) {
  register_both();
  auto with_digest = [&](const std::string &text, Completion &c) {
    auto job = job_of("job-1");
    c.job = job.get();
    am_publish_content content{};
    content.struct_size = sizeof content;
    content.text = am::to_am_str(text);
    const std::string options = R"({"content_digest":"short-abc"})";
    content.options_json = am::to_am_str(options);
    std::promise<void> started;
    job->post([&] {
      svc_->publish(&afm_ctx_->host, job.get(), am::to_am_str(std::string("twitter")),
                    am::to_am_str(std::string("main")), &content, &Completion::done, &c);
      started.set_value();
    });
    started.get_future().wait();
    c.wait();
  };
  Completion a, b;
  with_digest("New Short: three hearts", a);
  with_digest("Worded otherwise: three hearts", b);
  EXPECT_EQ(a.status, AM_OK);
  EXPECT_EQ(b.status, AM_OK);
  EXPECT_EQ(twitter_.texts.size(), 1u);
  EXPECT_EQ(only_row().digest, "short-abc");
}

TEST_F(LedgeredPublishTest, AgainPublishesAnew) {
  register_both();
  Completion first, again;
  publish(job_of("job-1"), "twitter", "main", "Salt", "", first);
  first.wait();
  publish(job_of("job-2", true), "twitter", "main", "Salt", "", again);
  again.wait();
  EXPECT_EQ(again.status, AM_OK);
  EXPECT_EQ(twitter_.texts.size(), 2u);
  EXPECT_EQ(ledger_.list().size(), 2u);
}

TEST_F(LedgeredPublishTest, ARefusalIsRecordedFailedAndMayBeRetried) {
  register_both();
  Completion refused;
  publish(job_of("job-1"), "twitter", "nobody", "Salt", "", refused);
  refused.wait();
  EXPECT_EQ(refused.status, AM_NOT_FOUND);
  EXPECT_EQ(only_row().state, ledger::State::failed);
  twitter_.accounts["nobody"] = "2";
  Completion retried;
  publish(job_of("job-2"), "twitter", "nobody", "Salt", "", retried);
  retried.wait();
  EXPECT_EQ(retried.status, AM_OK);
  EXPECT_EQ(ledger_.list().front().state, ledger::State::published);
}

TEST_F(LedgeredPublishTest, ACancelledPublicationStaysUnfinishedAndGoesThroughThePublisherAgain) {
  register_both();
  twitter_.delay_ms = 10000;
  auto job = job_of("job-1");
  Completion cancelled;
  am_op_id op = publish(job, "twitter", "main", "Salt", "", cancelled);
  svc_->cancel(&afm_ctx_->host, job.get(), op);
  cancelled.wait();
  EXPECT_EQ(cancelled.status, AM_CANCELLED);
  EXPECT_EQ(only_row().state, ledger::State::intended);
  twitter_.delay_ms = 5;
  Completion resumed;
  publish(job_of("job-1"), "twitter", "main", "Salt", "", resumed);
  resumed.wait();
  EXPECT_EQ(resumed.status, AM_OK);
  auto row = only_row();
  EXPECT_EQ(row.state, ledger::State::published);
  EXPECT_EQ(twitter_.texts.size(), 1u);
}

// A publisher that could not settle a lost answer completes AM_UNCERTAIN: the ledger keeps its
// message as the note, and the same content is never handed to the publisher again by itself.
// A publisher built before 1.3 says "error" instead: the row stays intended (unchanged rule).
// A publisher that could not settle a lost answer completes AM_UNCERTAIN: the ledger keeps its
// message as the note, and the same content is never handed to the publisher again by itself.
// A publisher built before 1.3 says "error" instead: the row stays intended (unchanged rule).
class LedgeredLostAnswerTest : public LedgeredPublishTest {
 protected:
  // "Salt" published as main by `job` through a twitter publisher whose answer is lost and
  // which then completes with `status` and `error`.
  am_status publish_losing_the_answer(const char *job, am_status status, std::string error) {
    twitter_.lost_answer = status;
    twitter_.lost_answer_error = std::move(error);
    Completion c;
    publish(job_of(job), "twitter", "main", "Salt", "", c);
    c.wait();
    twitter_.lost_answer = AM_OK;
    return c.status;
  }
};

TEST_F(LedgeredLostAnswerTest, APublisherReportingUncertainIsRecordedUncertainAndNotCalledAgain) {
  register_both();
  const std::string how = "twitter:main: X's answer was lost; look for 'Salt' on x.com";
  EXPECT_EQ(publish_losing_the_answer("job-1", AM_UNCERTAIN, how), AM_UNCERTAIN);
  auto row = only_row();
  EXPECT_EQ(row.state, ledger::State::uncertain);
  EXPECT_EQ(row.note.value_or(""), how);
  ASSERT_EQ(twitter_.texts.size(), 1u);

  for (const char *job : {"job-1", "job-2"}) {  // the same job resumed, and another
    Completion again;
    publish(job_of(job), "twitter", "main", "Salt", "", again);
    again.wait();
    EXPECT_EQ(again.status, AM_UNCERTAIN) << job;
    EXPECT_NE(again.error.find("look for 'Salt' on x.com"), std::string::npos) << again.error;
    EXPECT_EQ(twitter_.texts.size(), 1u) << job << ": the publisher was not called";
  }
}

TEST_F(LedgeredLostAnswerTest, AnOldPublishersPlainErrorLeavesTheRowIntended) {
  register_both();
  EXPECT_EQ(publish_losing_the_answer("job-1", AM_ERROR, "twitter:main: went wrong"), AM_ERROR);
  EXPECT_EQ(only_row().state, ledger::State::intended);
}

TEST_F(LedgeredPublishTest, AnUncertainPublicationIsNotRepeated) {
  register_both();
  Completion first;
  auto job = job_of("job-1");
  twitter_.delay_ms = 10000;
  am_op_id op = publish(job, "twitter", "main", "Salt", "", first);
  svc_->cancel(&afm_ctx_->host, job.get(), op);
  first.wait();
  ledger_.uncertain(only_row().id, "look for 'Salt' on the account's timeline");
  Completion second;
  publish(job_of("job-2"), "twitter", "main", "Salt", "", second);
  second.wait();
  EXPECT_EQ(second.status, AM_UNCERTAIN);
  EXPECT_NE(second.error.find("look for 'Salt' on the account's timeline"), std::string::npos)
      << second.error;
  EXPECT_NE(second.error.find("--again"), std::string::npos);
  EXPECT_TRUE(twitter_.texts.empty());
}

}  // namespace
}  // namespace automuse::publish
