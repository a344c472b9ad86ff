#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "core/audit.hpp"
#include "core/clock.hpp"
#include "core/ports/audit_store.hpp"
#include "core/result.hpp"

namespace crossvoice::services {

struct AuditPage {
    std::vector<core::AuditEntry> entries;
    std::optional<std::int64_t> next_cursor;
};

class AuditService {
  public:
    AuditService(core::ports::AuditStore& store, const core::Clock& clock) : store_(store), clock_(clock) {}

    // Stamps the time and stores the entry.
    core::Status record(core::AuditEntry entry);
    core::Result<AuditPage> list(core::Platform platform, int limit, std::optional<std::int64_t> before_id);

  private:
    core::ports::AuditStore& store_;
    const core::Clock& clock_;
};

}  // namespace crossvoice::services
