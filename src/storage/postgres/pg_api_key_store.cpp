#include "storage/postgres/pg_api_key_store.hpp"

#include <cstdint>
#include <string_view>
#include <utility>

namespace crossvoice::storage {
namespace {

// The column order read_key expects.
#define CV_KEY_COLUMNS "id, platform, name, secret_hash, hint, created_at, revoked_at"

constexpr std::string_view kInsertSql = "INSERT INTO api_keys (" CV_KEY_COLUMNS ") VALUES ($1, $2, $3, $4, $5, $6, $7)";
constexpr std::string_view kFindByHashSql = "SELECT " CV_KEY_COLUMNS " FROM api_keys WHERE secret_hash = $1";
constexpr std::string_view kListAllSql = "SELECT " CV_KEY_COLUMNS " FROM api_keys ORDER BY created_at, id";
constexpr std::string_view kListPlatformSql =
    "SELECT " CV_KEY_COLUMNS " FROM api_keys WHERE platform = $1 ORDER BY created_at, id";
constexpr std::string_view kFindByIdSql = "SELECT " CV_KEY_COLUMNS " FROM api_keys WHERE id = $1";
// Only a live key is touched, which is what keeps the first revocation time.
constexpr std::string_view kRevokeSql = "UPDATE api_keys SET revoked_at = $1 WHERE id = $2 AND revoked_at IS NULL";

#undef CV_KEY_COLUMNS

core::Result<core::ApiKey> read_key(const PgStatement& row) {
    core::ApiKey key;
    key.id = row.text(0);
    const auto platform = core::parse_platform(row.text(1));
    if (!platform) return core::Error::internal("database: stored api key has an unreadable platform");
    key.platform = *platform;
    key.name = row.text(2);
    key.secret_hash = row.text(3);
    key.hint = row.text(4);
    key.created_at = core::from_unix_ms(row.int64(5));
    if (auto revoked_at = row.optional_int64(6)) key.revoked_at = core::from_unix_ms(*revoked_at);
    return key;
}

core::Result<std::vector<core::ApiKey>> read_all(PgStatement& statement) {
    std::vector<core::ApiKey> keys;
    for (;;) {
        auto row = statement.step();
        if (!row) return std::move(row).error();
        if (!row.value()) return keys;
        auto key = read_key(statement);
        if (!key) return std::move(key).error();
        keys.push_back(std::move(key).value());
    }
}

template <typename... Args>
core::Result<std::optional<core::ApiKey>> find_one(PgConnection& connection, std::string_view sql,
                                                   std::string_view operation, const Args&... args) {
    auto statement = connection.prepare(sql, operation);
    if (!statement) return std::move(statement).error();
    statement->bind_all(args...);
    auto rows = read_all(*statement);
    if (!rows) return std::move(rows).error();
    if (rows.value().empty()) return std::optional<core::ApiKey>();
    return std::optional<core::ApiKey>(std::move(rows.value().front()));
}

}  // namespace

core::Status PgApiKeyStore::insert(const core::ApiKey& key) {
    return db_.with_connection([&](PgConnection& connection) {
        std::optional<std::int64_t> revoked_at;
        if (key.revoked_at) revoked_at = core::to_unix_ms(*key.revoked_at);
        return connection.execute(kInsertSql, "insert api key", key.id, core::to_string(key.platform), key.name,
                                  key.secret_hash, key.hint, core::to_unix_ms(key.created_at), revoked_at);
    });
}

core::Result<std::optional<core::ApiKey>> PgApiKeyStore::find_by_hash(const std::string& secret_hash) {
    return db_.with_connection(
        [&](PgConnection& connection) { return find_one(connection, kFindByHashSql, "find api key", secret_hash); });
}

core::Result<std::vector<core::ApiKey>> PgApiKeyStore::list(std::optional<core::Platform> platform) {
    return db_.with_connection([&](PgConnection& connection) -> core::Result<std::vector<core::ApiKey>> {
        auto statement = connection.prepare(platform ? kListPlatformSql : kListAllSql, "list api keys");
        if (!statement) return std::move(statement).error();
        if (platform) statement->bind_all(core::to_string(*platform));
        return read_all(*statement);
    });
}

core::Result<std::optional<core::ApiKey>> PgApiKeyStore::revoke(const std::string& id, core::TimePoint at) {
    using Outcome = core::Result<std::optional<core::ApiKey>>;
    return db_.with_connection([&](PgConnection& connection) {
        // The read-back is a statement of its own: its snapshot is taken after the UPDATE (or a concurrent
        // revocation it waited for) committed its row, so it returns the key as it now is.
        return connection.transaction("revoke api key", [&](PgConnection& c) -> Outcome {
            if (auto updated = c.execute(kRevokeSql, "revoke api key", core::to_unix_ms(at), id); !updated) {
                return std::move(updated).error();
            }
            return find_one(c, kFindByIdSql, "revoke api key", id);
        });
    });
}

}  // namespace crossvoice::storage
