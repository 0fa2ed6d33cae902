// host/render_service/render_service.hpp — "automuse.render/1" over libautomuse-render: renders run
// on the job's worker pool with a cancel flag per operation.
#pragma once

#include <automuse/render.h>

#include <optional>
#include <string>

namespace automuse::render_service {

// automuse.json's render section: what a render uses where its timeline says nothing.
struct RenderSettings {
  std::string encoder;  // render.encoder: a name of docs/timeline.md's output.encoder; "" = libx264
};

const am_render_service *render_service();

// Replaces the settings of the renders started after the call (the C table has no instance
// data, so they are the process's). Any thread.
void configure(RenderSettings settings);

// What is wrong with render.encoder's value (`config check` reports it), or nothing.
std::optional<std::string> encoder_setting_problem(const std::string &encoder);

}  // namespace automuse::render_service
