// host/speech/aligner.cpp — pause matching by dynamic programming, then a monotonic map from
// reference time to audio time that advances only through voiced time.
#include "speech/aligner.hpp"

#include <algorithm>
#include <cmath>
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

  std::vector<WordTiming> out;
  out.reserve(reference.words.size());
  double floor = 0;
  for (const WordTiming &w : reference.words) {
    WordTiming a = w;
    a.start = std::max(floor, map_time(w.start, true));
    a.end = std::max(a.start, map_time(w.end, false));
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
