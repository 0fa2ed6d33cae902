// host/speech/aligner.cpp — pause matching by dynamic programming, then a monotonic map from
// reference time to audio time that advances only through voiced time.
#include "speech/aligner.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <functional>
#include <limits>

namespace automuse::speech {
namespace {

struct Gap {
  double start = 0, end = 0;
  double position = 0;  // voiced time before it / all voiced time
  double weight = 0;    // its length / all voiced time
};

double total_voiced(const std::vector<VoicedStretch> &v) {
  double t = 0;
  for (const auto &s : v) t += s.end - s.start;
  return t;
}

std::vector<Gap> gaps_of(const std::vector<VoicedStretch> &v) {
  std::vector<Gap> gaps;
  double total = std::max(total_voiced(v), 1e-6), before = 0;
  for (size_t i = 0; i + 1 < v.size(); ++i) {
    before += v[i].end - v[i].start;
    gaps.push_back({v[i].end, v[i + 1].start, before / total, (v[i + 1].start - v[i].end) / total});
  }
  return gaps;
}

// Monotonic matching of reference pauses to audio pauses that maximises similarity of
// position (share of voiced time before each) and length.
std::vector<std::pair<size_t, size_t>> match_gaps(const std::vector<Gap> &r,
                                                  const std::vector<Gap> &t) {
  constexpr double kTolerance = 0.12;
  const size_t m = r.size(), n = t.size();
  std::vector<std::vector<double>> best(m + 1, std::vector<double>(n + 1, 0.0));
  auto score = [&](size_t i, size_t j) {
    double d = std::abs(r[i].position - t[j].position);
    if (d >= kTolerance) return -1.0;
    double a = r[i].weight, b = t[j].weight;
    double similar = std::min(a, b) / std::max({a, b, 1e-9});
    return (1.0 - d / kTolerance) * (0.5 + 0.5 * similar);
  };
  for (size_t i = 1; i <= m; ++i)
    for (size_t j = 1; j <= n; ++j) {
      double s = score(i - 1, j - 1);
      best[i][j] =
          std::max({best[i - 1][j], best[i][j - 1], s > 0 ? best[i - 1][j - 1] + s : -1.0});
    }
  std::vector<std::pair<size_t, size_t>> pairs;
  for (size_t i = m, j = n; i > 0 && j > 0;) {
    if (best[i][j] == best[i - 1][j])
      --i;
    else if (best[i][j] == best[i][j - 1])
      --j;
    else {
      pairs.emplace_back(i - 1, j - 1);
      --i;
      --j;
    }
  }
  std::reverse(pairs.begin(), pairs.end());
  return pairs;
}

// Voiced intervals of one section of the timeline, measured in voiced seconds.
class VoicedAxis {
 public:
  VoicedAxis(const std::vector<VoicedStretch> &all, double from, double to) {
    for (const auto &s : all) {
      double a = std::max(s.start, from), b = std::min(s.end, to);
      if (b > a) parts_.push_back({a, b});
    }
    if (parts_.empty()) parts_.push_back({from, std::max(from, to)});  // treat as all voiced
    for (const auto &p : parts_) total_ += p.end - p.start;
  }
  double total() const { return total_; }
  double voiced_until(double t) const {
    double v = 0;
    for (const auto &p : parts_) {
      if (t <= p.start) break;
      v += std::min(t, p.end) - p.start;
    }
    return v;
  }
  // The time at which `v` voiced seconds have passed; at a pause, its end when `late`.
  double time_at(double v, bool late) const {
    double acc = 0;
    for (size_t i = 0; i < parts_.size(); ++i) {
      double len = parts_[i].end - parts_[i].start;
      bool inside = late ? v < acc + len : v <= acc + len;
      if (inside) return parts_[i].start + std::max(0.0, v - acc);
      acc += len;
    }
    return parts_.back().end;
  }

