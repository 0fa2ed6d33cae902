// host/ledger/ledger_service.hpp — "automuse.ledger/1": the publication ledger offered to
// plugins that publish by themselves. Rows are recorded for the job's account and job (see
// am_job::RunInfo); a plugin may move only rows of its job's account.
#pragma once

#include <automuse/ledger.h>

#include "core/services.hpp"
#include "ledger/publication_ledger.hpp"

namespace automuse::ledger {

class LedgerService {
 public:
  // `ledger` must outlive the service, which must outlive every plugin.
  explicit LedgerService(PublicationLedger &ledger);
  LedgerService(const LedgerService &) = delete;
  LedgerService &operator=(const LedgerService &) = delete;

  void register_in(core::ServiceRegistry &registry) const;
  const am_ledger_service *table() const { return &table_; }
  PublicationLedger &ledger() { return ledger_; }

 private:
  am_ledger_service table_;  // first member: a pointer to the table is one to the service
  PublicationLedger &ledger_;
};

}  // namespace automuse::ledger
