#pragma once

#include <memory>

#include "app/config.hpp"
#include "core/clock.hpp"
#include "core/result.hpp"
#include "infra/sodium_crypto.hpp"
#include "services/api_key_service.hpp"
#include "services/audit_service.hpp"
#include "services/id_generator.hpp"
#include "services/readiness_service.hpp"
#include "services/session_service.hpp"
#include "storage/sqlite/database.hpp"
#include "storage/sqlite/sqlite_api_key_store.hpp"
#include "storage/sqlite/sqlite_audit_store.hpp"
#include "storage/sqlite/sqlite_readiness.hpp"
#include "storage/sqlite/sqlite_session_store.hpp"

namespace crossvoice::app {

// The composition root: the one place that names concrete adapters and wires them into use-cases.
// Every command (serve, keys, …) opens one.
class Runtime {
  public:
    // Creates the data directory, opens the database and applies pending migrations.
    static core::Result<std::unique_ptr<Runtime>> open(const Config& config);

    const Config& config() const { return config_; }
    services::ApiKeyService& keys() { return keys_; }
    services::SessionService& sessions() { return sessions_; }
    services::AuditService& audit() { return audit_; }
    services::ReadinessService& readiness() { return readiness_; }

  private:
    Runtime(const Config& config, std::unique_ptr<storage::SqliteDatabase> database);

    Config config_;
    core::SystemClock clock_;
    infra::SodiumCrypto crypto_;
    std::unique_ptr<storage::SqliteDatabase> database_;
    storage::SqliteSessionStore session_store_;
    storage::SqliteApiKeyStore key_store_;
    storage::SqliteAuditStore audit_store_;
    storage::SqliteReadiness database_probe_;
    services::IdGenerator ids_;
    services::ApiKeyService keys_;
    services::SessionService sessions_;
    services::AuditService audit_;
    services::ReadinessService readiness_;
};

}  // namespace crossvoice::app
