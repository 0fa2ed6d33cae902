// bench/speech/speech_bench.cpp — measures, in one run on one machine: synthesis time of a
// Short-length script with its sentences spoken one after another in-process (libespeak-ng
// is not thread-safe) vs at once by 2 and by N espeak-ng worker processes (medians of several
// runs, workers started before timing; the first use's start-up is reported apart), and the
// aligner's word-start error against hidden espeak-ng timings at several rates and voices.
#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <iterator>
#include <mutex>
#include <set>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "speech/aligner.hpp"
#include "speech/espeak_pool.hpp"
#include "speech/script_text.hpp"
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

double ms_since(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
}

// CPU time (user + system) of this process's threads, or of another process, in ms.
double cpu_ms_self() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return (u.ru_utime.tv_sec + u.ru_stime.tv_sec) * 1e3 +
         (u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e3;
}
double cpu_ms_of(int pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
  std::string all((std::istreambuf_iterator<char>(in)), {});
  size_t close = all.rfind(')');  // the command name may hold spaces
  if (close == std::string::npos) return 0;
  std::istringstream fields(all.substr(close + 2));
  std::string f;
  double utime = 0, stime = 0;
  for (int i = 3; fields >> f; ++i) {  // field 3 is the state
    if (i == 14) utime = std::stod(f);
    if (i == 15) {
      stime = std::stod(f);
      break;
    }
  }
  return (utime + stime) * 1e3 / static_cast<double>(sysconf(_SC_CLK_TCK));
}

struct Timing {
  double wall_ms = 0;  // median of the runs
  double cpu_ms = 0;   // mean per run, this process plus its workers
};

// `pool` null: in-process, serial.
Timing time_synthesis(EspeakPool *pool) {
  constexpr int kRuns = 9;
  SynthesisOptions o;
  o.parallel = pool ? pool->size() : 1;
  std::mutex m;
  std::set<int> pids;
  ChunkSynthesizer backend = pool ? pooled_espeak(*pool,
                                                  [&](const WorkerStamp &st) {
                                                    std::lock_guard lock(m);
                                                    pids.insert(st.pid);
                                                  })
                                  : in_process_espeak();
  synthesize_script(kScript, o, backend);  // learns the worker pids
  auto workers_cpu = [&] {
    double sum = 0;
    for (int pid : pids) sum += cpu_ms_of(pid);
    return sum;
  };
  double cpu0 = cpu_ms_self() + workers_cpu();
  std::vector<double> runs;
  for (int i = 0; i < kRuns; ++i) {
    auto t0 = std::chrono::steady_clock::now();
    Speech s = synthesize_script(kScript, o, backend);
    runs.push_back(ms_since(t0));
  }
  return {median_ms(runs), (cpu_ms_self() + workers_cpu() - cpu0) / kRuns};
}

}  // namespace

int main() {
  auto worker = find_espeak_worker();
  if (!worker) {
    std::fprintf(stderr, "automuse-espeak-worker not found\n");
    return 1;
  }
  const unsigned cores = std::max(2u, std::thread::hardware_concurrency());
  EspeakPool one(*worker, 1), two(*worker, 2), many(*worker, cores);
  SynthesisOptions o;
  SynthesisOptions serial_options;
  serial_options.parallel = 1;
  synthesize_script("Warm up.", serial_options);
  Speech once = synthesize_script(kScript, serial_options);
  auto t0 = std::chrono::steady_clock::now();
  o.parallel = 2;
  synthesize_script(kScript, o, pooled_espeak(two));  // starts the workers
  double first_use = ms_since(t0);
  o.parallel = 1;
  synthesize_script(kScript, o, pooled_espeak(one));
  o.parallel = cores;
  synthesize_script(kScript, o, pooled_espeak(many));
  Timing serial = time_synthesis(nullptr), in_one = time_synthesis(&one),
         in_two = time_synthesis(&two), in_many = time_synthesis(&many);
  double load[3] = {0, 0, 0};
  getloadavg(load, 3);
  std::printf(
      "synthesis of %.1f s of speech (%zu words, %zu sentences) on %u cores, load average "
      "%.1f; wall medians of 9 runs (speed-up vs serial), CPU per run incl. workers:\n",
      once.audio.duration(), once.words.size(), sentence_ranges(split_script(kScript)).size(),
      std::thread::hardware_concurrency(), load[0]);
  auto row = [&](const std::string &what, const Timing &t) {
    std::printf("  %-26s wall %7.1f ms (x%.2f)  cpu %7.1f ms\n", what.c_str(), t.wall_ms,
                serial.wall_ms / t.wall_ms, t.cpu_ms);
  };
  row("in-process, serial", serial);
  row("1 worker process", in_one);
  row("2 worker processes", in_two);
  row(std::to_string(cores) + " worker processes", in_many);
  std::printf("  first use, 2 workers starting: %.1f ms\n\n", first_use);

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
    auto a0 = std::chrono::steady_clock::now();
    AlignmentReport report;
    auto aligned = align_script(kScript, truth.audio, {}, &report);
    double ms = ms_since(a0);
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
