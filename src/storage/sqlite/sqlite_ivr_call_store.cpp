#include "storage/sqlite/sqlite_ivr_call_store.hpp"

#include <fmt/format.h>

#include <string_view>
#include <utility>

#include "storage/ivr_state_json.hpp"

namespace crossvoice::storage {
namespace {

using core::ivr::IvrState;
using core::ports::IvrCallRecord;
using OptionalRecord = std::optional<IvrCallRecord>;

constexpr std::string_view kCreateSql =
    "INSERT INTO ivr_calls (call_id, platform, state_json, reply, cursor, version, updated_at) "
    "VALUES (?, ?, ?, ?, ?, 1, ?) ON CONFLICT (call_id) DO NOTHING";
constexpr std::string_view kFindSql =
    "SELECT call_id, platform, state_json, reply, cursor, version, updated_at FROM ivr_calls WHERE call_id = ?";
// The version guard is the whole compare-and-swap.
constexpr std::string_view kUpdateSql =
    "UPDATE ivr_calls SET state_json = ?, reply = ?, cursor = ?, version = version + 1, updated_at = ? "
    "WHERE call_id = ? AND version = ? RETURNING version";
constexpr std::string_view kExistsSql = "SELECT 1 FROM ivr_calls WHERE call_id = ?";

// Names the call (our own id) and the column, never the stored value: variables may hold personal data.
core::Error corrupt(const std::string& call_id, std::string_view column) {
    return core::Error::internal(
               fmt::format("database: stored IVR state of call {} has an unreadable {}", call_id, column))
        .with("call_id", call_id);
}

core::Result<IvrCallRecord> read_record(const Statement& row) {
    IvrCallRecord record;
    record.call_id = row.text(0);
    const auto platform = core::parse_platform(row.text(1));
    if (!platform) return corrupt(record.call_id, "platform");
    record.platform = *platform;
    auto state = ivr_state_from_json(row.text(2));
    if (!state) return corrupt(record.call_id, "state_json");
    record.state = std::move(*state);
    record.reply = row.text(3);
    record.cursor = static_cast<int>(row.int64(4));
    record.version = static_cast<int>(row.int64(5));
    record.updated_at = core::from_unix_ms(row.int64(6));
    return record;
}

}  // namespace

core::Status SqliteIvrCallStore::create(const IvrCallRecord& record) {
    return db_.with_connection([&](Connection& connection) {
        // Serialised before the write lock is taken; with_connection turns anything it throws into kInternal.
        const std::string state_json = ivr_state_to_json(record.state);
        return connection.transaction("create IVR call state", [&](Connection& c) -> core::Status {
            if (auto inserted =
                    c.execute(kCreateSql, "create IVR call state", record.call_id, core::to_string(record.platform),
                              state_json, record.reply, record.cursor, core::to_unix_ms(record.updated_at));
                !inserted) {
                return inserted;
            }
            if (c.changes() == 0) {
                return core::Error::conflict(fmt::format("call {} already has an IVR state", record.call_id))
                    .with("call_id", record.call_id);
            }
            return {};
        });
    });
}

core::Result<OptionalRecord> SqliteIvrCallStore::find(const std::string& call_id) {
    return db_.with_connection([&](Connection& connection) -> core::Result<OptionalRecord> {
        auto statement = connection.prepare(kFindSql, "find IVR call state");
        if (!statement) return std::move(statement).error();
        statement->bind_all(call_id);
        auto row = statement->step();
        if (!row) return std::move(row).error();
        if (!row.value()) return OptionalRecord();
        auto record = read_record(*statement);
        if (!record) return std::move(record).error();
        return OptionalRecord(std::move(record).value());
    });
}

core::Result<int> SqliteIvrCallStore::update(const IvrCallRecord& record) {
    return db_.with_connection([&](Connection& connection) {
        const std::string state_json = ivr_state_to_json(record.state);
        return connection.transaction("update IVR call state", [&](Connection& c) -> core::Result<int> {
            auto statement = c.prepare(kUpdateSql, "update IVR call state");
            if (!statement) return std::move(statement).error();
            statement->bind_all(state_json, record.reply, record.cursor, core::to_unix_ms(record.updated_at),
                                record.call_id, record.version);
            auto row = statement->step();
            if (!row) return std::move(row).error();
            if (row.value()) {
                const int version = static_cast<int>(statement->int64(0));
                // RETURNING: the statement must finish before COMMIT.
                if (auto rest = statement->run(); !rest) return std::move(rest).error();
                return version;
            }
            // Nothing matched: told apart under the same write lock, so the answer is about this very moment.
            auto exists = c.prepare(kExistsSql, "update IVR call state");
            if (!exists) return std::move(exists).error();
            exists->bind_all(record.call_id);
            auto found = exists->step();
            if (!found) return std::move(found).error();
            if (!found.value()) return core::Error::not_found("IVR call state", record.call_id);
            return core::Error::conflict(fmt::format("the IVR state of call {} changed since version {} was read",
                                                     record.call_id, record.version))
                .with("call_id", record.call_id)
                .with("version", std::to_string(record.version));
        });
    });
}

}  // namespace crossvoice::storage
