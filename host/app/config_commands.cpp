// host/app/config_commands.cpp — writing the default configuration and checking one.
#include "app/config_commands.hpp"

#include "config/config.hpp"
#include "config/paths.hpp"

#include <iostream>

namespace automuse::app {
namespace fs = std::filesystem;

namespace {

fs::path target_path(const GlobalOptions &o) {
  return o.config_file ? *o.config_file : config::default_config_file();
}

int init_command(const GlobalOptions &o, bool force) {
  fs::path path = target_path(o);
  if (fs::exists(path) && !force) {
    std::cerr << "automuse-host: " << path.string()
              << " already exists; use --force to replace it\n";
    return 1;
  }
  config::write_file_atomically(path, config::Config::default_text());
  std::cout << "wrote " << path.string()
            << "\nEvery key is explained in docs/configuration.md; check it with "
               "`automuse-host config check`.\n";
  return 0;
}

int check_command(const GlobalOptions &o) {
  auto located = config::Config::locate(o.config_file);
  if (!located) {
    std::cout << "no configuration file (looked for " << config::default_config_file().string()
              << "); defaults are used. `automuse-host config init` writes one.\n";
    return 0;
  }
  config::Config c;
  try {
    c = config::Config::load(*located);
  } catch (const config::ConfigError &e) {
    std::cerr << e.what() << "\n";
    return 1;
  }
  int errors = 0;
  for (auto &p : c.check()) {
    (p.error ? std::cerr : std::cout) << located->string() << ": " << (p.error ? "error" : "warning")
                                      << ": " << p.path << ": " << p.message << "\n";
    errors += p.error ? 1 : 0;
  }
  if (errors == 0) std::cout << located->string() << ": ok\n";
  return errors == 0 ? 0 : 1;
}

}  // namespace

void add_config_commands(CLI::App &app, const GlobalOptions *options, int *exit_code) {
  auto *config_cmd = app.add_subcommand("config", "Write, check or locate automuse.json");
  config_cmd->require_subcommand(1);
  auto *init = config_cmd->add_subcommand("init", "Write the default configuration");
  auto force = std::make_shared<bool>(false);
  init->add_flag("--force", *force, "Replace an existing file");
  init->callback([=] { *exit_code = init_command(*options, *force); });
  auto *check = config_cmd->add_subcommand("check", "Report every problem with its JSON path");
  check->callback([=] { *exit_code = check_command(*options); });
  auto *path = config_cmd->add_subcommand("path", "Print which configuration file is used");
  path->callback([=] {
    auto located = config::Config::locate(options->config_file);
    std::cout << (located ? located->string() : "(none: defaults)") << "\n";
    *exit_code = 0;
  });
}

}  // namespace automuse::app
