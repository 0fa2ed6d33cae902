// host/config/config_service.hpp — "automuse.config/1": a plugin's own config section and
// data folder.
#pragma once

#include "config/config.hpp"

#include <automuse/config.h>

namespace automuse::config {
// The table; `config` must outlive every plugin that sees it. `data_root` is the folder
// under which each plugin gets "plugins-data/<id>".
const am_config *config_service(const Config &config, std::filesystem::path data_root);
}  // namespace automuse::config
