#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "core/audit.hpp"
#include "core/result.hpp"

namespace crossvoice::core::ports {

struct AuditQuery {
    Platform platform = Platform::kTetrix;
    int limit = 50;
    std::optional<std::int64_t> before_id;  // cursor: rows with a smaller id
};

class AuditStore {
  public:
    virtual ~AuditStore() = default;
    virtual Result<std::int64_t> append(const AuditEntry& entry) = 0;
    // Newest first.
    virtual Result<std::vector<AuditEntry>> list(const AuditQuery& query) = 0;
};

}  // namespace crossvoice::core::ports
