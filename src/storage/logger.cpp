#include "storage/logger.hpp"

#include "observability/logging.hpp"

namespace crossvoice::storage {

std::shared_ptr<spdlog::logger> logger() { return observability::logger("storage"); }

}  // namespace crossvoice::storage