 private:
  std::vector<VoicedStretch> parts_;
  double total_ = 0;
};

// Frame features for DTW, 10 ms apart: loudness, high-frequency loudness (first difference,
// which separates hiss from vowels) and zero-crossing rate, each normalised over the
// utterance so two voices at different levels compare.
constexpr double kHop = 0.010;

std::vector<std::array<float, 3>> frame_features(const PcmAudio &a) {
  const size_t hop = static_cast<size_t>(a.sample_rate * kHop);
  const size_t win = hop * 5 / 2;
  const size_t n = a.samples.size() / hop + 1;
  std::vector<std::array<float, 3>> f(n);
  for (size_t k = 0; k < n; ++k) {
    size_t from = k * hop, to = std::min(a.samples.size(), from + win);
    double e = 0, d = 0;
    int zc = 0;
    for (size_t i = from; i < to; ++i) {
      double x = a.samples[i];
      e += x * x;
      if (i > from) {
        double dx = x - a.samples[i - 1];
        d += dx * dx;
        zc += (a.samples[i] >= 0) != (a.samples[i - 1] >= 0);
      }
    }
    double len = static_cast<double>(std::max<size_t>(1, to - from));
    f[k] = {static_cast<float>(10 * std::log10(1 + e / len)),
            static_cast<float>(10 * std::log10(1 + d / len)), static_cast<float>(zc / len)};
  }
  for (int c = 0; c < 3; ++c) {
    double mean = 0, var = 0;
    for (const auto &v : f) mean += v[c];
    mean /= static_cast<double>(n);
    for (const auto &v : f) var += (v[c] - mean) * (v[c] - mean);
    double sd = std::sqrt(var / static_cast<double>(n)) + 1e-6;
    for (auto &v : f) v[c] = static_cast<float>((v[c] - mean) / sd);
  }
  return f;
}

// Dynamic time warping of reference frames onto audio frames, restricted to a band of
// +-`band` frames around a first guess `guess(i)` (the pause-anchored map). Returns, per
// reference frame, the first and the last audio frame it is matched with (a frame held over a
// longer pause in the audio matches many).
std::vector<std::pair<int, int>> warp(const std::vector<std::array<float, 3>> &r,
                                      const std::vector<std::array<float, 3>> &t,
                                      const std::function<int(size_t)> &guess, int band) {
  const size_t n = r.size();
  const int m = static_cast<int>(t.size());
  const int width = 2 * band + 1;
  const float inf = std::numeric_limits<float>::infinity();
  std::vector<float> cost(n * width, inf);
  std::vector<uint8_t> from(n * width, 0);  // 0 diagonal, 1 up (i-1), 2 left (j-1)
  std::vector<int> lo(n);
  auto dist = [&](size_t i, int j) {
    float s = 0;
    for (int c = 0; c < 3; ++c) s += std::abs(r[i][c] - t[j][c]);
    return s;
  };
  auto at = [&](size_t i, int j) -> float {
    int k = j - lo[i];
    return k >= 0 && k < width ? cost[i * width + k] : inf;
  };
  for (size_t i = 0; i < n; ++i) {
    lo[i] = std::clamp(guess(i) - band, 0, std::max(0, m - width));
    for (int k = 0; k < width; ++k) {
      int j = lo[i] + k;
      if (j >= m) break;
      float d = dist(i, j);
      if (i == 0 && j == 0) {
        cost[k] = d;
        continue;
      }
      float diag = i > 0 && j > 0 ? at(i - 1, j - 1) : inf;
      float up = i > 0 ? at(i - 1, j) : inf;
      float left = k > 0 ? cost[i * width + k - 1] : (i == 0 && j > 0 ? inf : inf);
      if (i == 0) left = j > 0 && k > 0 ? cost[k - 1] : inf;
      float best = std::min({diag + 2 * d, up + d, left + d});
      cost[i * width + k] = best;
      from[i * width + k] = best == diag + 2 * d ? 0 : best == up + d ? 1 : 2;
    }
  }
  // Backtrack from the cheapest end cell of the last row.
  std::vector<std::pair<int, int>> span(n, {-1, -1});
  size_t i = n - 1;
  int j = std::min(m - 1, lo[i] + width - 1);
  if (!std::isfinite(at(i, j))) {
    for (int k = width - 1; k >= 0; --k)
      if (std::isfinite(cost[i * width + k])) {
        j = lo[i] + k;
        break;
      }
  }
  while (true) {
    if (span[i].second < 0) span[i].second = j;
    span[i].first = j;  // overwritten as the path moves left: ends as the first j of row i
    if (i == 0 && j == 0) break;
    int k = j - lo[i];
    if (k < 0 || k >= width || !std::isfinite(cost[i * width + k])) return {};
    uint8_t step = from[i * width + k];
    if (i == 0) step = 2;
    if (j == 0) step = 1;
    if (step == 0) {
      --i;
      --j;
    } else if (step == 1) {
      --i;
    } else {
      --j;
    }
  }
  return span;
}
}  // namespace

std::vector<WordTiming> align_to_audio(const Speech &reference, const PcmAudio &audio,
                                       AlignmentReport *report, const SilenceOptions &silence) {
  std::vector<VoicedStretch> rv = voiced_stretches(reference.audio, silence);
  std::vector<VoicedStretch> tv = voiced_stretches(audio, silence);
  if (tv.empty()) throw SpeechError("audio", "no speech found (all silence)");
  if (rv.empty()) throw SpeechError("reference", "the reference synthesis is silent");
  std::vector<Gap> rg = gaps_of(rv), tg = gaps_of(tv);
  auto pairs = match_gaps(rg, tg);
  if (report) *report = {rg.size(), tg.size(), pairs.size()};

  // Sections between anchors: [ref_from, ref_to] maps onto [audio_from, audio_to].
  struct Section {
    double r0, r1, t0, t1;
  };
  std::vector<Section> sections;
  double r0 = rv.front().start, t0 = tv.front().start;
  for (auto [i, j] : pairs) {
    sections.push_back({r0, rg[i].start, t0, tg[j].start});
    r0 = rg[i].end;
    t0 = tg[j].end;
  }
  sections.push_back({r0, rv.back().end, t0, tv.back().end});
  std::vector<VoicedAxis> raxes, taxes;
  for (const auto &s : sections) {
    raxes.emplace_back(rv, s.r0, s.r1);
    taxes.emplace_back(tv, s.t0, s.t1);
  }

  auto map_time = [&](double r, bool late) {
    // A time inside a matched pause maps into the matching pause, proportionally.
    for (size_t k = 0; k + 1 < sections.size(); ++k) {
      if (r > sections[k].r1 && r < sections[k + 1].r0) {
        double f = (r - sections[k].r1) / (sections[k + 1].r0 - sections[k].r1);
        return sections[k].t1 + f * (sections[k + 1].t0 - sections[k].t1);
      }
    }
    size_t k = 0;
    while (k + 1 < sections.size() && r >= sections[k + 1].r0) ++k;
    const Section &s = sections[k];
    if (r <= s.r0) return std::max(0.0, s.t0 - (s.r0 - r));
    if (r >= s.r1 && k + 1 == sections.size()) return std::min(audio.duration(), s.t1 + (r - s.r1));
    double frac = raxes[k].voiced_until(r) / std::max(raxes[k].total(), 1e-9);
    return taxes[k].time_at(frac * taxes[k].total(), late);
  };

  // Refine the pause-anchored map by warping the two recordings' frames onto each other
  // within a band around it: it finds where each word starts inside a voiced stretch.
  auto rf = frame_features(reference.audio), tf = frame_features(audio);
  std::vector<std::pair<int, int>> warped = warp(
      rf, tf,
      [&](size_t i) {
        return static_cast<int>(map_time(static_cast<double>(i) * kHop, true) / kHop);
      },
      60);
  auto refined = [&](double r, bool late) {
    size_t i = static_cast<size_t>(std::max(0.0, r / kHop));
    if (warped.empty() || i >= warped.size() || warped[i].first < 0) return map_time(r, late);
    // A start is where the audio leaves the matched frame's pause; an end where it enters it.
    return std::min(audio.duration(), (late ? warped[i].second : warped[i].first) * kHop);
  };

  // A start that lands in a pause of the audio moves to where the voice resumes.
  std::vector<bool> voiced = voiced_frames(audio, silence);
  auto onset = [&](double t, double limit) {
    auto frame = [&](double x) { return static_cast<size_t>(x / silence.frame_seconds); };
    double u = t;
    while (u < limit && frame(u) < voiced.size() && !voiced[frame(u)]) u += silence.frame_seconds;
    return u < limit ? u : t;
  };

  std::vector<WordTiming> out;
  out.reserve(reference.words.size());
  double floor = 0;
  for (const WordTiming &w : reference.words) {
    WordTiming a = w;
    a.end = refined(w.end, false);
    a.start = std::max(floor, onset(refined(w.start, true), a.end));
    a.end = std::max(a.start, a.end);
    a.end = std::min(a.end, audio.duration());
    a.start = std::min(a.start, a.end);
    floor = a.start;
    out.push_back(std::move(a));
  }
  return out;
}

std::vector<WordTiming> align_script(std::string_view script, const PcmAudio &audio,
                                     const SynthesisOptions &reference_voice,
                                     AlignmentReport *report) {
  Speech reference = synthesize_script(script, reference_voice);
  return align_to_audio(reference, audio, report);
}

}  // namespace automuse::speech
