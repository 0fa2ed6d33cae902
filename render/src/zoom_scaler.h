// The resampler of still-image motion (Ken Burns zoom, pan): bilinear scaling of a sub-pixel
// window of a yuv420p picture onto a whole yuv420p frame, in fixed point, with SSSE3, AVX2 and
// AVX-512 (BW + VBMI) kernels where the CPU has them and a plain C++ path giving bit-identical
// results. It replaces a libswscale context that had to be rebuilt whenever the window size
// changed (nearly every frame of a zoom) and lets the window move by fractions of a pixel, so
// the motion is smooth instead of stepping in whole (even) pixels.
#pragma once

#include <cstdint>
#include <vector>

#include "av_util.h"

namespace automuse::render::detail {

// A window in luma pixels of the source picture; fractional positions and sizes allowed.
struct Window {
  double x = 0, y = 0, w = 0, h = 0;
  bool operator==(const Window &) const = default;
};

// Blocks of output columns a SIMD kernel computes from one load: per block, where its load
// starts, the byte index of each column's (left, right) source pair in that load (a shuffle or
// permutation pattern), the pairs' weights, and whether every pair fits in the load (not so
// under strong minification: such blocks take the portable path).
struct ZoomBlocks {
  const int32_t *start;
  const uint8_t *index, *weights, *ok;
  bool all_ok;  // every block fits (the usual case): no per-block test
};

// The column tables of one plane's horizontal pass, as the kernels read them.
struct ZoomColumns {
  const int32_t *left, *right;  // source samples, relative to the first one the window touches
  const uint8_t *weight;        // the right sample's weight, out of 64
  ZoomBlocks narrow;            // 8 columns from a 16-byte load (SSSE3, AVX2)
  ZoomBlocks wide;              // 32 columns from a 64-byte load (AVX-512 vpermb)
};

class ZoomScaler {
 public:
  // Instruction sets with a kernel; all give bit-identical results.
  enum class Isa { kPortable, kSsse3, kAvx2, kAvx512 };
  static Isa best_isa();  // the best this CPU runs
  explicit ZoomScaler(Isa isa = best_isa()) : isa_(isa) {}

  // Scales `win` of `src` (yuv420p) to all of `dst` (yuv420p). The window is clamped to the
  // source; pixels outside it are never read. Sample positions are rounded to 1/64 pixel
  // and values to nearest after each (vertical, then horizontal) pass.
  void scale(const AVFrame *src, const Window &win, AVFrame *dst);

 private:
  void scale_plane(const uint8_t *src, int src_stride, int sw, int sh, double x, double y, double w,
                   double h, uint8_t *dst, int dst_stride, int dw, int dh);
  void prepare_columns(int sw, double x, double w, int dw);

  Isa isa_;
  // The storage behind one ZoomBlocks.
  struct BlockTables {
    std::vector<int32_t> start;
    std::vector<uint8_t> index, weights, ok;
    void build(const ZoomScaler &s, size_t columns, size_t load, bool partial_last);
    ZoomBlocks view() const;
  };

  std::vector<int32_t> left_, right_;
  std::vector<uint8_t> weight_;
  BlockTables narrow_, wide_;
  std::vector<uint8_t> row_;  // the vertical pass's output, with room for 64-byte loads
  int first_ = 0;             // the first source column the window touches
  int span_ = 0;              // how many source columns it touches
};

}  // namespace automuse::render::detail
