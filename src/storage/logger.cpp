#include "storage/logger.hpp"

#include <spdlog/spdlog.h>

namespace crossvoice::storage {

std::shared_ptr<spdlog::logger> logger() {
    if (auto named = spdlog::get("storage")) return named;
    return spdlog::default_logger();
}

}  // namespace crossvoice::storage
