// Fixed-point bilinear window scaling of yuv420p pictures (see zoom_scaler.h).
#include "zoom_scaler.h"

#include <algorithm>
#include <cmath>
#include <cstring>

// The SIMD kernels are compiled for their instruction set and chosen at run time.
#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>
#define AUTOMUSE_ZOOM_SSSE3 1
#endif

namespace automuse::render::detail {
namespace {

// Weights are out of 64 in both directions because pmaddubsw multiplies by signed bytes.
constexpr int kBits = 6, kOne = 1 << kBits;

// The source sample left of (or at) `pos` and the weight of the one after it, out of `one`.
struct Tap {
  int index;
  int weight;
};
Tap tap(double pos, int limit, int one) {
  pos = std::clamp(pos, 0.0, static_cast<double>(limit - 1));
  int i = static_cast<int>(std::floor(pos));
  // pos - i is in [0, 1): adding a half and truncating rounds like std::lround, without a
  // library call for each of the ~4000 columns and rows a frame needs.
  int w = static_cast<int>((pos - i) * one + 0.5);
  if (w == one) ++i, w = 0;
  if (i >= limit - 1) i = limit - 1, w = 0;
  return {i, w};
}

inline uint8_t lerp(unsigned a, unsigned b, unsigned w) {
  return static_cast<uint8_t>((a * (kOne - w) + b * w + kOne / 2) >> kBits);
}

// The portable kernels; the SIMD ones below give bit-identical results.
void vertical_c(const uint8_t *a, const uint8_t *b, uint8_t *row, size_t n, int w, size_t from) {
  for (size_t k = from; k < n; ++k) row[k] = lerp(a[k], b[k], static_cast<unsigned>(w));
}
void horizontal_c(const uint8_t *row, uint8_t *out, int from, int to, const int32_t *left,
                  const int32_t *right, const uint8_t *weight) {
  for (int i = from; i < to; ++i) out[i] = lerp(row[left[i]], row[right[i]], weight[i]);
}

#ifdef AUTOMUSE_ZOOM_SSSE3
// Vertical pass, 16 bytes per step: interleave the two rows' bytes into pairs and
// multiply-add each pair with the (upper, lower) weights.
__attribute__((target("ssse3"))) void vertical_ssse3(const uint8_t *a, const uint8_t *b,
                                                     uint8_t *row, size_t n, int w) {
  const __m128i weights = _mm_set1_epi16(static_cast<int16_t>((kOne - w) | (w << 8)));
  const __m128i round = _mm_set1_epi16(kOne / 2);
  size_t k = 0;
  for (; k + 16 <= n; k += 16) {
    const __m128i x = _mm_loadu_si128(reinterpret_cast<const __m128i *>(a + k));
    const __m128i y = _mm_loadu_si128(reinterpret_cast<const __m128i *>(b + k));
    __m128i lo = _mm_maddubs_epi16(_mm_unpacklo_epi8(x, y), weights);
    __m128i hi = _mm_maddubs_epi16(_mm_unpackhi_epi8(x, y), weights);
    lo = _mm_srli_epi16(_mm_add_epi16(lo, round), kBits);
    hi = _mm_srli_epi16(_mm_add_epi16(hi, round), kBits);
    _mm_storeu_si128(reinterpret_cast<__m128i *>(row + k), _mm_packus_epi16(lo, hi));
  }
  vertical_c(a, b, row, n, w, k);
}

// Horizontal pass, eight outputs per step: one unaligned load of the (at most 16) source
// bytes the block needs, a shuffle into (left, right) pairs, one multiply-add with the
// pairs' weights.
__attribute__((target("ssse3"))) void horizontal_ssse3(const uint8_t *row, uint8_t *out, int dw,
                                                       const ZoomColumns &c) {
  // Locals: stores through `out` (bytes) could alias the tables' fields otherwise.
  const int32_t *start = c.narrow.start;
  const uint8_t *shuffle = c.narrow.index, *weights = c.narrow.weights, *ok = c.narrow.ok;
  const __m128i round = _mm_set1_epi16(kOne / 2);
  const int blocks = dw / 8;
  for (int b = 0; b < blocks; ++b) {
    if (!c.narrow.all_ok && !ok[b]) {
      horizontal_c(row, out, 8 * b, 8 * b + 8, c.left, c.right, c.weight);
      continue;
    }
    const __m128i src = _mm_loadu_si128(reinterpret_cast<const __m128i *>(row + start[b]));
    const __m128i pairs =
        _mm_shuffle_epi8(src, _mm_loadu_si128(reinterpret_cast<const __m128i *>(shuffle + 16 * b)));
    __m128i sum = _mm_maddubs_epi16(
        pairs, _mm_loadu_si128(reinterpret_cast<const __m128i *>(weights + 16 * b)));
    sum = _mm_srli_epi16(_mm_add_epi16(sum, round), kBits);
    _mm_storel_epi64(reinterpret_cast<__m128i *>(out + 8 * b), _mm_packus_epi16(sum, sum));
  }
  horizontal_c(row, out, 8 * blocks, dw, c.left, c.right, c.weight);
}

// The same with 256-bit registers: 32 bytes per vertical step, two blocks per horizontal one.
__attribute__((target("avx2"))) void vertical_avx2(const uint8_t *a, const uint8_t *b, uint8_t *row,
                                                   size_t n, int w) {
  const __m256i weights = _mm256_set1_epi16(static_cast<int16_t>((kOne - w) | (w << 8)));
  const __m256i round = _mm256_set1_epi16(kOne / 2);
  size_t k = 0;
  for (; k + 32 <= n; k += 32) {
    const __m256i x = _mm256_loadu_si256(reinterpret_cast<const __m256i *>(a + k));
    const __m256i y = _mm256_loadu_si256(reinterpret_cast<const __m256i *>(b + k));
    // Unpack and pack both work within 128-bit lanes, so the byte order survives.
    __m256i lo = _mm256_maddubs_epi16(_mm256_unpacklo_epi8(x, y), weights);
    __m256i hi = _mm256_maddubs_epi16(_mm256_unpackhi_epi8(x, y), weights);
    lo = _mm256_srli_epi16(_mm256_add_epi16(lo, round), kBits);
    hi = _mm256_srli_epi16(_mm256_add_epi16(hi, round), kBits);
    _mm256_storeu_si256(reinterpret_cast<__m256i *>(row + k), _mm256_packus_epi16(lo, hi));
  }
  vertical_c(a, b, row, n, w, k);
}

__attribute__((target("avx2"))) void horizontal_avx2(const uint8_t *row, uint8_t *out, int dw,
                                                     const ZoomColumns &c) {
  const int32_t *start = c.narrow.start;
  const uint8_t *shuffle = c.narrow.index, *weights = c.narrow.weights, *ok = c.narrow.ok;
  const __m256i round = _mm256_set1_epi16(kOne / 2);
  const int blocks = dw / 8;
  int b = 0;
  for (; b + 2 <= blocks; b += 2) {
    if (!c.narrow.all_ok && (!ok[b] || !ok[b + 1])) {
      horizontal_c(row, out, 8 * b, 8 * b + 16, c.left, c.right, c.weight);
      continue;
    }
    const __m256i src = _mm256_inserti128_si256(
        _mm256_castsi128_si256(_mm_loadu_si128(reinterpret_cast<const __m128i *>(row + start[b]))),
        _mm_loadu_si128(reinterpret_cast<const __m128i *>(row + start[b + 1])), 1);
    const __m256i pairs = _mm256_shuffle_epi8(
        src, _mm256_loadu_si256(reinterpret_cast<const __m256i *>(shuffle + 16 * b)));
    __m256i sum = _mm256_maddubs_epi16(
        pairs, _mm256_loadu_si256(reinterpret_cast<const __m256i *>(weights + 16 * b)));
    sum = _mm256_srli_epi16(_mm256_add_epi16(sum, round), kBits);
    // Each lane packs its block's eight bytes into its low quadword: gather quadwords 0, 2.
    const __m256i packed = _mm256_permute4x64_epi64(_mm256_packus_epi16(sum, sum), 0x08);
    _mm_storeu_si128(reinterpret_cast<__m128i *>(out + 8 * b), _mm256_castsi256_si128(packed));
  }
  horizontal_c(row, out, 8 * b, dw, c.left, c.right, c.weight);
}

// AVX-512 (BW for the byte arithmetic, VBMI for vpermb): 64 bytes per vertical step, with a
// masked step for the rest of the row instead of a scalar tail; 32 outputs per horizontal
// step, whose (at most 64) source bytes one vpermb turns into (left, right) pairs.
#define AUTOMUSE_AVX512 __attribute__((target("avx512f,avx512bw,avx512vl,avx512vbmi")))
AUTOMUSE_AVX512 inline __m512i lerp_pairs_avx512(__m512i pairs, __m512i weights) {
  const __m512i sum = _mm512_maddubs_epi16(pairs, weights);
  return _mm512_srli_epi16(_mm512_add_epi16(sum, _mm512_set1_epi16(kOne / 2)), kBits);
}

AUTOMUSE_AVX512 void vertical_avx512(const uint8_t *a, const uint8_t *b, uint8_t *row, size_t n,
                                     int w) {
  const __m512i weights = _mm512_set1_epi16(static_cast<int16_t>((kOne - w) | (w << 8)));
  for (size_t k = 0; k < n; k += 64) {
    // Masked loads never touch the bytes they leave out, so reading past the rows is safe.
    const __mmask64 m = n - k >= 64 ? ~__mmask64{0} : (__mmask64{1} << (n - k)) - 1;
    const __m512i x = _mm512_maskz_loadu_epi8(m, a + k);
    const __m512i y = _mm512_maskz_loadu_epi8(m, b + k);
    const __m512i lo = lerp_pairs_avx512(_mm512_unpacklo_epi8(x, y), weights);
    const __m512i hi = lerp_pairs_avx512(_mm512_unpackhi_epi8(x, y), weights);
    _mm512_mask_storeu_epi8(row + k, m, _mm512_packus_epi16(lo, hi));
  }
}

AUTOMUSE_AVX512 void horizontal_avx512(const uint8_t *row, uint8_t *out, int dw,
                                       const ZoomColumns &c) {
  const int32_t *start = c.wide.start;
  const uint8_t *index = c.wide.index, *weights = c.wide.weights, *ok = c.wide.ok;
  const int blocks = (dw + 31) / 32;
  for (int b = 0; b < blocks; ++b) {
    const int from = 32 * b, n = std::min(32, dw - from);
    if (!c.wide.all_ok && !ok[b]) {
      horizontal_c(row, out, from, from + n, c.left, c.right, c.weight);
      continue;
    }
    const __m512i src = _mm512_loadu_si512(row + start[b]);
    // The zero-masking forms: g++ 12 warns (falsely) that the plain ones' undefined fill is
    // uninitialised.
    const __m512i pairs =
        _mm512_maskz_permutexvar_epi8(~__mmask64{0}, _mm512_loadu_si512(index + 64 * b), src);
    const __m512i sum = lerp_pairs_avx512(pairs, _mm512_loadu_si512(weights + 64 * b));
    const __mmask32 m = n == 32 ? ~__mmask32{0} : (__mmask32{1} << n) - 1;
    _mm256_mask_storeu_epi8(out + from, m, _mm512_maskz_cvtusepi16_epi8(~__mmask32{0}, sum));
  }
}
#undef AUTOMUSE_AVX512
#endif

}  // namespace

ZoomScaler::Isa ZoomScaler::best_isa() {
#ifdef AUTOMUSE_ZOOM_SSSE3
  if (__builtin_cpu_supports("avx512bw") && __builtin_cpu_supports("avx512vl") &&
      __builtin_cpu_supports("avx512vbmi"))
    return Isa::kAvx512;
  if (__builtin_cpu_supports("avx2")) return Isa::kAvx2;
  if (__builtin_cpu_supports("ssse3")) return Isa::kSsse3;
#endif
  return Isa::kPortable;
}

void ZoomScaler::prepare_columns(int sw, double x, double w, int dw) {
  const auto n = static_cast<size_t>(dw);
  left_.resize(n);
  right_.resize(n);
  weight_.resize(n);
  const double step = w / dw;
  // Output sample centres map onto the window's matching positions (centre alignment).
  const int first = tap(x + 0.5 * step - 0.5, sw, kOne).index;
  int last = first;
  for (size_t i = 0; i < n; ++i) {
    const Tap t = tap(x + (static_cast<double>(i) + 0.5) * step - 0.5, sw, kOne);
    const int right = std::min(t.index + 1, sw - 1);
    left_[i] = t.index - first;
    right_[i] = right - first;
    weight_[i] = static_cast<uint8_t>(t.weight);
    last = std::max(last, right);
  }
  first_ = first;
  span_ = last - first + 1;
  narrow_.build(*this, 8, 16, false);  // the kernels finish a row's last columns portably
  wide_.build(*this, 32, 64, true);
}

// A partial last block's unused lanes read byte 0, weigh nothing and are not stored.
void ZoomScaler::BlockTables::build(const ZoomScaler &s, size_t columns, size_t load,
                                    bool partial_last) {
  const size_t n = s.left_.size();
  const size_t blocks = partial_last ? (n + columns - 1) / columns : n / columns;
  start.resize(blocks);
  index.assign(blocks * 2 * columns, 0);
  weights.assign(blocks * 2 * columns, 0);
  ok.resize(blocks);
  for (size_t b = 0; b < blocks; ++b) {
    const int first = s.left_[b * columns];
    start[b] = first;
    bool fits = true;
    for (size_t k = 0; k < columns && b * columns + k < n; ++k) {
      const size_t i = b * columns + k, at = b * 2 * columns + 2 * k;
      const int l = s.left_[i] - first, r = s.right_[i] - first;
      fits = fits && r < static_cast<int>(load);
      index[at] = static_cast<uint8_t>(l & static_cast<int>(load - 1));
      index[at + 1] = static_cast<uint8_t>(r & static_cast<int>(load - 1));
      weights[at] = static_cast<uint8_t>(kOne - s.weight_[i]);
      weights[at + 1] = s.weight_[i];
    }
    ok[b] = fits;
  }
}

ZoomBlocks ZoomScaler::BlockTables::view() const {
  const bool all = std::all_of(ok.begin(), ok.end(), [](uint8_t o) { return o != 0; });
  return ZoomBlocks{start.data(), index.data(), weights.data(), ok.data(), all};
}

void ZoomScaler::scale_plane(const uint8_t *src, int src_stride, int sw, int sh, double x, double y,
                             double w, double h, uint8_t *dst, int dst_stride, int dw, int dh) {
  prepare_columns(sw, x, w, dw);
  const ZoomColumns cols{left_.data(), right_.data(), weight_.data(), narrow_.view(), wide_.view()};
  // Room past the span for a block's 64-byte load.
  if (row_.size() < static_cast<size_t>(span_) + 64) row_.resize(static_cast<size_t>(span_) + 64);
  uint8_t *row = row_.data();
  const auto n = static_cast<size_t>(span_);
  const double step = h / dh;
  for (int j = 0; j < dh; ++j) {
    const Tap t = tap(y + (j + 0.5) * step - 0.5, sh, kOne);
    const uint8_t *a = src + static_cast<ptrdiff_t>(t.index) * src_stride + first_;
    const uint8_t *b =
        src + static_cast<ptrdiff_t>(std::min(t.index + 1, sh - 1)) * src_stride + first_;
    uint8_t *out = dst + static_cast<ptrdiff_t>(j) * dst_stride;
    if (t.weight == 0) std::memcpy(row, a, n);
    switch (isa_) {
#ifdef AUTOMUSE_ZOOM_SSSE3
      case Isa::kAvx512:
        if (t.weight) vertical_avx512(a, b, row, n, t.weight);
        horizontal_avx512(row, out, dw, cols);
        break;
      case Isa::kAvx2:
        if (t.weight) vertical_avx2(a, b, row, n, t.weight);
        horizontal_avx2(row, out, dw, cols);
        break;
      case Isa::kSsse3:
        if (t.weight) vertical_ssse3(a, b, row, n, t.weight);
        horizontal_ssse3(row, out, dw, cols);
        break;
#endif
      default:
        if (t.weight) vertical_c(a, b, row, n, t.weight, 0);
        horizontal_c(row, out, 0, dw, cols.left, cols.right, cols.weight);
        break;
    }
  }
}

void ZoomScaler::scale(const AVFrame *src, const Window &win, AVFrame *dst) {
  // Keep the window inside the picture.
  Window c = win;
  c.w = std::clamp(c.w, 1.0, static_cast<double>(src->width));
  c.h = std::clamp(c.h, 1.0, static_cast<double>(src->height));
  c.x = std::clamp(c.x, 0.0, src->width - c.w);
  c.y = std::clamp(c.y, 0.0, src->height - c.h);
  scale_plane(src->data[0], src->linesize[0], src->width, src->height, c.x, c.y, c.w, c.h,
              dst->data[0], dst->linesize[0], dst->width, dst->height);
  const int sw = (src->width + 1) / 2, sh = (src->height + 1) / 2;
  const int dw = (dst->width + 1) / 2, dh = (dst->height + 1) / 2;
  for (int p = 1; p < 3; ++p)
    scale_plane(src->data[p], src->linesize[p], sw, sh, c.x / 2, c.y / 2, c.w / 2, c.h / 2,
                dst->data[p], dst->linesize[p], dw, dh);
}

}  // namespace automuse::render::detail
