// automuse/cpp/publish.hpp — C++ access to "automuse.publish/1" for plugins that publish
// through another plugin (the affiliate plugin sharing a pitch on X, the YouTube plugin
// cross-posting a Short), so plugin code reads
//
//   am::publisher_client publish(host);
//   am::publish_content c; c.text = "New Short: https://youtu.be/abc";
//   am::published p = co_await publish.send(job, "twitter", "main", c);  // p.id, p.url
//
// and asks a publisher for its platform's text rules (SDK 1.4) without knowing the platform:
//
//   am::text_length n = publish.measure("twitter", pitch);   // n.length, n.max_length
//   std::string cut = publish.fit_text("twitter", pitch, 200);
//
// Failures throw am::error with the registry's status and message (which names the plugin
// and account). The coroutine resumes on the job's executor.
#pragma once

#include <automuse/publish.h>

#include <automuse/cpp/async.hpp>
#include <automuse/cpp/buffer.hpp>
#include <automuse/cpp/error.hpp>
#include <automuse/cpp/host.hpp>
#include <automuse/cpp/job.hpp>
#include <automuse/cpp/str.hpp>
#include <string>
#include <utility>

namespace am {

// What to publish; empty fields are left out.
struct publish_content {
  std::string text;          // the post's text or the video's description
  std::string media_path;    // a local file to attach (a video)
  std::string title;         // for platforms that want one
  std::string options_json;  // publisher-specific options as a JSON object
};

// A text measured by a publisher's rules (see am_text_length).
struct text_length {
  int length = 0;      // in the platform's unit (X: weighted characters)
  int max_length = 0;  // the most one post may hold; 0 when unlimited
  int links = 0;       // links the platform recognises in the text
};

// The published item: at least its id and URL, and the publisher's whole JSON answer.
struct published {
  std::string id;
  std::string url;
  std::string result_json;
};

namespace detail {

// Pulls a top-level string member out of the registry's small result object without a JSON
// library (the SDK depends on none): the registry guarantees {"id": "...", "url": "..."}.
inline std::string json_string_member(const std::string &json, const std::string &name) {
  const std::string key = "\"" + name + "\"";
  size_t at = json.find(key);
  if (at == std::string::npos) return {};
  at = json.find(':', at + key.size());
  if (at == std::string::npos) return {};
  at = json.find('"', at);
  if (at == std::string::npos) return {};
  std::string out;
  for (size_t i = at + 1; i < json.size(); ++i) {
    char c = json[i];
    if (c == '"') return out;
    if (c == '\\' && i + 1 < json.size()) {
      char e = json[++i];
      switch (e) {
        case 'n':
          out += '\n';
          break;
        case 't':
          out += '\t';
          break;
        case 'r':
          out += '\r';
          break;
        default:
          out += e;  // \" \\ \/ ; ids and URLs carry no \u escapes in practice
      }
      continue;
    }
    out += c;
  }
  return {};
}

// Throws am::error when the publication fails.
class publish_awaiter : public callback_awaiter<publish_awaiter> {
 public:
  publish_awaiter(const am_publish *svc, const am_host *host, am_job *job, std::string plugin,
                  std::string account, publish_content content)
      : svc_(svc),
        host_(host),
        job_(job),
        plugin_(std::move(plugin)),
        account_(std::move(account)),
        content_(std::move(content)) {}

  published await_resume() {
    check(done_);
    published p;
    p.id = json_string_member(result_json_, "id");
    p.url = json_string_member(result_json_, "url");
    p.result_json = std::move(result_json_);
    return p;
  }

 private:
  friend callback_awaiter;
  void start() {
    am_publish_content c{};
    c.struct_size = sizeof c;
    c.text = to_am_str(content_.text);
    c.media_path = to_am_str(content_.media_path);
    c.title = to_am_str(content_.title);
    c.options_json = to_am_str(content_.options_json);
    svc_->publish(host_, job_, to_am_str(plugin_), to_am_str(account_), &c,
                  &publish_awaiter::on_done, this);
  }
  static void on_done(void *user, am_status status, am_str err, am_str result_json) noexcept {
    publish_awaiter &self = from(user);
    record(self.done_, status, err);
    try {
      self.result_json_ = to_string(result_json);
    } catch (...) {  // out of memory copying: the status still tells
    }
    self.resume();
  }

  const am_publish *svc_;
  const am_host *host_;
  am_job *job_;
  std::string plugin_;
  std::string account_;
  publish_content content_;
  done_result done_{AM_INTERNAL, {}};
  std::string result_json_;
};

}  // namespace detail

// A non-owning handle on the publish registry. Cheap to copy.
class publisher_client {
 public:
  // Throws am::error(AM_UNSUPPORTED) if the host has no automuse.publish/1.
  explicit publisher_client(host h)
      : host_(h), svc_(&h.service<am_publish>(AM_PUBLISH_SERVICE_ID)) {}

  // Is there a publisher `plugin` taking `kinds`? Throws am::error naming what is missing
  // (AM_NOT_FOUND: no such publisher; AM_UNSUPPORTED: it does not take these kinds).
  void require(const std::string &plugin, am_publish_kinds kinds) const {
    buffer err;
    am_status s = svc_->find(host_.get(), to_am_str(plugin), kinds, err.out());
    if (s == AM_OK) return;
    std::string message = err.str();
    throw error(s, message.empty() ? "no publisher " + plugin : message);
  }

  // `text` measured by publisher `plugin`'s rules. Throws am::error: AM_NOT_FOUND (no such
  // publisher), AM_UNSUPPORTED (a host or publisher built for SDK 1.3 or earlier, or one without
  // text rules), AM_INVALID_ARGUMENT (not UTF-8), each naming the plugin. Any thread.
  text_length measure(const std::string &plugin, const std::string &text) const {
    require_text_rules(plugin);
    am_text_length out{};
    out.struct_size = sizeof out;
    buffer err;
    am_status s =
        svc_->text_length(host_.get(), to_am_str(plugin), to_am_str(text), &out, err.out());
    if (s != AM_OK) throw error(s, failure(plugin, "text_length", err));
    return {out.length, out.max_length, out.links};
  }

  // `text` cut to fit publisher `plugin`'s rules within `max_length` (<= 0: the platform's
  // limit), ending cleanly. Throws am::error as measure() does. Any thread.
  std::string fit_text(const std::string &plugin, const std::string &text,
                       int max_length = 0) const {
    require_text_rules(plugin);
    buffer out, err;
    am_status s = svc_->fit_text(host_.get(), to_am_str(plugin), to_am_str(text),
                                 static_cast<int32_t>(max_length), out.out(), err.out());
    if (s != AM_OK) throw error(s, failure(plugin, "fit_text", err));
    return out.str();
  }

  // `co_await publish.send(job, plugin, account, content)`: the published item, or am::error.
  detail::publish_awaiter send(const job &j, std::string plugin, std::string account,
                               publish_content content) const {
    return detail::publish_awaiter(svc_, host_.get(), j.get(), std::move(plugin),
                                   std::move(account), std::move(content));
  }

 private:
  void require_text_rules(const std::string &plugin) const {
    if (!AM_HAS_FIELD(svc_, am_publish, fit_text))
      throw error(AM_UNSUPPORTED, "cannot ask " + plugin +
                                      " for its text rules: this host's automuse.publish/1 "
                                      "predates SDK 1.4");
  }
  static std::string failure(const std::string &plugin, const char *what, const buffer &err) {
    std::string message = err.str();
    return message.empty() ? plugin + ": " + what + " failed" : message;
  }

  host host_;
  const am_publish *svc_;
};

}  // namespace am
