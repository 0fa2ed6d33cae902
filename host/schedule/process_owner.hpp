// host/schedule/process_owner.hpp — which process owns a running job_run, and whether that
// process still exists. A pid alone is not an identity: pids are reused, and after a reboot
// (a power loss) a new process may carry an old run's pid. So an owner is the pid plus the
// process's start time (field 22 of /proc/PID/stat, clock ticks after boot), the boot it ran
// in (/proc/sys/kernel/random/boot_id) and the machine and pid namespace it ran on. Two
// daemons sharing one store on one machine see each other as alive; a pid reused by an
// unrelated process has another start time; a run from before the last boot is gone.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

namespace automuse::schedule {

struct ProcessOwner {
  int64_t pid = 0;
  int64_t start_ticks = 0;  // when the process started, in clock ticks after boot
  std::string boot_id;      // the kernel's boot id of the boot it ran in
  std::string host_id;      // machine id (or host name) and pid namespace
};

// This process (read once; the answer does not change).
const ProcessOwner &current_process();

// The start time of process `pid` in clock ticks after boot; nullopt when there is no such
// process or it has ended and only waits to be reaped (a zombie).
std::optional<int64_t> process_start_ticks(int64_t pid);

// When this machine booted (Unix seconds, "btime" of /proc/stat); 0 if unknown.
int64_t boot_time_seconds();

enum class OwnerState {
  alive,    // the very process still runs: its run is its own
  gone,     // it ended (killed, crashed, or the machine restarted since)
  unknown,  // another machine or pid namespace: it cannot be checked from here
};

// Judges `owner` from this machine.
OwnerState owner_state(const ProcessOwner &owner);

}  // namespace automuse::schedule
