// host/app/publications_command.cpp — `publications`: lists the publication ledger's rows.
#include "app/publications_command.hpp"

#include <boost/json.hpp>
#include <iostream>
#include <map>
#include <memory>

#include "app/text_table.hpp"
#include "ledger/publication_ledger.hpp"
#include "log/redaction.hpp"
#include "store/records.hpp"

namespace automuse::app {
namespace json = boost::json;

namespace {

struct Filter {
  std::string account, target, state;
  bool json = false;
};

json::value to_json(const ledger::Publication &p, const std::string &account) {
  auto opt = [](const std::optional<std::string> &s) -> json::value {
    return s ? json::value(*s) : json::value(nullptr);
  };
  return json::object{{"id", p.id},
                      {"job_id", p.job_id},
                      {"plugin", p.plugin_id},
                      {"account", account},
                      {"account_id", p.account_id},
                      {"target", p.target},
                      {"state", ledger::state_name(p.state)},
                      {"summary", opt(p.summary)},
                      {"remote_id", opt(p.remote_id)},
                      {"url", opt(p.url)},
                      {"note", opt(p.note)},
                      {"created_at", store::iso_utc(p.created_at)},
                      {"updated_at", store::iso_utc(p.updated_at)}};
}

int list(HostContext &ctx, const Filter &f) {
  std::optional<std::string> account_id;
  if (!f.account.empty()) account_id = ctx.store().resolve_account(f.account).id;
  std::optional<std::string> target;
  if (!f.target.empty()) target = f.target;
  std::map<std::string, std::string> nicknames;
  for (const auto &a : ctx.store().list_accounts()) nicknames[a.id] = a.nickname;
  auto nickname = [&](const std::string &id) {
    auto it = nicknames.find(id);
    return it == nicknames.end() ? id : it->second;
  };

  std::vector<ledger::Publication> rows;
  for (auto &p : ctx.ledger().list(account_id, target))
    if (f.state.empty() || ledger::state_name(p.state) == f.state) rows.push_back(std::move(p));
  if (f.json) {
    json::array out;
    for (const auto &p : rows) out.push_back(to_json(p, nickname(p.account_id)));
    // Plugins wrote the summaries and notes: printed redacted, rows from before redaction
    // was complete included.
    std::cout << log::redact(json::serialize(out)) << "\n";
    return 0;
  }
  if (rows.empty()) {
    std::cout << "Nothing published yet" << (f.state.empty() ? "" : " in state " + f.state)
              << ".\n";
    return 0;
  }
  store::TextTable t({"ID", "WHEN (UTC)", "TARGET", "ACCOUNT", "STATE", "TITLE / TEXT", "WHERE"});
  for (const auto &p : rows) {
    std::string where = p.url.value_or("");
    if (p.state == ledger::State::uncertain || p.state == ledger::State::failed)
      where = p.note.value_or("");
    std::string when = store::iso_utc(p.updated_at);
    t.add({std::to_string(p.id), when.substr(0, 10) + " " + when.substr(11, 5), p.target,
           nickname(p.account_id), std::string(ledger::state_name(p.state)),
           log::redact(p.summary.value_or("")), log::redact(where)});
  }
  std::cout << t.render();
  // An uncertain row's note is the whole instruction: never cut it.
  for (const auto &p : rows)
    if (p.state == ledger::State::uncertain)
      std::cout << "\nuncertain #" << p.id << ": "
                << log::redact(p.note.value_or("check the account")) << "\n";
  return 0;
}

}  // namespace

void add_publications_command(CLI::App &app, const std::function<HostContext &()> &context,
                              int *exit_code) {
  auto f = std::make_shared<Filter>();
  auto *cmd = app.add_subcommand("publications",
                                 "What was published where (the publication ledger), newest first");
  cmd->add_option("--account", f->account, "Only this account (nickname or id)");
  cmd->add_option("--target", f->target, "Only this platform (youtube, twitter …)");
  cmd->add_option("--state", f->state, "Only rows in this state")
      ->check(CLI::IsMember({"intended", "uploading", "published", "failed", "uncertain"}));
  cmd->add_flag("--json", f->json, "Print a JSON array");
  cmd->callback([=] {
    try {
      *exit_code = list(context(), *f);
    } catch (const std::exception &e) {
      std::cerr << "automuse-host publications: " << e.what() << "\n";
      *exit_code = 1;
    }
  });
}

}  // namespace automuse::app
