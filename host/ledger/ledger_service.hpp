// host/ledger/ledger_service.hpp — "automuse.ledger/1": the publication ledger offered to
// plugins that publish by themselves. Rows are recorded for the job's account and job (see
// am_job::RunInfo); a plugin may move only rows of its job's account.
#pragma once

#include <automuse/ledger.h>

#include "core/service_binding.hpp"
#include "ledger/publication_ledger.hpp"

namespace automuse::ledger {

// Register table() under AM_LEDGER_SERVICE_ID; `ledger` must outlive the service, which must
// outlive every plugin.
class LedgerService : public core::ServiceBinding<am_ledger_service, PublicationLedger> {
 public:
  explicit LedgerService(PublicationLedger &ledger);
};

}  // namespace automuse::ledger
