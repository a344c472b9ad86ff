#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/ports/flow_store.hpp"
#include "storage/postgres/pg_database.hpp"

namespace crossvoice::storage {

// FlowStore on PostgreSQL's `ivr_flows` and `ivr_numbers` tables. A put checks the numbers, upserts the flow and
// replaces its numbers in one transaction holding the flows' advisory lock, so two puts racing for one number
// (from any instance) cannot both win; the primary key of ivr_numbers backs that up. Readers take a flow and its
// numbers in one statement (one snapshot). A flow's `numbers` come back sorted and without duplicates.
class PgFlowStore final : public core::ports::FlowStore {
  public:
    explicit PgFlowStore(PgDatabase& db) : db_(db) {}

    // list_all: by name, then by platform id for flows of the same name.
    core::Result<std::vector<core::ports::StoredFlow>> list(core::Platform platform) override;
    core::Result<std::vector<core::ports::StoredFlow>> list_all() override;
    core::Result<std::optional<core::ports::StoredFlow>> find(core::Platform platform,
                                                              const std::string& name) override;
    core::Result<core::ports::StoredFlow> put(const core::ports::StoredFlow& flow, core::TimePoint at) override;
    core::Status remove(core::Platform platform, const std::string& name) override;
    core::Result<std::optional<core::ports::NumberRoute>> route_for(const std::string& number) override;

  private:
    PgDatabase& db_;
};

}  // namespace crossvoice::storage
