#pragma once

#include <chrono>
#include <string>

#include "core/ports/readiness.hpp"
#include "storage/sqlite/database.hpp"

namespace crossvoice::storage {

// The "database" readiness probe: borrows a connection and runs SELECT 1. Waiting for a connection is bounded,
// because a pool exhausted for that long is itself a reason to report not ready.
class SqliteReadiness final : public core::ports::ReadinessProbe {
  public:
    static constexpr std::chrono::milliseconds kDefaultAcquireTimeout{2000};

    explicit SqliteReadiness(SqliteDatabase& db, std::chrono::milliseconds acquire_timeout = kDefaultAcquireTimeout)
        : db_(db), acquire_timeout_(acquire_timeout) {}

    std::string name() const override { return "database"; }
    std::string provider() const override { return "sqlite"; }
    core::Status check() override;

  private:
    SqliteDatabase& db_;
    std::chrono::milliseconds acquire_timeout_;
};

}  // namespace crossvoice::storage
