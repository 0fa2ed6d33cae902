// host/render_service/render_service.hpp — "automuse.render/1" over libautomuse-render: renders run
// on the job's worker pool with a cancel flag per operation.
#pragma once

#include <automuse/render.h>

namespace automuse::render_service {
const am_render_service *render_service();
}  // namespace automuse::render_service
