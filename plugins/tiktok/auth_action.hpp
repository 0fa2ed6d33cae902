// plugins/tiktok/auth_action.hpp — `automuse-host auth tiktok --account A`.
#pragma once

#include <automuse/cpp/plugin.hpp>
#include <automuse/cpp/task.hpp>
#include <string>

namespace tiktok {

am::task<std::string> auth_action(am::job job, am::action_request request);

}  // namespace tiktok
