// Test inputs with an alpha channel, made with FFmpeg's encoders: an RGBA PNG and clips whose
// frames carry alpha (PNG or QuickTime Animation in .mov, VP9 with alpha in .webm).
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>

namespace automuse::render::test {

struct Rgba {
  uint8_t r, g, b, a;
};

// Writes a w x h RGBA PNG whose pixels come from `pixel(x, y)`.
void write_rgba_png(const std::filesystem::path &path, int w, int h,
                    const std::function<Rgba(int, int)> &pixel);

// Writes a clip of `frames` frames at `fps`, w x h, pixel (x, y) of every frame from
// `pixel(x, y)`, encoded with `codec`: "png" (RGBA) or "qtrle" (32-bit ARGB) in a .mov, or
// "vp9" (lossless yuva420p, libvpx) in a .webm. Returns false if this FFmpeg lacks the encoder.
bool write_rgba_clip(const std::filesystem::path &path, const std::string &codec, int w, int h,
                     int fps, int frames, const std::function<Rgba(int, int)> &pixel);

}  // namespace automuse::render::test
