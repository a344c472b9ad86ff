#include "app/runtime.hpp"

#include <fmt/format.h>

#include <filesystem>

#include "storage/sqlite/migrations.hpp"

namespace crossvoice::app {

core::Result<std::unique_ptr<Runtime>> Runtime::open(const Config& config) {
    std::error_code ec;
    std::filesystem::create_directories(config.data_dir, ec);
    if (ec) {
        return core::Error::validation("CROSSVOICE_DATA_DIR", fmt::format("CROSSVOICE_DATA_DIR: cannot create '{}': {}",
                                                                          config.data_dir, ec.message()));
    }
    const auto parent = std::filesystem::path(config.sqlite_path).parent_path();
    if (!parent.empty()) {
        std::filesystem::create_directories(parent, ec);
        if (ec) {
            return core::Error::validation(
                "DATABASE_URL", fmt::format("DATABASE_URL: cannot create '{}': {}", parent.string(), ec.message()));
        }
    }
    auto database = storage::SqliteDatabase::open(config.sqlite_path, config.db_pool_size);
    if (!database) return std::move(database).error();
    auto migrated = storage::migrate(**database);
    if (!migrated) return std::move(migrated).error();
    return std::unique_ptr<Runtime>(new Runtime(config, std::move(database).value()));
}

Runtime::Runtime(const Config& config, std::unique_ptr<storage::SqliteDatabase> database)
    : config_(config),
      database_(std::move(database)),
      session_store_(*database_),
      key_store_(*database_),
      audit_store_(*database_),
      database_probe_(*database_),
      ids_(clock_, crypto_),
      keys_(key_store_, crypto_, clock_, ids_),
      sessions_(session_store_, clock_, ids_),
      audit_(audit_store_, clock_),
      readiness_({&database_probe_}) {}

}  // namespace crossvoice::app
