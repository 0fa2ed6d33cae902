// host/app/llm_commands.hpp — the CLI commands of the LLM service:
//   llm ask "PROMPT" [--provider P] [--model M] [--stream] [--system TEXT] [--temperature T]
//                    [--max-tokens N] [--seed N] [--shape JSON] [--no-cache] [--account A]
//                    [--json]
//   llm providers [--json]          the configured providers (never a key's value)
//   usage [--days N] [--provider P] [--account A] [--json]
// The host's main calls add_llm_commands once; the service is set up only when a command runs.
#pragma once

#include <CLI/CLI.hpp>
#include <functional>
#include <iosfwd>

#include "core/runtime.hpp"
#include "llm/llm_host.hpp"

namespace automuse::config {
class Config;
}

namespace automuse::llm {

struct LlmCliContext {
  std::function<LlmHost &()> llm;                  // the host's LLM service (created on first use)
  std::function<core::Runtime &()> runtime;        // its I/O threads run the chats
  std::function<const config::Config &()> config;  // for `llm providers`
  std::ostream *out = nullptr;                     // default std::cout: answers, tables
  std::ostream *err = nullptr;  // default std::cerr: errors and the usage line of `ask`
};

// Adds `llm ask`, `llm providers` and `usage`. The command's exit status (0 ok, 1 failed) goes
// to *exit_code; errors are printed as "automuse-host: <message>".
void add_llm_commands(CLI::App &app, const std::function<LlmCliContext()> &context, int *exit_code);

}  // namespace automuse::llm
