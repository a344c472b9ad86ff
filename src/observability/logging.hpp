#pragma once

#include <memory>
#include <string_view>

#include <spdlog/logger.h>

namespace crossvoice::observability {

// Sets up the process's loggers: one named logger per module, all writing to stderr
// (stdout is reserved for machine-readable lines such as "listening on …").
// `level` is one of trace, debug, info, warn, error, off.
void init_logging(std::string_view level);

// Flushes and stops every logger (the asynchronous access log included). Call once, at exit.
void shutdown_logging();

// The named logger of a module ("http", "access", "app", "storage", …), created on first use.
std::shared_ptr<spdlog::logger> logger(std::string_view module);

}  // namespace crossvoice::observability
