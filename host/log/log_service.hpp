// host/log/log_service.hpp — "automuse.log/1": plugins log under their own id.
#pragma once

#include <automuse/log.h>

namespace automuse::log {
const am_log *log_service();
}  // namespace automuse::log
