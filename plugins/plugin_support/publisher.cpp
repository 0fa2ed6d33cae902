// plugins/plugin_support/publisher.cpp — the publisher's registration and its C callbacks.
#include "publisher.hpp"

#include <automuse/cpp/error.hpp>
#include <automuse/cpp/log.hpp>
#include <automuse/cpp/str.hpp>

namespace plugin_support {

void Publisher::register_with(const am::host &host, am_publish_kinds kinds, Start start,
                              TextRules rules) {
  host_ = host;
  start_ = std::move(start);
  const auto *publish = host_.find<am_publish>(AM_PUBLISH_SERVICE_ID);
  if (!publish) return;
  am_publisher p{};
  p.struct_size = sizeof p;
  p.kinds = kinds;
  p.user = this;
  p.start = &Publisher::start;
  p.cancel = &Publisher::cancel;
  p.text_length = rules.length;
  p.fit_text = rules.fit;
  registered_ = publish->register_publisher(host_.get(), &p) == AM_OK;
  if (!registered_) am::logger(host_).warn("could not register as a publisher");
}

void Publisher::unregister() {
  if (registered_)
    if (const auto *publish = host_.find<am_publish>(AM_PUBLISH_SERVICE_ID))
      publish->unregister_publisher(host_.get());
  registered_ = false;
  host_ = am::host();
}

am_status Publisher::start(void *user, am_job *job, am_op_id op, am_str account,
                           const am_publish_content *content, am_publish_done_fn done,
                           void *done_user) {
  auto *self = static_cast<Publisher *>(user);
  try {
    auto stop = std::make_shared<std::atomic<bool>>(false);
    am::task<std::string> work =
        self->start_(am::job(self->host_, job), am::to_string(account), *content, stop);
    {
      std::lock_guard lock(self->ops_mutex_);
      self->ops_[op] = stop;
    }
    am::spawn(std::move(work), [self, op, done, done_user](am::outcome<std::string> &&o) noexcept {
      self->finish(op, done, done_user, std::move(o));
    });
    return AM_OK;
  } catch (...) {
    return am::current_exception_status().first;
  }
}

void Publisher::cancel(void *user, am_job *, am_op_id op) {
  auto *self = static_cast<Publisher *>(user);
  std::lock_guard lock(self->ops_mutex_);
  if (auto it = self->ops_.find(op); it != self->ops_.end()) it->second->store(true);
}

void Publisher::finish(am_op_id op, am_publish_done_fn done, void *done_user,
                       am::outcome<std::string> &&o) noexcept {
  {
    std::lock_guard lock(ops_mutex_);
    ops_.erase(op);
  }
  if (o.ok()) {
    done(done_user, AM_OK, am_str{"", 0}, am::to_am_str(*o.value));
    return;
  }
  std::pair<am_status, std::string> failure{AM_INTERNAL, "unknown failure"};
  try {
    std::rethrow_exception(o.exception);
  } catch (...) {
    failure = am::current_exception_status();
  }
  done(done_user, failure.first, am::to_am_str(failure.second), am_str{"null", 4});
}

}  // namespace plugin_support
