// host/plugins/plugin_module.cpp — loading, verifying, initialising and unloading a plugin.
#define BOOST_DLL_USE_STD_FS
#include "plugins/plugin_module.hpp"

#include <dlfcn.h>

#include <boost/dll/shared_library.hpp>
#include <boost/json.hpp>
#include <fstream>
#include <regex>

#include "core/runtime.hpp"
#include "plugins/action_options.hpp"

namespace automuse::plugins {
namespace fs = std::filesystem;
namespace json = boost::json;

struct PluginModule::Library {
  boost::dll::shared_library lib;
};

std::string to_string(am_version v) {
  return std::to_string(v.major) + "." + std::to_string(v.minor);
}

namespace {

bool has_elf_header(const fs::path &path) {
  std::ifstream in(path, std::ios::binary);
  char magic[4] = {};
  return in.read(magic, 4) && magic[0] == 0x7f && magic[1] == 'E' && magic[2] == 'L' &&
         magic[3] == 'F';
}

std::string last_dlerror() {
  const char *e = dlerror();
  return e ? e : "";
}

}  // namespace

std::vector<std::string> PluginInfo::actions() const {
  std::vector<std::string> out;
  if (auto *a = description.if_contains("actions"); a && a->is_array())
    for (const auto &action : a->as_array())
      if (auto *o = action.if_object())
        if (auto *n = o->if_contains("name"); n && n->is_string()) out.emplace_back(n->as_string());
  return out;
}

json::object PluginInfo::to_json() const {
  json::object o;
  o["id"] = id;
  o["name"] = name;
  o["version"] = version;
  o["abi"] = to_string(abi);
  o["path"] = path.string();
  json::array acts;
  for (auto &a : actions()) acts.emplace_back(a);
  o["actions"] = std::move(acts);
  // Each action's options as declared (checked at load), for --help and `plugins info`.
  json::object options;
  for (auto &a : actions()) {
    json::array list;
    try {
      for (const OptionSpec &spec : option_specs(id, description, a))
        list.push_back(json::object{
            {"name", spec.name}, {"type", core::value_type_name(spec.type)}, {"help", spec.help}});
    } catch (const std::invalid_argument &) {
      // refused when the plugin was initialised; nothing to show
    }
    options[a] = std::move(list);
  }
  o["options"] = std::move(options);
  if (auto *d = description.if_contains("description")) o["description"] = *d;
  if (auto *p = description.if_contains("publishes")) o["publishes"] = *p;
  if (auto *f = description.if_contains("account_fields")) o["account_fields"] = *f;
  // Only the actions that declare an options list, as declared: `schedule add --option`
  // checks keys against these from the parent process (an action without a list is unchecked).
  json::object declared;
  if (auto *acts = description.if_contains("actions"); acts && acts->is_array())
    for (auto &a : acts->as_array())
      if (auto *ao = a.if_object(); ao && ao->contains("name") && ao->at("name").is_string())
        if (auto *opts = ao->if_contains("options"); opts && opts->is_array())
          declared[ao->at("name").as_string()] = *opts;
  o["action_options"] = std::move(declared);
  // How actions split when a job must wait for approval (schedule/approval.hpp), as declared.
  json::object approval;
  if (auto *acts = description.if_contains("actions"); acts && acts->is_array())
    for (auto &a : acts->as_array())
      if (auto *ao = a.if_object(); ao && ao->contains("name") && ao->at("name").is_string())
        if (auto *ap = ao->if_contains("approval"); ap && ap->is_object())
          approval[ao->at("name").as_string()] = *ap;
  o["action_approval"] = std::move(approval);
  return o;
}

std::shared_ptr<PluginModule> PluginModule::open(const fs::path &path) {
  const std::string file = path.string();
  std::error_code fec;
  if (!fs::is_regular_file(path, fec)) throw PluginError(file + ": no such file");
  if (!has_elf_header(path)) throw PluginError(file + ": not a shared library (no ELF header)");

  std::shared_ptr<PluginModule> m(new PluginModule());
  m->path_ = fs::absolute(path);
  m->library_ = std::make_unique<Library>();
  boost::dll::fs::error_code ec;
  dlerror();  // clear any stale message
  m->library_->lib.load(m->path_,
                        boost::dll::load_mode::rtld_now | boost::dll::load_mode::rtld_local, ec);
  if (ec) {
    std::string why = last_dlerror();
    if (why.empty()) why = ec.message();
    // dlerror's text already names the file; keep the cause readable on one line.
    if (why.find("undefined symbol") != std::string::npos)
      throw PluginError(file + ": unresolved symbol: " + why);
    if (why.find("cannot open shared object file") != std::string::npos && why.rfind(file, 0) != 0)
      throw PluginError(file + ": missing dependency: " + why);
    throw PluginError(file + ": cannot load: " + why);
  }
  if (!m->library_->lib.has(AM_PLUGIN_ENTRY_SYMBOL))
    throw PluginError(file + ": not an AutoMuse plugin: missing entry symbol '" +
                      std::string(AM_PLUGIN_ENTRY_SYMBOL) + "'");
  m->entry_ = &m->library_->lib.get<const am_plugin_entry>(AM_PLUGIN_ENTRY_SYMBOL);

  // The ABI version is the first field and is read before anything else.
  const am_version plugin_abi = m->entry_->abi;
  const am_version host_abi AM_ABI_VERSION_INIT;
  std::string label = path.stem().string();
  if (label.rfind("lib", 0) == 0) label = label.substr(3);
  if (!am_version_compatible(host_abi, plugin_abi)) {
    const bool same_major = plugin_abi.major == host_abi.major;
    std::string why =
        same_major ? "the plugin needs a newer host" : "the ABI major version differs";
    // Within one major version the entry's first fields keep their places: its id is readable.
    std::string id = same_major && m->entry_->id ? m->entry_->id : "";
    throw PluginError(label + ": plugin built for SDK ABI " + to_string(plugin_abi) +
                          ", this host speaks " + to_string(host_abi) + " (" + why + "; file " +
                          file + ")",
                      id);
  }
  const am_plugin_entry &e = *m->entry_;
  if (e.struct_size < offsetof(am_plugin_entry, start_action) + sizeof(e.start_action))
    throw PluginError(file + ": entry struct too small (" + std::to_string(e.struct_size) +
                      " bytes)");
  static const std::regex kId("[a-z0-9_-]+");
  if (!e.id || !std::regex_match(e.id, kId))
    throw PluginError(file + ": invalid plugin id (must match [a-z0-9_-]+)");
  if (!e.init || !e.deinit || !e.describe || !e.start_action)
    throw PluginError(file + ": entry has a NULL function pointer", e.id);
  m->info_.id = e.id;
  m->info_.name = e.name ? e.name : e.id;
  m->info_.version = e.version ? e.version : "";
  m->info_.abi = plugin_abi;
  m->info_.path = m->path_;
  return m;
}

void PluginModule::initialise(core::ServiceRegistry &services, core::Runtime &runtime) {
  context_ = core::make_plugin_context(info_.id, services, runtime);
  context_->in_init = true;
  am_status s = entry_->init(&context_->host);
  context_->in_init = false;
  if (s != AM_OK) {
    const std::string &reason = context_->init_failure;
    throw PluginError(info_.id + ": init failed (" + am_status_name(s) + ")" +
                          (reason.empty() ? "; the plugin gave no reason" : ": " + reason) + " (" +
                          path_.string() + ")",
                      s);
  }
  initialised_ = true;
  am_str d = entry_->describe();
  json::error_code ec;
  json::value v = json::parse(std::string_view(d.data ? d.data : "", d.data ? d.len : 0), ec);
  if (ec || !v.is_object())
    throw PluginError(info_.id + ": describe() did not return a JSON object (" + path_.string() +
                      ")");
  info_.description = std::move(v.as_object());
  try {
    check_option_declarations(info_.id, info_.description);
  } catch (const std::invalid_argument &e) {
    throw PluginError(std::string(e.what()) + " (" + path_.string() + ")");
  }
}

PluginModule::~PluginModule() {
  if (initialised_ && entry_) entry_->deinit();
  entry_ = nullptr;
  library_.reset();  // unload last
}

}  // namespace automuse::plugins
