// host/publish/publish_registry.cpp — the publish registry and its C table.
#include "publish/publish_registry.hpp"

#include <algorithm>
#include <automuse/cpp/buffer.hpp>
#include <automuse/cpp/str.hpp>
#include <boost/json.hpp>
#include <condition_variable>
#include <cstdint>
#include <cstring>
#include <exception>
#include <map>
#include <mutex>
#include <stdexcept>
#include <utility>

#include "core/job.hpp"
#include "log/logging.hpp"
#include "publish/publish_ledger.hpp"

namespace automuse::publish {
namespace {

constexpr am_publish_kinds kKnownKinds = AM_PUBLISH_TEXT | AM_PUBLISH_VIDEO;

// One publication: owned copies of the content, and where its completion goes.
struct Publication {
  std::shared_ptr<am_job> job;
  am_op_id op = 0;
  am_publish_done_fn done = nullptr;
  void *user = nullptr;
  std::string text, media_path, title, options_json, account;
  ledger::PublicationLedger *ledger = nullptr;  // records the outcome of ledger row ledger_id
  int64_t ledger_id = 0;
};

void deliver(const std::shared_ptr<Publication> &p, am_status status, std::string error,
             std::string result) {
  p->job->complete_op(p->op, [p, status, error = std::move(error), result = std::move(result)] {
    p->done(p->user, status, am::to_am_str(error), am::to_am_str(result));
  });
}

// Publications whose publisher has not answered yet, by op id (unique in the process). The
// publisher's done_user is the op id, not a pointer, so a second or late call from a buggy
// publisher finds nothing and is dropped instead of touching freed memory.
std::mutex g_open_mutex;
std::map<am_op_id, std::shared_ptr<Publication>> g_open;

std::shared_ptr<Publication> take_open(am_op_id op) {
  std::lock_guard lock(g_open_mutex);
  auto it = g_open.find(op);
  if (it == g_open.end()) return nullptr;
  auto p = std::move(it->second);
  g_open.erase(it);
  return p;
}

// The publisher's completion: the registry makes it exactly-once and moves it to the strand.
void on_publisher_done(void *user, am_status status, am_str error, am_str result_json) {
  auto p = take_open(static_cast<am_op_id>(reinterpret_cast<uintptr_t>(user)));
  if (!p) return;  // a repeated completion: an ABI violation by the publisher, ignored
  std::string result = am::to_string(result_json);
  if (status != AM_OK || result.empty()) result = "null";
  if (p->ledger) record_outcome(*p->ledger, p->ledger_id, status, am::to_string(error), result);
  deliver(p, status, am::to_string(error), std::move(result));
}

// The caller's publisher copied into a full-size struct: a publisher built for an older SDK
// sends a shorter one (its struct_size says how long), and the fields it lacks stay zero.
am_publisher copy_publisher(const am_publisher &given) {
  am_publisher copy{};
  std::memcpy(&copy, &given, std::min<size_t>(given.struct_size, sizeof copy));
  return copy;
}

am_status no_text_rules(const std::string &plugin_id, const std::string &what, std::string &error) {
  error = plugin_id + " offers no text rules (" + what +
          "): its publisher was built for SDK 1.3 or earlier, or its platform has none";
  return AM_UNSUPPORTED;
}

// Runs `body`, which fills its message on failure; the message goes to *error (when given).
template <class Body>
am_status answer(am_buffer *error, Body &&body) {
  std::string message;
  am_status s = AM_INTERNAL;
  try {
    s = body(message);
  } catch (const std::exception &e) {
    message = e.what();
  }
  if (s != AM_OK && error) *error = am::make_buffer(message);
  return s;
}

// Asks the publisher of `plugin_id` for its text rule `Entry` (called `name`) through `call`;
// the publisher's failure comes back prefixed with the plugin id.
template <auto Entry, class Call>
am_status ask_text_rule(PublishRegistry &registry, am_str plugin_id, const char *name,
                        am_buffer *error, Call &&call) {
  return answer(error, [&](std::string &message) {
    const std::string id = am::to_string(plugin_id);
    am_publisher p{};
    am_status s = registry.text_rules(id, p, message);
    if (s == AM_OK && !(p.*Entry)) s = no_text_rules(id, name, message);
    if (s != AM_OK) return s;
    am::buffer publisher_error;
    s = call(p, publisher_error.out());
    if (s != AM_OK) message = id + ": " + publisher_error.str();
    return s;
  });
}

}  // namespace

std::string kinds_text(am_publish_kinds kinds) {
  std::string out;
  if (kinds & AM_PUBLISH_TEXT) out += "text";
  if (kinds & AM_PUBLISH_VIDEO) out += out.empty() ? "video" : " and video";
  return out.empty() ? "nothing" : out;
}

PublishRegistry::PublishRegistry() : table_{} {
  table_.struct_size = sizeof(am_publish);
  table_.register_publisher = [](const am_host *host, const am_publisher *p) -> am_status {
    if (!host || !p) return AM_INVALID_ARGUMENT;
    std::string error;
    return of(host).add(core::context_of(host).plugin_id, copy_publisher(*p), error);
  };
  table_.unregister_publisher = [](const am_host *host) {
    if (host) of(host).remove(core::context_of(host).plugin_id);
  };
  table_.list = [](const am_host *host, am_buffer *out) -> am_status {
    if (!host || !out) return AM_INVALID_ARGUMENT;
    *out = am::make_buffer(of(host).list_json());
    return AM_OK;
  };
  table_.find = [](const am_host *host, am_str plugin_id, am_publish_kinds kinds,
                   am_buffer *error) -> am_status {
    if (!host) return AM_INVALID_ARGUMENT;
    std::string message;
    am_status s = of(host).find(am::to_string(plugin_id), kinds, message);
    if (s != AM_OK && error) *error = am::make_buffer(message);
    return s;
  };
  table_.publish = [](const am_host *host, am_job *job, am_str plugin_id, am_str account,
                      const am_publish_content *content, am_publish_done_fn done,
                      void *user) -> am_op_id {
    auto p = std::make_shared<Publication>();
    p->job = job->shared_from_this();
    p->done = done;
    p->user = user;
    p->account = am::to_string(account);
    const std::string id = am::to_string(plugin_id);
    if (content) {
      // Read only the fields the caller's struct has (older SDKs send a shorter struct).
      p->text = am::to_string(content->text);
      if (AM_HAS_FIELD(content, am_publish_content, media_path))
        p->media_path = am::to_string(content->media_path);
      if (AM_HAS_FIELD(content, am_publish_content, title))
        p->title = am::to_string(content->title);
      if (AM_HAS_FIELD(content, am_publish_content, options_json))
        p->options_json = am::to_string(content->options_json);
    }
    PublishRegistry &self = of(host);

    // Look the publisher up (loading its plugin if the host can) and check what it takes.
    am_publish_kinds needed = 0;
    if (!p->text.empty()) needed |= AM_PUBLISH_TEXT;
    if (!p->media_path.empty()) needed |= AM_PUBLISH_VIDEO;
    std::string error;
    am_status status = AM_OK;
    am_publisher publisher{};
    if (needed == 0) {
      status = AM_INVALID_ARGUMENT;
      error = "publish via " + id + ": nothing to publish (no text and no media_path)";
    } else {
      status = self.find(id, needed, error);
      if (status == AM_OK) {
        std::lock_guard lock(self.mutex_);
        publisher = self.publishers_.at(id);
      }
    }

    // The cancel hook needs the op id, which add_op assigns: share it through a cell.
    auto op_cell = std::make_shared<am_op_id>(0);
    p->op = p->job->add_op([publisher, job, op_cell](am_op_id) {
      if (publisher.cancel) publisher.cancel(publisher.user, job, *op_cell);
    });
    *op_cell = p->op;
    if (status != AM_OK) {
      deliver(p, status, std::move(error), "null");
      return p->op;
    }
    if (self.ledger_) {
      // The intent goes into the ledger before the publisher sees anything.
      const std::string where = id + ":" + p->account;
      try {
        const std::string digest =
            take_content_digest(p->options_json, p->text, p->title, p->media_path);
        auto intended = self.ledger_->intend(
            intent_for(*self.ledger_, *job, id, p->account, digest, p->title, p->text));
        const ledger::Publication &row = intended.row;
        if (row.state == ledger::State::published) {
          log::write("host", spdlog::level::info,
                     job->name() + ": already published to " + where + " (" + row.url.value_or("") +
                         ", ledger entry " + std::to_string(row.id) +
                         "); not published again (--again would)");
          deliver(p, AM_OK, "", already_published_json(row));
          return p->op;
        }
        if (row.state == ledger::State::uncertain) {
          deliver(p, AM_UNCERTAIN, uncertain_message(row, p->account), "null");
          return p->op;
        }
        p->ledger = self.ledger_;
        p->ledger_id = row.id;
      } catch (const std::exception &e) {
        deliver(p, AM_IO, "publish via " + where + ": the publication ledger: " + e.what(), "null");
        return p->op;
      }
    }

    am_publish_content copy{};
    copy.struct_size = sizeof copy;
    copy.text = am::to_am_str(p->text);
    copy.media_path = am::to_am_str(p->media_path);
    copy.title = am::to_am_str(p->title);
    copy.options_json = am::to_am_str(p->options_json);
    {
      std::lock_guard lock(g_open_mutex);
      g_open[p->op] = p;
    }
    status = publisher.start(publisher.user, job, p->op, am::to_am_str(p->account), &copy,
                             &on_publisher_done,
                             reinterpret_cast<void *>(static_cast<uintptr_t>(p->op)));
    if (status != AM_OK && take_open(p->op)) {
      // Refused at once: nothing was published.
      if (p->ledger)
        record_outcome(*p->ledger, p->ledger_id, AM_INVALID_ARGUMENT,
                       id + " refused: " + am_status_name(status), "null");
      deliver(p, status,
              id + " refused to publish as '" + p->account + "': " + am_status_name(status),
              "null");
    }
    return p->op;
  };
  table_.cancel = [](const am_host *, am_job *job, am_op_id op) {
    if (job) job->cancel_op(op);
  };
  add_text_rules(table_);
}

// The SDK 1.4 entries: a publisher's own text rules, asked by plugin id.
void PublishRegistry::add_text_rules(am_publish &table) {
  table.text_length = [](const am_host *host, am_str plugin_id, am_str text, am_text_length *out,
                         am_buffer *error) -> am_status {
    if (!host || !out) return AM_INVALID_ARGUMENT;
    return ask_text_rule<&am_publisher::text_length>(
        of(host), plugin_id, "text_length", error, [&](const am_publisher &p, am_buffer *failed) {
          return p.text_length(p.user, text, out, failed);
        });
  };
  table.fit_text = [](const am_host *host, am_str plugin_id, am_str text, int32_t max_length,
                      am_buffer *out_text, am_buffer *error) -> am_status {
    if (!host || !out_text) return AM_INVALID_ARGUMENT;
    return ask_text_rule<&am_publisher::fit_text>(
        of(host), plugin_id, "fit_text", error, [&](const am_publisher &p, am_buffer *failed) {
          return p.fit_text(p.user, text, max_length, out_text, failed);
        });
  };
}

am_status PublishRegistry::text_rules(const std::string &plugin_id, am_publisher &out,
                                      std::string &error) {
  am_status s = find(plugin_id, AM_PUBLISH_TEXT, error);
  if (s != AM_OK) return s;
  std::lock_guard lock(mutex_);
  out = publishers_.at(plugin_id);
  if (!AM_HAS_FIELD(&out, am_publisher, fit_text))
    return no_text_rules(plugin_id, "text rules", error);
  return AM_OK;
}

PublishRegistry::~PublishRegistry() {
  release_loaded();
}

void PublishRegistry::release_loaded() {
  std::map<std::string, std::shared_ptr<const void>> loaded;
  {
    std::lock_guard lock(mutex_);
    loaded.swap(loaded_);
    loader_ = nullptr;
  }
  loaded.clear();  // outside the lock: a plugin's deinit unregisters through this registry
}

PublishRegistry *PublishRegistry::in(const core::ServiceRegistry &services) {
  const void *table = services.find(AM_PUBLISH_SERVICE_ID);
  return const_cast<PublishRegistry *>(reinterpret_cast<const PublishRegistry *>(table));
}

PublishRegistry &PublishRegistry::of(const am_host *host) {
  return *in(*core::context_of(host).services);
}

void PublishRegistry::set_main_thread(std::thread::id main, Post post,
                                      std::chrono::milliseconds wait) {
  std::lock_guard lock(mutex_);
  main_thread_ = main;
  post_to_main_ = std::move(post);
  main_wait_ = wait;
}

void PublishRegistry::clear_main_thread() {
  std::lock_guard lock(mutex_);
  main_thread_ = std::thread::id();
  post_to_main_ = nullptr;
}

namespace {

// The main thread was busy for too long: the lookup fails as unavailable (worth a retry).
class MainThreadBusy : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// A load handed to the main thread: the waiting thread may give up only while it has not
// begun, so a load either runs to its end (and is waited for) or never runs.
struct Handoff {
  enum class State { waiting, loading, done, abandoned };
  std::mutex mutex;
  std::condition_variable changed;
  State state = State::waiting;
  std::shared_ptr<const void> module;
  std::exception_ptr error;
};

}  // namespace

std::shared_ptr<const void> PublishRegistry::load(const Loader &loader,
                                                  const std::string &plugin_id) {
  Post post;
  std::chrono::milliseconds wait{0};
  {
    std::lock_guard lock(mutex_);
    if (post_to_main_ && std::this_thread::get_id() != main_thread_) {
      post = post_to_main_;
      wait = main_wait_;
    }
  }
  if (!post) return loader(plugin_id);  // on the main thread already, or no main loop

  auto handoff = std::make_shared<Handoff>();
  post([handoff, loader, plugin_id] {
    {
      std::lock_guard lock(handoff->mutex);
      if (handoff->state == Handoff::State::abandoned) return;
      handoff->state = Handoff::State::loading;
    }
    std::shared_ptr<const void> module;
    std::exception_ptr error;
    try {
      module = loader(plugin_id);
    } catch (...) {
      error = std::current_exception();
    }
    std::lock_guard lock(handoff->mutex);
    handoff->module = std::move(module);
    handoff->error = std::move(error);  // no reference left here: see the end of load()
    handoff->state = Handoff::State::done;
    handoff->changed.notify_all();
  });
  std::unique_lock lock(handoff->mutex);
  handoff->changed.wait_for(lock, wait, [&] { return handoff->state != Handoff::State::waiting; });
  if (handoff->state == Handoff::State::waiting) {
    handoff->state = Handoff::State::abandoned;
    throw MainThreadBusy(
        "the host's main thread, where plugins are loaded, did not get to it within " +
        std::to_string(wait.count()) + " ms");
  }
  // Begun: a plugin's init is not interrupted halfway, so its end is waited for.
  handoff->changed.wait(lock, [&] { return handoff->state == Handoff::State::done; });
  // The exception moves here whole, no reference to it left on the main thread (whose
  // handoff may outlive this thread's handling of it): libstdc++ counts those references in
  // code ThreadSanitizer cannot see, so a last reference dropped there is reported as a
  // race between its free and this thread's reading of the message.
  std::exception_ptr error = std::exchange(handoff->error, nullptr);
  if (error) std::rethrow_exception(error);
  return handoff->module;
}

void PublishRegistry::set_loader(Loader loader) {
  std::lock_guard lock(mutex_);
  loader_ = std::move(loader);
}

am_status PublishRegistry::add(const std::string &plugin_id, const am_publisher &publisher,
                               std::string &error) {
  if (!AM_HAS_FIELD(&publisher, am_publisher, cancel) || !publisher.start ||
      (publisher.kinds & kKnownKinds) == 0) {
    error = plugin_id + ": a publisher needs struct_size, start and at least one known kind";
    return AM_INVALID_ARGUMENT;
  }
  std::lock_guard lock(mutex_);
  if (publishers_.count(plugin_id)) {
    error = plugin_id + " is already registered as a publisher";
    return AM_ERROR;
  }
  publishers_[plugin_id] = publisher;
  return AM_OK;
}

void PublishRegistry::remove(const std::string &plugin_id) {
  std::lock_guard lock(mutex_);
  publishers_.erase(plugin_id);
}

am_status PublishRegistry::find(const std::string &plugin_id, am_publish_kinds kinds,
                                std::string &error) {
  std::unique_lock lock(mutex_);
  auto it = publishers_.find(plugin_id);
  if (it == publishers_.end() && loader_ && !loaded_.count(plugin_id)) {
    // Load outside the lock: the plugin's init registers through this registry.
    Loader loader = loader_;
    lock.unlock();
    std::shared_ptr<const void> module;
    try {
      module = load(loader, plugin_id);
    } catch (const MainThreadBusy &e) {
      error = "cannot load the publisher '" + plugin_id + "': " + e.what();
      return AM_UNAVAILABLE;
    } catch (const std::exception &e) {
      error = "no publisher '" + plugin_id + "': " + e.what();
      return AM_NOT_FOUND;
    }
    lock.lock();
    loaded_[plugin_id] = std::move(module);
    it = publishers_.find(plugin_id);
  }
  if (it == publishers_.end()) {
    std::string known;
    for (auto &[id, p] : publishers_) known += (known.empty() ? "" : ", ") + id;
    error =
        "no publisher '" + plugin_id + "' (publishers: " + (known.empty() ? "none" : known) + ")";
    return AM_NOT_FOUND;
  }
  if ((it->second.kinds & kinds) != kinds) {
    error = plugin_id + " publishes " + kinds_text(it->second.kinds) + ", not " +
            kinds_text(kinds & ~it->second.kinds);
    return AM_UNSUPPORTED;
  }
  return AM_OK;
}

std::string PublishRegistry::list_json() const {
  boost::json::array out;
  std::lock_guard lock(mutex_);
  for (auto &[id, p] : publishers_) {
    boost::json::array kinds;
    if (p.kinds & AM_PUBLISH_TEXT) kinds.emplace_back("text");
    if (p.kinds & AM_PUBLISH_VIDEO) kinds.emplace_back("video");
    out.push_back(boost::json::object{{"plugin", id}, {"kinds", std::move(kinds)}});
  }
  return boost::json::serialize(out);
}

}  // namespace automuse::publish
