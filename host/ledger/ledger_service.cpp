// host/ledger/ledger_service.cpp — the C table of "automuse.ledger/1" over the ledger.
#include "ledger/ledger_service.hpp"

#include <automuse/cpp/buffer.hpp>
#include <automuse/cpp/str.hpp>
#include <exception>

#include "core/job.hpp"

namespace automuse::ledger {
namespace {

PublicationLedger &ledger_of(const am_host *host) {
  auto *ledger =
      core::ServiceBinding<am_ledger_service, PublicationLedger>::of(host, AM_LEDGER_SERVICE_ID);
  if (!ledger) throw std::logic_error("the publication ledger is not registered in this host");
  return *ledger;
}

am_status fail(am_buffer *error, am_status status, const std::string &message) {
  if (error) *error = am::make_buffer(message);
  return status;
}

// Runs `fn` and turns its exceptions into a status and message.
template <typename Fn>
am_status guarded(am_buffer *error, Fn &&fn) {
  try {
    return fn();
  } catch (const LedgerError &e) {
    const std::string what = e.what();
    return fail(error, what.rfind("no publication", 0) == 0 ? AM_NOT_FOUND : AM_INVALID_ARGUMENT,
                what);
  } catch (const std::exception &e) {
    return fail(error, AM_IO, std::string("the publication ledger: ") + e.what());
  }
}

// The row `id`, if it belongs to the job's account (a plugin moves only its own rows).
am_status check_owner(const am_host *host, am_job *job, int64_t id, am_buffer *error) {
  auto row = ledger_of(host).get(id);
  if (!row)
    return fail(error, AM_NOT_FOUND, "no publication " + std::to_string(id) + " in the ledger");
  if (row->account_id != job->run_info().account_id)
    return fail(error, AM_PERMISSION_DENIED,
                "publication " + std::to_string(id) + " belongs to another account");
  return AM_OK;
}

template <typename Apply>
am_status transition(const am_host *host, am_job *job, int64_t id, am_buffer *error,
                     Apply &&apply) {
  if (!host || !job) return fail(error, AM_INVALID_ARGUMENT, "ledger: host and job are required");
  return guarded(error, [&]() -> am_status {
    if (am_status s = check_owner(host, job, id, error); s != AM_OK) return s;
    apply(ledger_of(host));
    return AM_OK;
  });
}

am_status intend(const am_host *host, am_job *job, am_str target, am_str digest, am_str summary,
                 am_ledger_record_fn fn, void *user, am_buffer *error) {
  if (!host || !job || !fn)
    return fail(error, AM_INVALID_ARGUMENT, "ledger intend: host, job and fn are required");
  const am_job::RunInfo &run = job->run_info();
  if (run.account_id.empty())
    return fail(error, AM_INVALID_ARGUMENT,
                "ledger intend: the job " + job->name() + " acts for no account");
  return guarded(error, [&]() -> am_status {
    Intent in;
    in.job_id = run.job_id.empty() ? job->name() : run.job_id;
    in.plugin_id = run.plugin_id.empty() ? core::context_of(host).plugin_id : run.plugin_id;
    in.account_id = run.account_id;
    in.target = am::to_string(target);
    in.digest = am::to_string(digest);
    if (summary.len) in.summary = am::to_string(summary);
    in.again = run.again;
    // One publication per job, account and target: a job resumed after its upload finished
    // but before its run was recorded (a worker killed there) may have lost the plugin's own
    // state and made new content; the job's published row still stands for it.
    in.one_per_job = true;
    auto [row, created] = ledger_of(host).intend(in);
    am_ledger_record r{};
    r.struct_size = sizeof r;
    r.id = row.id;
    r.state = static_cast<am_ledger_state>(row.state);
    r.created = created;
    const std::string resume = row.resume_json.value_or(""), remote_id = row.remote_id.value_or(""),
                      url = row.url.value_or(""), note = row.note.value_or("");
    r.resume_json = am::to_am_str(resume);
    r.remote_id = am::to_am_str(remote_id);
    r.url = am::to_am_str(url);
    r.note = am::to_am_str(note);
    fn(user, &r);
    return AM_OK;
  });
}

am_ledger_service ledger_table() {
  am_ledger_service table{};
  table.struct_size = sizeof table;
  table.intend = &intend;
  table.uploading = [](const am_host *host, am_job *job, int64_t id, am_str resume,
                       am_buffer *error) {
    return transition(host, job, id, error,
                      [&](PublicationLedger &l) { l.uploading(id, am::to_string(resume)); });
  };
  table.published = [](const am_host *host, am_job *job, int64_t id, am_str remote_id, am_str url,
                       am_buffer *error) {
    return transition(host, job, id, error, [&](PublicationLedger &l) {
      l.published(id, am::to_string(remote_id), am::to_string(url));
    });
  };
  table.failed = [](const am_host *host, am_job *job, int64_t id, am_str reason, am_buffer *error) {
    return transition(host, job, id, error,
                      [&](PublicationLedger &l) { l.failed(id, am::to_string(reason)); });
  };
  table.uncertain = [](const am_host *host, am_job *job, int64_t id, am_str how, am_buffer *error) {
    return transition(host, job, id, error,
                      [&](PublicationLedger &l) { l.uncertain(id, am::to_string(how)); });
  };
  return table;
}

}  // namespace

LedgerService::LedgerService(PublicationLedger &ledger) : ServiceBinding(ledger, ledger_table()) {}

}  // namespace automuse::ledger
