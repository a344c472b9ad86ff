#include "support/service_database.hpp"

#include <fmt/format.h>

#include <cstdlib>
#include <functional>
#include <stdexcept>

#include "storage/postgres/pg_database.hpp"

namespace crossvoice::testing {
namespace {

std::string variable(const char* name) {
    const char* value = std::getenv(name);
    return value == nullptr ? std::string() : std::string(value);
}

bool postgres_selected() { return variable("CROSSVOICE_TEST_DATABASE") == "postgres"; }

std::string database_name(const std::filesystem::path& data_dir) {
    return fmt::format("cv_it_{:016x}", std::hash<std::string>{}(data_dir.lexically_normal().string()));
}

// Runs `sql` on the server's admin database (CREATE/DROP DATABASE cannot run inside a transaction).
void administer(const std::string& sql) {
    auto db = storage::PgDatabase::open(variable("CROSSVOICE_TEST_POSTGRES_URL"), 1);
    if (!db) throw std::runtime_error(db.error().message);
    auto done = (*db)->with_connection([&](storage::PgConnection& c) { return c.exec_script(sql, "administer"); });
    if (!done) throw std::runtime_error(done.error().message + " (" + sql + ")");
}

}  // namespace

std::string service_database_unavailable() {
    if (!postgres_selected() || !variable("CROSSVOICE_TEST_POSTGRES_URL").empty()) return {};
    return "CROSSVOICE_TEST_DATABASE=postgres needs CROSSVOICE_TEST_POSTGRES_URL (run under "
           "scripts/with-test-servers.sh)";
}

std::string service_database_url(const std::filesystem::path& data_dir) {
    if (!postgres_selected()) return "sqlite:" + (data_dir / "data" / "crossvoice.db").string();
    if (const auto reason = service_database_unavailable(); !reason.empty()) throw std::runtime_error(reason);
    const std::string admin_url = variable("CROSSVOICE_TEST_POSTGRES_URL");
    const std::string name = database_name(data_dir);
    auto db = storage::PgDatabase::open(admin_url, 1);
    if (!db) throw std::runtime_error(db.error().message);
    auto exists = (*db)->with_connection([&](storage::PgConnection& c) -> core::Result<bool> {
        auto statement = c.prepare("SELECT 1 FROM pg_database WHERE datname = $1", "find database");
        if (!statement) return std::move(statement).error();
        statement->bind_all(name);
        return statement->step();
    });
    if (!exists) throw std::runtime_error(exists.error().message);
    if (!*exists) administer("CREATE DATABASE " + name + " TEMPLATE template0 ENCODING 'UTF8'");
    return storage::postgres_url_with_database(admin_url, name);
}

void drop_service_database(const std::filesystem::path& data_dir) {
    if (!postgres_selected() || !service_database_unavailable().empty()) return;
    administer("DROP DATABASE IF EXISTS " + database_name(data_dir) + " WITH (FORCE)");
}

}  // namespace crossvoice::testing
