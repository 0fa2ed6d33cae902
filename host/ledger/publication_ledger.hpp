// host/ledger/publication_ledger.hpp — the publication ledger: every upload or post is
// recorded as an intent before it starts and then moves forward only (intended -> uploading ->
// published | failed | uncertain) in its own write transaction, so that no retry, crash or
// re-run publishes the same content twice to the same account and target. Its own connection
// to the store's database (table `publications`, migration 7); thread-safe.
#pragma once

#include <cstdint>
#include <filesystem>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "store/database.hpp"

namespace automuse::ledger {

// The order is the ABI's (AM_LEDGER_INTENDED 0 … AM_LEDGER_UNCERTAIN 4).
enum class State { intended = 0, uploading = 1, published = 2, failed = 3, uncertain = 4 };

std::string_view state_name(State state);
std::optional<State> state_from_name(std::string_view name);

struct Publication {
  int64_t id = 0;
  std::string job_id;
  std::string plugin_id;   // who publishes (the plugin that uploads or the publisher asked)
  std::string account_id;  // the account published to (an id when the store knows it)
  std::string target;      // where: "youtube", "twitter" …
  std::string digest;      // of the content's inputs
  std::optional<std::string> summary;  // the title or text, for people
  State state = State::intended;
  std::optional<std::string> resume_json, remote_id, url, note;
  int64_t created_at = 0, updated_at = 0;
};

struct Intent {
  std::string job_id, plugin_id, account_id, target, digest;
  std::optional<std::string> summary;
  // --again: publish anew even if this content is already published (or uncertain) there.
  bool again = false;
  // One publication per job, account and target: a row of the same job there that was
  // published (or is uncertain) is returned whatever its digest. A resumed job may word its
  // post anew (its prompt now lists the post it made before it was killed); it must not post
  // a second one.
  bool one_per_job = false;
};

// A refused transition (backwards, or from a final state) or an unknown id.
class LedgerError : public store::StoreError {
 public:
  using store::StoreError::StoreError;
};

class PublicationLedger {
 public:
  // Opens the store's database (already created and migrated by store::Store).
  explicit PublicationLedger(const store::Location &where);

  struct Intended {
    Publication row;
    bool created = false;  // false: an earlier row for the same content is to be continued
  };
  // Records the intent to publish, or returns the row to continue: the newest row for the same
  // account, target and digest unless it failed (then a new row: a failure may be retried).
  // A published or uncertain row is returned as it is: the caller publishes nothing. With
  // `again`, only rows of the same job are continued (a resumed --again run), others ignored.
  Intended intend(const Intent &intent);

  Publication uploading(int64_t id, const std::string &resume_json);
  Publication published(int64_t id, const std::string &remote_id, const std::string &url);
  Publication failed(int64_t id, const std::string &reason);
  Publication uncertain(int64_t id, const std::string &how_to_check);

  std::optional<Publication> get(int64_t id);
  // Newest first; empty filters match everything.
  std::vector<Publication> list(const std::optional<std::string> &account_id = {},
                                const std::optional<std::string> &target = {});

  // Whether job `job_id` recorded any publication.
  bool job_published(const std::string &job_id);

  // The id of the account that `name` (an id, or a nickname of `plugin_id`) names; `name`
  // itself when the store knows no such account.
  std::string account_id_of(const std::string &plugin_id, const std::string &name);

 private:
  Publication move(int64_t id, State to, const std::optional<std::string> &resume_json,
                   const std::optional<std::string> &remote_id,
                   const std::optional<std::string> &url, const std::optional<std::string> &note);
  std::optional<Publication> get_locked(int64_t id);

  std::mutex mutex_;
  store::Db db_;
};

// Whether a publication may move from `from` to `to`: forward only; uploading may repeat (new
// resume state); an uncertain one may still be settled as published or failed.
bool may_move(State from, State to);

}  // namespace automuse::ledger
