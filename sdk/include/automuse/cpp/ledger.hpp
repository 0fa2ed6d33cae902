// automuse/cpp/ledger.hpp — C++ access to "automuse.ledger/1" for a plugin that publishes by
// itself, so the exactly-once bookkeeping around an upload reads
//
//   am::ledger_client ledger(job);
//   am::ledger_record row = ledger.intend("youtube", digest, title);
//   if (row.state == AM_LEDGER_PUBLISHED) { /* report row.url; publish nothing */ }
//   ledger.uploading(row.id, R"({"session":"..."})");
//   ledger.published(row.id, video_id, url);
//
// Failures throw am::error with the service's status and message. Calls are synchronous and
// may be made from any thread.
#pragma once

#include <automuse/ledger.h>

#include <automuse/cpp/buffer.hpp>
#include <automuse/cpp/error.hpp>
#include <automuse/cpp/job.hpp>
#include <automuse/cpp/str.hpp>
#include <cstdint>
#include <string>

namespace am {

// A row of the ledger, copied out of the service's borrowed record.
struct ledger_record {
  int64_t id = 0;
  am_ledger_state state = AM_LEDGER_INTENDED;
  bool created = false;
  std::string resume_json, remote_id, url, note;
};

class ledger_client {
 public:
  // Throws am::error(AM_UNSUPPORTED) when the host offers no ledger.
  explicit ledger_client(const job &j)
      : job_(j), svc_(&j.host_ref().service<am_ledger_service>(AM_LEDGER_SERVICE_ID)) {}

  // Whether the host offers the ledger at all.
  static bool available(const host &h) noexcept {
    return h.find<am_ledger_service>(AM_LEDGER_SERVICE_ID) != nullptr;
  }

  ledger_record intend(const std::string &target, const std::string &digest,
                       const std::string &summary) const {
    ledger_record out;
    buffer err;
    check(svc_->intend(job_.host_ref().get(), job_.get(), to_am_str(target), to_am_str(digest),
                       to_am_str(summary), &ledger_client::copy, &out, err.out()),
          err);
    return out;
  }
  void uploading(int64_t id, const std::string &resume_json) const {
    buffer err;
    check(svc_->uploading(job_.host_ref().get(), job_.get(), id, to_am_str(resume_json), err.out()),
          err);
  }
  void published(int64_t id, const std::string &remote_id, const std::string &url) const {
    buffer err;
    check(svc_->published(job_.host_ref().get(), job_.get(), id, to_am_str(remote_id),
                          to_am_str(url), err.out()),
          err);
  }
  void failed(int64_t id, const std::string &reason) const {
    buffer err;
    check(svc_->failed(job_.host_ref().get(), job_.get(), id, to_am_str(reason), err.out()), err);
  }
  void uncertain(int64_t id, const std::string &how_to_check) const {
    buffer err;
    check(
        svc_->uncertain(job_.host_ref().get(), job_.get(), id, to_am_str(how_to_check), err.out()),
        err);
  }

 private:
  static void copy(void *user, const am_ledger_record *r) {
    auto *out = static_cast<ledger_record *>(user);
    out->id = r->id;
    out->state = r->state;
    out->created = r->created;
    out->resume_json = to_string(r->resume_json);
    out->remote_id = to_string(r->remote_id);
    out->url = to_string(r->url);
    out->note = to_string(r->note);
  }
  static void check(am_status s, buffer &err) {
    if (s != AM_OK) throw error(s, err.str().empty() ? am_status_name(s) : err.str());
  }

  job job_;
  const am_ledger_service *svc_;
};

}  // namespace am
