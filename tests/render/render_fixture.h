// Shared GoogleTest fixture for the renderer's tests: a fresh temporary folder per test and
// helpers to parse a timeline in it and render it.
#pragma once

#include <gtest/gtest.h>

#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <string>

#include "automuse_render/render.h"
#include "media_fixtures.h"
#include "support/temp_folder.hpp"

namespace automuse::render::test {

class RenderFixture : public ::testing::Test {
 protected:
  std::filesystem::path at(const std::string &name) const { return dir_ / name; }

  Timeline parse(const std::string &json) {
    ParseResult r = parse_timeline(json, dir_);
    EXPECT_FALSE(r.error) << r.error->to_string();
    return r.timeline ? *r.timeline : Timeline{};
  }
  RenderResult run(const std::string &json, const ProgressCallback &progress = nullptr,
                   const std::atomic<bool> *cancel = nullptr) {
    return render(parse(json), RenderOptions{}, progress, cancel);
  }
  // A flat-colour PNG.
  void solid_png(const std::string &name, Rgb c, int w = 320, int h = 480) {
    write_png(at(name), w, h, [c](int, int) { return c; });
  }

  automuse::testing::TempFolder temp_;
  std::filesystem::path dir_ = temp_.path();
};

}  // namespace automuse::render::test
