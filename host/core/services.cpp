// host/core/services.cpp — service lookup and per-plugin am_host construction.
#include "core/services.hpp"

#include "version.hpp"  // generated

namespace automuse::core {

void ServiceRegistry::add(std::string id, const void *table) {
  std::lock_guard lock(mutex_);
  tables_[std::move(id)] = table;
}

const void *ServiceRegistry::find(const std::string &id) const {
  std::lock_guard lock(mutex_);
  auto it = tables_.find(id);
  return it == tables_.end() ? nullptr : it->second;
}

std::unique_ptr<PluginContext> make_plugin_context(std::string plugin_id,
                                                   ServiceRegistry &services,
                                                   Runtime &runtime) {
  auto ctx = std::make_unique<PluginContext>();
  ctx->plugin_id = std::move(plugin_id);
  ctx->services = &services;
  ctx->runtime = &runtime;
  ctx->host.struct_size = sizeof(am_host);
  ctx->host.abi = am_version AM_ABI_VERSION_INIT;
  ctx->host.host_name = am_str{kHostName, sizeof(kHostName) - 1};
  ctx->host.host_version = am_str{kHostVersion, sizeof(kHostVersion) - 1};
  ctx->host.host_data = ctx.get();
  ctx->host.get_service = [](const am_host *h, const char *id) -> const void * {
    if (!h || !id) return nullptr;
    return context_of(h).services->find(id);
  };
  ctx->host.set_init_failure = [](const am_host *h, am_str reason) {
    if (!h) return;
    PluginContext &c = context_of(h);
    if (c.in_init)
      c.init_failure.assign(reason.data ? reason.data : "", reason.data ? reason.len : 0);
  };
  return ctx;
}

}  // namespace automuse::core
