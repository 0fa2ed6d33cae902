// host/schedule/orphaned_runs.cpp — finding running rows whose process is gone.
#include "schedule/orphaned_runs.hpp"

#include "log/logging.hpp"

namespace automuse::schedule {
namespace {

// Whether the process that started `run` has ended.
bool owner_gone(const JobRun &run) {
  if (run.owner) return owner_state(*run.owner) == OwnerState::gone;
  // Written before runs knew their owner (migration 6): only a run from before this
  // machine's boot is surely over; a newer one may belong to an older host still running.
  const int64_t booted = boot_time_seconds();
  return booted > 0 && run.started_at < booted;
}

}  // namespace

int recover_orphaned_runs(ScheduleStore &store) {
  int recovered = 0;
  for (const JobRun &run : store.running_runs()) {
    if (!owner_gone(run)) continue;
    const std::string process =
        run.owner ? "process " + std::to_string(run.owner->pid) : std::string("an older host");
    const std::string why = "left running by " + process +
                            ", which ended without finishing it (killed, or the "
                            "machine stopped)";
    // One UPDATE guarded by status: when two processes start at once, one records it.
    if (!store.interrupt_orphan(run.id, why)) continue;
    ++recovered;
    std::string who = run.plugin_id + " " + run.action;
    if (run.account_id) {
      std::string nickname = store.account_nickname(*run.account_id);
      who += " for " + (nickname.empty() ? *run.account_id : nickname);
    }
    log::write("host", spdlog::level::warn,
               "run " + run.id.substr(0, 8) + " (" + who +
                   (run.schedule_id ? ", schedule " + run.schedule_id->substr(0, 8) : "") +
                   ") was " + why + "; recorded interrupted, to be resumed");
  }
  return recovered;
}

}  // namespace automuse::schedule
