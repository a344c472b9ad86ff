#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/ports/api_key_store.hpp"

#include "storage/postgres/pg_database.hpp"

namespace crossvoice::storage {

// ApiKeyStore on PostgreSQL's `api_keys` table. The unique index on secret_hash makes a colliding hash a kConflict.
class PgApiKeyStore final : public core::ports::ApiKeyStore {
  public:
    explicit PgApiKeyStore(PgDatabase& db) : db_(db) {}

    core::Status insert(const core::ApiKey& key) override;
    core::Result<std::optional<core::ApiKey>> find_by_hash(const std::string& secret_hash) override;
    core::Result<std::vector<core::ApiKey>> list(std::optional<core::Platform> platform) override;
    core::Result<std::optional<core::ApiKey>> revoke(const std::string& id, core::TimePoint at) override;

  private:
    PgDatabase& db_;
};

}  // namespace crossvoice::storage
