// host/publish/publish_ledger.cpp — the registry's ledger records.
#include "publish/publish_ledger.hpp"

#include <boost/json.hpp>
#include <stdexcept>

#include "cache/sha256.hpp"
#include "core/text.hpp"
#include "log/logging.hpp"

namespace automuse::publish {
namespace json = boost::json;

namespace {

std::string member(const json::value &v, const char *key) {
  const json::value *x = v.is_object() ? v.as_object().if_contains(key) : nullptr;
  return x && x->is_string() ? std::string(x->as_string()) : std::string();
}

bool refused_for_good(am_status status) {
  switch (status) {
    case AM_INVALID_ARGUMENT:
    case AM_NOT_FOUND:
    case AM_UNAUTHENTICATED:
    case AM_PERMISSION_DENIED:
    case AM_QUOTA_EXCEEDED:
    case AM_RATE_LIMITED:
    case AM_UNSUPPORTED:
      return true;
    default:
      return false;
  }
}

}  // namespace

std::string take_content_digest(std::string &options_json, const std::string &text,
                                const std::string &title, const std::string &media_path) {
  if (!options_json.empty()) {
    json::error_code ec;
    json::value v = json::parse(options_json, ec);
    if (!ec && v.is_object()) {
      if (auto *d = v.as_object().if_contains("content_digest"); d && d->is_string()) {
        std::string digest(d->as_string());
        v.as_object().erase("content_digest");
        options_json = v.as_object().empty() ? std::string() : json::serialize(v);
        if (!digest.empty()) return digest;
      }
    }
  }
  cache::Sha256 h;
  for (const std::string *part : {&text, &title}) {
    h.update(std::to_string(part->size()) + ":");
    h.update(*part);
  }
  if (!media_path.empty()) {
    auto file = cache::sha256_file(media_path);
    if (!file) throw std::runtime_error("cannot read the media file " + media_path);
    h.update("media:" + *file);
  }
  return h.hex();
}

ledger::Intent intent_for(ledger::PublicationLedger &ledger, const am_job &job,
                          const std::string &publisher, const std::string &account,
                          const std::string &digest, const std::string &title,
                          const std::string &text) {
  const am_job::RunInfo &run = job.run_info();
  ledger::Intent in;
  in.job_id = run.job_id.empty() ? job.name() : run.job_id;
  in.plugin_id = run.plugin_id.empty() ? publisher : run.plugin_id;
  in.account_id = ledger.account_id_of(publisher, account);
  in.target = publisher;
  in.digest = digest;
  in.summary = title.empty() ? std::string(core::utf8_prefix(text, 280)) : title;
  in.again = run.again;
  in.one_per_job = true;  // a resumed job that reworded its post still publishes it once
  return in;
}

std::string already_published_json(const ledger::Publication &row) {
  return json::serialize(json::object{{"id", row.remote_id.value_or("")},
                                      {"url", row.url.value_or("")},
                                      {"ledger_id", row.id},
                                      {"already_published", true}});
}

std::string uncertain_message(const ledger::Publication &row, const std::string &account) {
  return "publishing this content to " + row.target + ":" + account +
         " was attempted before and its outcome is uncertain (ledger entry " +
         std::to_string(row.id) + "): it is not tried again by itself. " +
         row.note.value_or("Check the account for it") +
         "; if it is not there, pass --again to publish it anew";
}

void record_outcome(ledger::PublicationLedger &ledger, int64_t id, am_status status,
                    const std::string &error, const std::string &result_json) {
  try {
    if (status == AM_OK) {
      json::error_code ec;
      json::value v = json::parse(result_json, ec);
      ledger.published(id, member(v, "id"), member(v, "url"));
    } else if (status == AM_UNCERTAIN) {
      ledger.uncertain(id, error);  // the publisher's message says how to check
    } else if (refused_for_good(status)) {
      ledger.failed(id, error);
    }
  } catch (const std::exception &e) {
    log::write("host", spdlog::level::err,
               "publication ledger: cannot record the outcome of entry " + std::to_string(id) +
                   ": " + e.what());
  }
}

}  // namespace automuse::publish
