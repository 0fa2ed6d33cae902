// plugins/youtube/describe.hpp — the plugin's self-description for the host: account fields
// and actions with their options (plugin.h's describe()).
#pragma once

#include <automuse/types.h>

namespace youtube {

am_str describe_json();

}  // namespace youtube
