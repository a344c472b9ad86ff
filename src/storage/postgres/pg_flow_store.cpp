#include "storage/postgres/pg_flow_store.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cstdint>
#include <string_view>
#include <utility>

namespace crossvoice::storage {
namespace {

using core::TimePoint;
using core::ports::NumberRoute;
using core::ports::StoredFlow;
using OptionalFlow = std::optional<StoredFlow>;
using Flows = std::vector<StoredFlow>;

// A flow joined with its numbers, one row per number (one row with a NULL number for a flow without any), in the
// column order read_flows expects. One statement, so the flow and its numbers come from one snapshot.
#define CV_FLOW_SELECT                                                                       \
    "SELECT f.platform, f.name, f.source_text, f.origin, f.version, f.updated_at, n.number " \
    "FROM ivr_flows f LEFT JOIN ivr_numbers n ON n.platform = f.platform AND n.flow = f.name "

constexpr std::string_view kFindSql = CV_FLOW_SELECT "WHERE f.platform = $1 AND f.name = $2 ORDER BY n.number";
constexpr std::string_view kListSql = CV_FLOW_SELECT "WHERE f.platform = $1 ORDER BY f.name, n.number";
constexpr std::string_view kListAllSql = CV_FLOW_SELECT "ORDER BY f.name, f.platform, n.number";

#undef CV_FLOW_SELECT

constexpr std::string_view kRouteSql = "SELECT platform, flow FROM ivr_numbers WHERE number = $1";
// A first put is version 1; every later put of the same (platform, name) adds one.
constexpr std::string_view kUpsertFlowSql =
    "INSERT INTO ivr_flows (platform, name, source_text, origin, version, updated_at) VALUES ($1, $2, $3, $4, 1, $5) "
    "ON CONFLICT (platform, name) DO UPDATE SET source_text = excluded.source_text, origin = excluded.origin, "
    "version = ivr_flows.version + 1, updated_at = excluded.updated_at RETURNING version";
constexpr std::string_view kDeleteNumbersSql = "DELETE FROM ivr_numbers WHERE platform = $1 AND flow = $2";
constexpr std::string_view kInsertNumberSql = "INSERT INTO ivr_numbers (number, platform, flow) VALUES ($1, $2, $3)";
constexpr std::string_view kDeleteFlowSql = "DELETE FROM ivr_flows WHERE platform = $1 AND name = $2";
// Puts and removes of flows queue on one transaction-level advisory lock (0x6376 "cv", 4 for flows): a number
// checked free cannot be taken by another put before this one stores it. Flows change rarely (start-up, an
// operator's edit), so one lock for all of them costs nothing.
constexpr std::string_view kLockFlowsSql = "SELECT pg_advisory_xact_lock(25462, 4)";

core::Error corrupt(std::string_view what, std::string_view column) {
    return core::Error::internal(fmt::format("database: stored {} has an unreadable {}", what, column));
}

// Steps a bound statement of CV_FLOW_SELECT to the end, folding consecutive rows of one flow into one StoredFlow.
// The statements order by the flow first, so a flow's rows are adjacent.
core::Result<Flows> read_flows(PgStatement& statement) {
    Flows flows;
    for (;;) {
        auto row = statement.step();
        if (!row) return std::move(row).error();
        if (!row.value()) break;
        const auto platform = core::parse_platform(statement.text(0));
        if (!platform) return corrupt("IVR flow", "platform");
        std::string name = statement.text(1);
        if (flows.empty() || flows.back().platform != *platform || flows.back().name != name) {
            StoredFlow flow;
            flow.platform = *platform;
            flow.name = std::move(name);
            flow.source_text = statement.text(2);
            flow.origin = statement.text(3);
            flow.version = static_cast<int>(statement.int64(4));
            flow.updated_at = core::from_unix_ms(statement.int64(5));
            flows.push_back(std::move(flow));
        }
        if (auto number = statement.optional_text(6)) flows.back().numbers.push_back(std::move(*number));
    }
    return flows;
}

template <typename... Args>
core::Result<Flows> query_flows(PgConnection& connection, std::string_view sql, std::string_view operation,
                                const Args&... args) {
    auto statement = connection.prepare(sql, operation);
    if (!statement) return std::move(statement).error();
    statement->bind_all(args...);
    return read_flows(*statement);
}

core::Result<std::optional<NumberRoute>> route_on(PgConnection& connection, const std::string& number) {
    using Outcome = std::optional<NumberRoute>;
    auto statement = connection.prepare(kRouteSql, "find number route");
    if (!statement) return std::move(statement).error();
    statement->bind_all(number);
    auto row = statement->step();
    if (!row) return std::move(row).error();
    if (!row.value()) return Outcome();
    const auto platform = core::parse_platform(statement->text(0));
    if (!platform) return corrupt("number route", "platform");
    return Outcome(NumberRoute{number, *platform, statement->text(1)});
}

// The numbers as they will be stored: sorted, each once.
std::vector<std::string> normalized_numbers(std::vector<std::string> numbers) {
    std::sort(numbers.begin(), numbers.end());
    numbers.erase(std::unique(numbers.begin(), numbers.end()), numbers.end());
    return numbers;
}

// kConflict for the first of `numbers` that routes to a flow other than (platform, name).
core::Status check_numbers_free(PgConnection& connection, core::Platform platform, const std::string& name,
                                const std::vector<std::string>& numbers) {
    for (const auto& number : numbers) {
        auto route = route_on(connection, number);
        if (!route) return std::move(route).error();
        if (!route.value()) continue;
        const NumberRoute& owner = *route.value();
        if (owner.platform == platform && owner.flow == name) continue;
        // Our own called numbers and flow names, not personal data: the operator needs them to resolve it.
        return core::Error::conflict(fmt::format("number {} already routes to flow \"{}\" of platform {}", number,
                                                 owner.flow, core::to_string(owner.platform)))
            .with("number", number)
            .with("platform", std::string(core::to_string(owner.platform)))
            .with("flow", owner.flow);
    }
    return {};
}

core::Result<StoredFlow> put_on(PgConnection& connection, const StoredFlow& flow, TimePoint at) {
    const std::string_view platform = core::to_string(flow.platform);
    StoredFlow stored = flow;
    stored.numbers = normalized_numbers(flow.numbers);
    stored.updated_at = at;
    // First, before anything is written: a conflict changes nothing even without the rollback.
    if (auto checked = check_numbers_free(connection, flow.platform, flow.name, stored.numbers); !checked) {
        return std::move(checked).error();
    }

    auto upsert = connection.prepare(kUpsertFlowSql, "put IVR flow");
    if (!upsert) return std::move(upsert).error();
    upsert->bind_all(platform, flow.name, flow.source_text, flow.origin, core::to_unix_ms(at));
    auto row = upsert->step();
    if (!row) return std::move(row).error();
    if (!row.value()) return core::Error::internal("database: put IVR flow failed: no version returned");
    stored.version = static_cast<int>(upsert->int64(0));

    if (auto cleared = connection.execute(kDeleteNumbersSql, "replace IVR flow numbers", platform, flow.name);
        !cleared) {
        return std::move(cleared).error();
    }
    for (const auto& number : stored.numbers) {
        if (auto inserted =
                connection.execute(kInsertNumberSql, "replace IVR flow numbers", number, platform, flow.name);
            !inserted) {
            return std::move(inserted).error();
        }
    }
    return stored;
}

}  // namespace

core::Result<Flows> PgFlowStore::list(core::Platform platform) {
    return db_.with_connection([&](PgConnection& connection) {
        return query_flows(connection, kListSql, "list IVR flows", core::to_string(platform));
    });
}

core::Result<Flows> PgFlowStore::list_all() {
    return db_.with_connection(
        [&](PgConnection& connection) { return query_flows(connection, kListAllSql, "list IVR flows"); });
}

core::Result<OptionalFlow> PgFlowStore::find(core::Platform platform, const std::string& name) {
    return db_.with_connection([&](PgConnection& connection) -> core::Result<OptionalFlow> {
        auto flows = query_flows(connection, kFindSql, "find IVR flow", core::to_string(platform), name);
        if (!flows) return std::move(flows).error();
        if (flows.value().empty()) return OptionalFlow();
        return OptionalFlow(std::move(flows.value().front()));
    });
}

core::Result<StoredFlow> PgFlowStore::put(const StoredFlow& flow, TimePoint at) {
    return db_.with_connection([&](PgConnection& connection) {
        // The number check and the writes happen under the flows' lock (kLockFlowsSql); the primary key of
        // ivr_numbers backs it up.
        return connection.transaction("put IVR flow", [&](PgConnection& c) -> core::Result<StoredFlow> {
            if (auto locked = c.execute(kLockFlowsSql, "lock IVR flows"); !locked) return std::move(locked).error();
            return put_on(c, flow, at);
        });
    });
}

core::Status PgFlowStore::remove(core::Platform platform, const std::string& name) {
    return db_.with_connection([&](PgConnection& connection) {
        return connection.transaction("remove IVR flow", [&](PgConnection& c) -> core::Status {
            if (auto locked = c.execute(kLockFlowsSql, "lock IVR flows"); !locked) return locked;
            const std::string_view platform_id = core::to_string(platform);
            // Explicitly, as in the SQLite store, though ON DELETE CASCADE would do it here too.
            if (auto numbers = c.execute(kDeleteNumbersSql, "remove IVR flow numbers", platform_id, name); !numbers) {
                return numbers;
            }
            if (auto removed = c.execute(kDeleteFlowSql, "remove IVR flow", platform_id, name); !removed) {
                return removed;
            }
            if (c.changes() == 0) return core::Error::not_found("flow", name);
            return {};
        });
    });
}

core::Result<std::optional<NumberRoute>> PgFlowStore::route_for(const std::string& number) {
    return db_.with_connection([&](PgConnection& connection) { return route_on(connection, number); });
}

}  // namespace crossvoice::storage
