// host/schedule/orphaned_runs.hpp — runs left "running" by a process that no longer exists
// (kill -9, a crash, a power loss: no signal handler recorded them). The daemon, run-due and
// runs by hand call it when they start (the daemon again at every tick): each such run is
// recorded "interrupted", with a warning naming it, and is then resumed like a run a signal
// interrupted. A run whose owner still runs (another daemon sharing the store) or cannot be
// checked from here (another machine) is left alone.
#pragma once

#include "schedule/schedule_store.hpp"

namespace automuse::schedule {

// Records every orphaned running run as interrupted; returns how many. Any thread that owns
// `store`.
int recover_orphaned_runs(ScheduleStore &store);

}  // namespace automuse::schedule
