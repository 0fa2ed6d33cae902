// host/core/job_service.hpp — "automuse.job/1": post to a job's strand, run work on the
// worker pool, sleep, cancel. The table is static: everything it needs comes with the job.
#pragma once

#include <automuse/job.h>

namespace automuse::core {
const am_job_service *job_service();
}  // namespace automuse::core
