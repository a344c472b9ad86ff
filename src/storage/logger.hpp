#pragma once

#include <memory>

namespace spdlog {
class logger;
}

namespace crossvoice::storage {

// The module's named logger ("storage"); used on open and migration, never per query.
std::shared_ptr<spdlog::logger> logger();

}  // namespace crossvoice::storage
