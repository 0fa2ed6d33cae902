// automuse/automuse.hpp — the whole SDK: the C headers plus every header-only C++20 helper.
#pragma once

#include <automuse/automuse.h>

#include <automuse/cpp/args.hpp>
#include <automuse/cpp/async.hpp>
#include <automuse/cpp/buffer.hpp>
#include <automuse/cpp/config.hpp>
#include <automuse/cpp/error.hpp>
#include <automuse/cpp/host.hpp>
#include <automuse/cpp/http.hpp>
#include <automuse/cpp/job.hpp>
#include <automuse/cpp/llm.hpp>
#include <automuse/cpp/ledger.hpp>
#include <automuse/cpp/log.hpp>
#include <automuse/cpp/oauth.hpp>
#include <automuse/cpp/oauth_refresh.hpp>
#include <automuse/cpp/plugin.hpp>
#include <automuse/cpp/publish.hpp>
#include <automuse/cpp/str.hpp>
#include <automuse/cpp/task.hpp>
