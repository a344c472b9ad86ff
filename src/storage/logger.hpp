#pragma once

#include <memory>

namespace spdlog {
class logger;
}

namespace crossvoice::storage {

// The module's logger: the one registered as "storage" by the app's logging setup, or spdlog's default logger
// when none is (tests, tools). Looked up on every call so that setup done after this module starts still applies.
std::shared_ptr<spdlog::logger> logger();

}  // namespace crossvoice::storage
