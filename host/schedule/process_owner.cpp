// host/schedule/process_owner.cpp — process identity from /proc (Linux).
#include "schedule/process_owner.hpp"

#include <unistd.h>

#include <fstream>
#include <sstream>
#include <string>

namespace automuse::schedule {
namespace {

std::string first_line(const char *file) {
  std::ifstream in(file);
  std::string line;
  std::getline(in, line);
  return line;
}

std::string machine_id() {
  std::string id = first_line("/etc/machine-id");
  if (id.empty()) id = first_line("/var/lib/dbus/machine-id");
  if (id.empty()) {
    char name[256] = {};
    if (::gethostname(name, sizeof name - 1) == 0) id = name;
  }
  return id;
}

// "pid:[4026531836]": processes in other pid namespaces (containers) have other pids.
std::string pid_namespace() {
  char buf[128] = {};
  ssize_t n = ::readlink("/proc/self/ns/pid", buf, sizeof buf - 1);
  return n > 0 ? std::string(buf, static_cast<size_t>(n)) : std::string();
}

}  // namespace

std::optional<int64_t> process_start_ticks(int64_t pid) {
  if (pid <= 0) return std::nullopt;
  std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
  std::string stat;
  if (!in || !std::getline(in, stat)) return std::nullopt;
  // "PID (COMM) STATE ... STARTTIME ...": COMM may hold spaces and parentheses, so the
  // fields are counted from the last ')'. STATE is field 3, STARTTIME field 22.
  const size_t close = stat.rfind(')');
  if (close == std::string::npos) return std::nullopt;
  std::istringstream fields(stat.substr(close + 1));
  std::string state;
  fields >> state;
  if (state == "Z" || state == "X") return std::nullopt;  // ended, not yet reaped
  std::string field;
  for (int k = 4; k <= 22; ++k)
    if (!(fields >> field)) return std::nullopt;
  try {
    return std::stoll(field);
  } catch (const std::exception &) {
    return std::nullopt;
  }
}

int64_t boot_time_seconds() {
  std::ifstream in("/proc/stat");
  for (std::string key; in >> key;) {
    if (key == "btime") {
      int64_t t = 0;
      in >> t;
      return t;
    }
    in.ignore(1 << 20, '\n');
  }
  return 0;
}

const ProcessOwner &current_process() {
  static const ProcessOwner kSelf = [] {
    ProcessOwner o;
    o.pid = ::getpid();
    o.start_ticks = process_start_ticks(o.pid).value_or(0);
    o.boot_id = first_line("/proc/sys/kernel/random/boot_id");
    o.host_id = machine_id() + " " + pid_namespace();
    return o;
  }();
  return kSelf;
}

OwnerState owner_state(const ProcessOwner &owner) {
  const ProcessOwner &self = current_process();
  // The machine id goes first: a store moved to (or shared with) another machine.
  const std::string machine = owner.host_id.substr(0, owner.host_id.find(' '));
  const std::string my_machine = self.host_id.substr(0, self.host_id.find(' '));
  if (machine != my_machine) return OwnerState::unknown;
  // Same machine, another boot: every process of that boot has ended. (An empty boot id:
  // /proc was not readable there or here, so the boot cannot tell.)
  if (!owner.boot_id.empty() && !self.boot_id.empty() && owner.boot_id != self.boot_id)
    return OwnerState::gone;
  if (owner.host_id != self.host_id) return OwnerState::unknown;  // another pid namespace
  auto started = process_start_ticks(owner.pid);
  if (!started) return OwnerState::gone;
  // A start time of 0 was not readable when the run began: the pid alone has to do.
  return owner.start_ticks == 0 || *started == owner.start_ticks ? OwnerState::alive
                                                                 : OwnerState::gone;
}

}  // namespace automuse::schedule
