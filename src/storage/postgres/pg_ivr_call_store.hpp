#pragma once

#include <optional>
#include <string>

#include "core/ports/ivr_call_store.hpp"
#include "storage/postgres/pg_database.hpp"

namespace crossvoice::storage {

// IvrCallStore on the `ivr_calls` table. The IvrState is kept as one JSON object (state_json); the record's other
// fields are columns. update is a compare-and-swap on `version` (one guarded UPDATE), so two callbacks of one call
// racing with the same version cannot both win: the second waits for the first's row lock, and READ COMMITTED
// re-checks its version against the row the first left.
//
// Beyond the port: the call must exist in `calls` (foreign key; a record for an unknown call fails with
// kInternal), update keeps the platform the record was created with, and text in the state that is not valid
// UTF-8 is stored with U+FFFD in place of the bad bytes (JSON holds only Unicode).
class PgIvrCallStore final : public core::ports::IvrCallStore {
  public:
    explicit PgIvrCallStore(PgDatabase& db) : db_(db) {}

    core::Status create(const core::ports::IvrCallRecord& record) override;
    core::Result<std::optional<core::ports::IvrCallRecord>> find(const std::string& call_id) override;
    core::Result<int> update(const core::ports::IvrCallRecord& record) override;

  private:
    PgDatabase& db_;
};

}  // namespace crossvoice::storage
