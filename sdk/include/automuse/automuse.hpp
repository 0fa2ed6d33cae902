// automuse/automuse.hpp — the C SDK plus every header-only C++20 helper.
#pragma once

#include <automuse/automuse.h>
#include <automuse/cpp/async.hpp>
#include <automuse/cpp/buffer.hpp>
#include <automuse/cpp/error.hpp>
#include <automuse/cpp/host.hpp>
#include <automuse/cpp/job.hpp>
#include <automuse/cpp/log.hpp>
#include <automuse/cpp/plugin.hpp>
#include <automuse/cpp/str.hpp>
#include <automuse/cpp/task.hpp>
