// host/config/config_service.cpp — the automuse.config/1 table.
#include "config/config_service.hpp"

#include "config/paths.hpp"
#include "core/services.hpp"

#include <automuse/cpp/buffer.hpp>
#include <automuse/cpp/error.hpp>

#include <boost/json/serialize.hpp>

namespace automuse::config {
namespace {

const Config *g_config = nullptr;
std::filesystem::path g_data_root;

am_status plugin_section(const am_host *host, am_buffer *out) {
  if (!host || !out) return AM_INVALID_ARGUMENT;
  return am::guard([&] {
    const auto &id = core::context_of(host).plugin_id;
    *out = am::make_buffer(boost::json::serialize(g_config->plugin_section(id)));
  });
}

am_status data_dir(const am_host *host, am_buffer *out) {
  if (!host || !out) return AM_INVALID_ARGUMENT;
  return am::guard([&] {
    auto dir = g_data_root / "plugins-data" / core::context_of(host).plugin_id;
    create_private_dirs(dir);
    *out = am::make_buffer(dir.string());
  });
}

constexpr am_config kTable = {sizeof(am_config), plugin_section, data_dir};

}  // namespace

const am_config *config_service(const Config &config, std::filesystem::path data_root) {
  g_config = &config;
  g_data_root = std::move(data_root);
  return &kTable;
}

}  // namespace automuse::config
