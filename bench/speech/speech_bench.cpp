// bench/speech/speech_bench.cpp — measures, in one run on one machine: synthesis time of a
// Short-length script with sentences serial vs two in flight (median of several runs; the
// engine itself is serialised, so the difference is the overlapped timing/silence work), and
// the aligner's word-start error against hidden espeak-ng timings at several rates and voices.
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <vector>

#include "speech/aligner.hpp"
#include "speech/synthesizer.hpp"

using namespace automuse::speech;

namespace {

const char *kScript =
    "Most people never notice how much time they lose to small interruptions. A message here, "
    "a notification there, and suddenly the afternoon is gone. Here is a simple trick: batch "
    "your replies, twice a day, and close everything else. You will be surprised how much "
    "calmer, and faster, your work becomes. Try it for one week. Keep a note of what you "
    "finished each day. Compare it with the week before. Most people find at least an hour. "
    "Some find a whole afternoon. Follow for more small habits that add up.";

double median_ms(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}

double time_synthesis(unsigned parallel) {
  SynthesisOptions o;
  o.parallel = parallel;
  std::vector<double> runs;
  for (int i = 0; i < 7; ++i) {
    auto t0 = std::chrono::steady_clock::now();
    Speech s = synthesize_script(kScript, o);
    runs.push_back(
        std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count());
  }
  return median_ms(runs);
}

}  // namespace

int main() {
  synthesize_script("Warm up.", {});
  Speech once = synthesize_script(kScript, {});
  double serial = time_synthesis(1), two = time_synthesis(2);
  std::printf(
      "synthesis of %.1f s of speech (%zu words): serial %.1f ms, 2 in flight %.1f ms, "
      "ratio %.2f\n",
      once.audio.duration(), once.words.size(), serial, two, serial / two);

  struct Case {
    int rate, pitch;
    const char *voice;
  };
  for (Case c : {Case{230, 65, "en"}, Case{140, 50, "en-us+f3"}, Case{200, 40, "en-gb-x-rp"},
                 Case{300, 50, "en+m3"}}) {
    SynthesisOptions truth_voice;
    truth_voice.rate = c.rate;
    truth_voice.pitch = c.pitch;
    truth_voice.voice = c.voice;
    Speech truth = synthesize_script(kScript, truth_voice);
    auto t0 = std::chrono::steady_clock::now();
    AlignmentReport report;
    auto aligned = align_script(kScript, truth.audio, {}, &report);
    double ms =
        std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
    double sum = 0, worst = 0;
    for (size_t i = 0; i < aligned.size(); ++i) {
      double d = std::abs(aligned[i].start - truth.words[i].start);
      sum += d;
      worst = std::max(worst, d);
    }
    std::printf(
        "alignment vs hidden timings, voice %-11s rate %3d pitch %2d: %zu words, mean "
        "%.1f ms, worst %.1f ms (%.0f ms to align %.1f s)\n",
        c.voice, c.rate, c.pitch, aligned.size(), 1000 * sum / double(aligned.size()), 1000 * worst,
        ms, truth.audio.duration());
  }
}
