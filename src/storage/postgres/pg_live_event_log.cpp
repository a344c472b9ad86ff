#include "storage/postgres/pg_live_event_log.hpp"

#include <fmt/format.h>

#include <string_view>

#include <spdlog/spdlog.h>

#include "storage/logger.hpp"
#include "storage/postgres/pg_timeline_rows.hpp"

namespace crossvoice::storage {
namespace {

constexpr std::string_view kAppendSql =
    "INSERT INTO live_events (platform, type, session_id, data, created_at) VALUES ($1, $2, $3, $4, $5)";

// The message of a "message" entry is read as it is now (the log keeps only its id); the platforms a session was
// continued on come along, so the hub can show the event to both sides of a hand-off.
const std::string kReadSql = fmt::format(
    "SELECT e.seq, e.platform, e.type, e.session_id, e.data, e.created_at, "
    "(SELECT string_agg(l.platform, ',') FROM session_links l WHERE l.session_id = e.session_id), "
    "(SELECT s.metadata::jsonb #>> '{{integration,targetLanguage}}' FROM sessions s WHERE s.id = e.session_id "
    "AND e.type = 'message' "
    "AND s.metadata::jsonb #> '{{integration,enableTranslation}}' IN ('true'::jsonb, '1'::jsonb)), "
    "(m.id IS NOT NULL)::int, {} "
    "FROM live_events e LEFT JOIN messages m ON e.type = 'message' AND m.id = e.subject_id "
    "WHERE e.seq > $1 ORDER BY e.seq LIMIT $2",
    [] {
        // kPgTimelineColumns, each qualified with the messages alias.
        std::string columns;
        std::string_view rest = kPgTimelineColumns;
        while (!rest.empty()) {
            const auto comma = rest.find(',');
            auto column = rest.substr(0, comma);
            while (!column.empty() && column.front() == ' ') column.remove_prefix(1);
            if (!columns.empty()) columns += ", ";
            columns += "m." + std::string(column);
            rest = comma == std::string_view::npos ? std::string_view{} : rest.substr(comma + 1);
        }
        return columns;
    }());
constexpr int kMessageColumn = 9;

std::vector<core::Platform> split_platforms(const std::optional<std::string>& list) {
    std::vector<core::Platform> out;
    if (!list) return out;
    std::string_view rest = *list;
    while (!rest.empty()) {
        const auto comma = rest.find(',');
        if (auto platform = core::parse_platform(rest.substr(0, comma))) out.push_back(*platform);
        rest = comma == std::string_view::npos ? std::string_view{} : rest.substr(comma + 1);
    }
    return out;
}

}  // namespace

void PgLiveEventLog::publish(core::ports::LiveEvent event) {
    auto appended = db_.with_connection([&](PgConnection& connection) {
        return connection.execute(kAppendSql, "log a live event", core::to_string(event.platform), event.type,
                                  event.session_id, event.data_json, core::to_unix_ms(event.at));
    });
    if (!appended) {
        logger()->warn("live event {} of session {} not logged: {}", event.type, event.session_id,
                       appended.error().message);
    }
}

core::Result<std::vector<core::ports::LoggedEvent>> PgLiveEventLog::read_after(std::uint64_t after, int limit) {
    return db_.with_connection([&](PgConnection& connection) -> core::Result<std::vector<core::ports::LoggedEvent>> {
        auto statement = connection.prepare(kReadSql, "read live events");
        if (!statement) return std::move(statement).error();
        statement->bind_all(static_cast<std::int64_t>(after), limit);
        std::vector<core::ports::LoggedEvent> out;
        while (true) {
            auto row = statement->step();
            if (!row) return std::move(row).error();
            if (!*row) break;
            core::ports::LoggedEvent event;
            event.seq = static_cast<std::uint64_t>(statement->int64(0));
            auto platform = core::parse_platform(statement->text(1));
            if (!platform) return core::Error::internal("live event with an unknown platform: " + statement->text(1));
            event.platform = *platform;
            event.type = statement->text(2);
            event.session_id = statement->text(3);
            event.data_json = statement->optional_text(4).value_or("{}");
            event.at = core::from_unix_ms(statement->int64(5));
            event.also_visible_to = split_platforms(statement->optional_text(6));
            event.customer_language = statement->optional_text(7);
            if (statement->int64(8) != 0) {
                // read_timeline_message reads from column 0; the joined columns start at kMessageColumn.
                auto message = pg_read_timeline_message(*statement, kMessageColumn);
                if (!message) return std::move(message).error();
                event.message = std::move(message).value();
            }
            out.push_back(std::move(event));
        }
        return out;
    });
}

core::Result<std::uint64_t> PgLiveEventLog::latest() {
    return db_.with_connection([&](PgConnection& connection) -> core::Result<std::uint64_t> {
        auto statement =
            connection.prepare("SELECT coalesce(max(seq), 0) FROM live_events", "read the last live event");
        if (!statement) return std::move(statement).error();
        auto row = statement->step();
        if (!row) return std::move(row).error();
        return static_cast<std::uint64_t>(statement->int64(0));
    });
}

core::Result<std::uint64_t> PgLiveEventLog::prune(core::TimePoint before) {
    return db_.with_connection([&](PgConnection& connection) -> core::Result<std::uint64_t> {
        if (auto pruned = connection.execute("DELETE FROM live_events WHERE created_at < $1", "prune live events",
                                             core::to_unix_ms(before));
            !pruned) {
            return std::move(pruned).error();
        }
        return static_cast<std::uint64_t>(connection.changes());
    });
}

}  // namespace crossvoice::storage
