// host/plugins/plugin_install.cpp — checked copies into the user plugin folder (see
// plugin_install.hpp).
#include "plugins/plugin_install.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "config/paths.hpp"
#include "core/atomic_file.hpp"
#include "plugins/plugin_finder.hpp"
#include "plugins/plugin_module.hpp"
#include "plugins/plugin_probe.hpp"

namespace automuse::plugins {
namespace fs = std::filesystem;
namespace {

constexpr fs::perms kPluginMode = fs::perms::owner_all | fs::perms::group_read |
                                  fs::perms::group_exec | fs::perms::others_read |
                                  fs::perms::others_exec;

std::string str_field(const boost::json::object &o, const char *key) {
  if (auto *v = o.if_contains(key); v && v->is_string()) return std::string(v->as_string());
  return "";
}

// The file in `dir` that provides plugin `id`, if any.
std::optional<fs::path> provider_in(const fs::path &dir, const std::string &id) {
  for (auto &file : candidate_files({dir})) {
    auto r = probe_in_child(file);
    if (r.info && str_field(*r.info, "id") == id) return file;
  }
  return std::nullopt;
}

class Descriptor {
 public:
  explicit Descriptor(const fs::path &file) : fd_(::open(file.c_str(), O_RDONLY | O_CLOEXEC)) {
    if (fd_ < 0) throw PluginError(file.string() + ": cannot open: " + std::strerror(errno));
    struct stat st {};
    if (::fstat(fd_, &st) != 0 || !S_ISREG(st.st_mode)) {
      ::close(fd_);
      throw PluginError(file.string() + ": not a regular file");
    }
  }
  ~Descriptor() { ::close(fd_); }
  Descriptor(const Descriptor &) = delete;
  Descriptor &operator=(const Descriptor &) = delete;
  int get() const { return fd_; }

 private:
  int fd_;
};

// The probe names the file it read, the temporary copy; the user knows the source.
std::string in_source_terms(std::string message, const fs::path &temp, const fs::path &source) {
  const std::string from = temp.string(), to = source.string();
  for (size_t at = message.find(from); at != std::string::npos;
       at = message.find(from, at + to.size()))
    message.replace(at, from.size(), to);
  return message;
}

// Refuses what the request does not allow: a bundled plugin's id, an id or a file name
// already installed.
void check_allowed(const InstallRequest &r, const std::string &id, const fs::path &target,
                   const std::optional<fs::path> &bundled,
                   const std::optional<fs::path> &existing) {
  if (bundled && !r.replace_bundled)
    throw PluginError(r.source.string() + ": plugin '" + id +
                          "' has the id of the bundled plugin '" + id + "' (" + bundled->string() +
                          ") and would replace it (add --replace-bundled to do so)",
                      id);
  if (r.replace) return;
  if (existing)
    throw PluginError("plugin '" + id + "' is already installed as " + existing->string() +
                          " (add --replace to replace it)",
                      id);
  std::error_code ec;
  if (fs::exists(target, ec))
    throw PluginError(target.string() + " already exists (add --replace to replace it)", id);
}

}  // namespace

Installed install_plugin(const InstallRequest &r) {
  fs::path target = r.user_dir / r.source.filename();
  if (target.extension() != ".so") target += ".so";
  Descriptor source(r.source);
  try {
    config::create_private_dirs(r.user_dir);
    core::AtomicFile copy(target, kPluginMode);
    copy.copy_from(source.get());
    copy.finish();
    const ProbeResult probe = probe_in_child(copy.temp_path());
    if (!probe.info) throw PluginError(in_source_terms(probe.error, copy.temp_path(), r.source));
    Installed done{str_field(*probe.info, "id"), str_field(*probe.info, "version"), target, {}, {}};
    const std::optional<fs::path> bundled = provider_in(bundled_plugin_dir(), done.id);
    const std::optional<fs::path> existing = provider_in(r.user_dir, done.id);
    check_allowed(r, done.id, target, bundled, existing);
    copy.commit();
    // The old copy under another name goes, so that the folder holds one file per id; a
    // bundled copy stays and is shadowed by the user's.
    std::error_code ec;
    if (existing && !fs::equivalent(*existing, target, ec)) fs::remove(*existing, ec);
    if (existing) done.replaced = existing;
    done.shadowed = bundled;
    return done;
  } catch (const PluginError &) {
    throw;
  } catch (const std::runtime_error &e) {  // the folder or the copy could not be written
    throw PluginError(r.source.string() + ": " + e.what());
  }
}

}  // namespace automuse::plugins
