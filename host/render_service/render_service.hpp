// host/render_service/render_service.hpp — "automuse.render/1" over libautomuse-render: each render
// runs in an automuse-render-worker process started from the job's worker pool, with a cancel
// per operation (in this process when no worker executable is found).
#pragma once

#include <automuse/render.h>

#include <optional>
#include <string>

#include "render_service/render_request.hpp"  // encoder_setting_problem

namespace automuse::render_service {

// automuse.json's render section: what a render uses where its timeline says nothing.
struct RenderSettings {
  std::string encoder;  // render.encoder: a name of docs/timeline.md's output.encoder; "" = libx264
};

const am_render_service *render_service();

// Replaces the settings of the renders started after the call (the C table has no instance
// data, so they are the process's). Any thread.
void configure(RenderSettings settings);

}  // namespace automuse::render_service
