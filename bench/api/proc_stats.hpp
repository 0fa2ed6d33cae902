// bench/api/proc_stats.hpp — what /proc says of a process: its memory (VmRSS, VmHWM from
// /proc/PID/status), the nice value of each of its threads (/proc/PID/task/*/stat), its child
// processes (the render and speech workers) and the machine's load average. Header-only.
#pragma once

#include <sys/types.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

namespace automuse::bench {

struct MemoryStatus {
  double rss_mb = 0;  // VmRSS
  double hwm_mb = 0;  // VmHWM: the peak RSS so far
};

inline MemoryStatus read_memory(pid_t pid) {
  MemoryStatus m;
  std::ifstream in("/proc/" + std::to_string(pid) + "/status");
  std::string key;
  double kb = 0;
  for (std::string line; std::getline(in, line);) {
    std::istringstream fields(line);
    fields >> key >> kb;
    if (key == "VmRSS:") m.rss_mb = kb / 1024;
    if (key == "VmHWM:") m.hwm_mb = kb / 1024;
  }
  return m;
}

// The nice value of thread `tid` of `pid` (field 19 of its stat; the name, field 2, may hold
// spaces but ends at the last ')'), or 0 when it has gone.
inline int thread_nice(pid_t pid, const std::string &tid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/task/" + tid + "/stat");
  std::string stat((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  const size_t name_end = stat.rfind(')');
  if (name_end == std::string::npos) return 0;
  std::istringstream fields(stat.substr(name_end + 2));  // from field 3 on
  std::string field;
  for (int i = 3; i <= 19 && fields >> field; ++i)
    if (i == 19) return std::stoi(field);
  return 0;
}

struct Niceness {
  int main_nice = 0;  // the main thread's (it serves the API)
  int threads = 0;
  int niced = 0;  // threads with a nice value above the main thread's
  int max_nice = 0;
};

inline Niceness read_niceness(pid_t pid) {
  Niceness n;
  n.main_nice = thread_nice(pid, std::to_string(pid));
  n.max_nice = n.main_nice;
  std::error_code ec;
  for (const auto &t :
       std::filesystem::directory_iterator("/proc/" + std::to_string(pid) + "/task", ec)) {
    const int v = thread_nice(pid, t.path().filename().string());
    ++n.threads;
    if (v > n.main_nice) ++n.niced;
    n.max_nice = std::max(n.max_nice, v);
  }
  return n;
}

// The processes whose parent is `pid` (field 4 of /proc/N/stat), summed.
struct Children {
  int count = 0;
  int render_workers = 0;  // of them, automuse-render-worker processes
  double rss_mb = 0;       // VmRSS summed over all of them
  int min_nice = 100;      // the least nice main thread of a render worker (100: none seen)
};

inline Children read_children(pid_t pid) {
  Children c;
  std::error_code ec;
  for (const auto &p : std::filesystem::directory_iterator("/proc", ec)) {
    const std::string name = p.path().filename().string();
    if (name.find_first_not_of("0123456789") != std::string::npos) continue;
    std::ifstream in(p.path() / "stat");
    std::string stat((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    const size_t name_end = stat.rfind(')');
    if (name_end == std::string::npos) continue;  // gone meanwhile
    std::istringstream fields(stat.substr(name_end + 2));
    std::string state;
    pid_t ppid = 0;
    if (!(fields >> state >> ppid) || ppid != pid) continue;
    const pid_t child = std::stoi(name);
    ++c.count;
    c.rss_mb += read_memory(child).rss_mb;
    std::error_code link_ec;
    if (std::filesystem::read_symlink(p.path() / "exe", link_ec).filename() ==
        "automuse-render-worker") {
      ++c.render_workers;
      c.min_nice = std::min(c.min_nice, thread_nice(child, name));
    }
  }
  return c;
}

// "1.23 0.98 0.75" (1, 5 and 15 minutes).
inline std::string load_average() {
  std::ifstream in("/proc/loadavg");
  std::string a, b, c;
  in >> a >> b >> c;
  return a + " " + b + " " + c;
}

}  // namespace automuse::bench
