#include "storage/sqlite/sqlite_job_queue.hpp"

#include <cstdint>
#include <string_view>
#include <utility>

namespace crossvoice::storage {
namespace {

using core::Job;
using core::TimePoint;
using OptionalJob = std::optional<Job>;

// The column order read_job expects.
#define CV_JOB_COLUMNS                                                                                   \
    "id, kind, payload_json, platform, dedupe_key, status, attempts, max_attempts, last_error, run_at, " \
    "lease_until, created_at, updated_at, finished_at"

// A second job with the same dedupe_key is dropped; one with the same id still fails as a conflict.
constexpr std::string_view kEnqueueSql =
    "INSERT INTO jobs (" CV_JOB_COLUMNS
    ") VALUES (?, ?, ?, ?, ?, 'queued', 0, ?, NULL, ?, NULL, ?, ?, NULL) ON CONFLICT (dedupe_key) DO NOTHING";
constexpr std::string_view kFindSql = "SELECT " CV_JOB_COLUMNS " FROM jobs WHERE id = ?";
constexpr std::string_view kFindByDedupeKeySql = "SELECT " CV_JOB_COLUMNS " FROM jobs WHERE dedupe_key = ?";

// Parameters: lease_until, updated_at, then the kinds, then now twice. The subquery picks the oldest due job
// (rowid breaks ties in insertion order); the one UPDATE takes it, so no other claim can see it as due.
constexpr std::string_view kClaimSqlHead =
    "UPDATE jobs SET status = 'running', attempts = attempts + 1, lease_until = ?, updated_at = ? "
    "WHERE id = (SELECT id FROM jobs WHERE kind IN (";
constexpr std::string_view kClaimSqlTail =
    ") AND ((status = 'queued' AND run_at <= ?) OR (status = 'running' AND lease_until <= ?)) "
    "ORDER BY run_at, created_at, rowid LIMIT 1) RETURNING " CV_JOB_COLUMNS;

// A job whose worker died on its last attempt (lease run out, attempts used up) would otherwise be taken again
// for ever if it crashes the process each time: it is buried instead. Parameters: finished_at, updated_at, now.
constexpr std::string_view kBuryAbandonedSql =
    "UPDATE jobs SET status = 'dead', lease_until = NULL, finished_at = ?, updated_at = ?, "
    "last_error = 'abandoned: the worker stopped during the last attempt' || "
    "COALESCE(' (previous error: ' || last_error || ')', '') "
    "WHERE status = 'running' AND lease_until <= ? AND attempts >= max_attempts";

// A broker's delivery. Parameters: lease_until, updated_at, id, redelivery (0/1).
constexpr std::string_view kClaimDeliveredSql =
    "UPDATE jobs SET status = 'running', attempts = attempts + 1, lease_until = ?, updated_at = ? "
    "WHERE id = ? AND (status = 'queued' OR (status = 'running' AND ? = 1 AND attempts < max_attempts)) "
    "RETURNING " CV_JOB_COLUMNS;
// A redelivered job whose worker died during its last attempt. Parameters: finished_at, updated_at, id.
constexpr std::string_view kBuryRedeliveredSql =
    "UPDATE jobs SET status = 'dead', lease_until = NULL, finished_at = ?, updated_at = ?, "
    "last_error = 'abandoned: the worker stopped during the last attempt' || "
    "COALESCE(' (previous error: ' || last_error || ')', '') "
    "WHERE id = ? AND status = 'running' AND attempts >= max_attempts";

// Only a finished job ignores a late confirmation; one whose lease a stale worker lost is still done.
constexpr std::string_view kCompleteSql =
    "UPDATE jobs SET status = 'succeeded', lease_until = NULL, finished_at = ?, updated_at = ? "
    "WHERE id = ? AND status IN ('queued', 'running')";
constexpr std::string_view kExistsSql = "SELECT 1 FROM jobs WHERE id = ?";

// Parameters: retry_at, now (finished_at), error, now (updated_at), id. Only a running job can fail an attempt.
constexpr std::string_view kFailSql =
    "UPDATE jobs SET "
    "status = CASE WHEN attempts >= max_attempts OR ?1 IS NULL THEN 'dead' ELSE 'queued' END, "
    "run_at = CASE WHEN attempts >= max_attempts OR ?1 IS NULL THEN run_at ELSE ?1 END, "
    "finished_at = CASE WHEN attempts >= max_attempts OR ?1 IS NULL THEN ?2 ELSE NULL END, "
    "last_error = ?3, lease_until = NULL, updated_at = ?2 "
    "WHERE id = ?4 AND status = 'running' RETURNING " CV_JOB_COLUMNS;

// A queued job is due at run_at, a running one when its lease runs out.
constexpr std::string_view kNextDueSqlHead =
    "SELECT MIN(CASE status WHEN 'queued' THEN run_at ELSE lease_until END) FROM jobs "
    "WHERE status IN ('queued', 'running') AND kind IN (";
constexpr std::string_view kNextDueSqlTail = ")";

// The metrics' view, in one pass over the unfinished and dead jobs (the status index skips the succeeded ones,
// which pile up). Parameter: now. Per kind: queued, running, dead, and the earliest run_at of a due queued job.
constexpr std::string_view kJobCountsSql =
    "SELECT kind, SUM(status = 'queued'), SUM(status = 'running'), SUM(status = 'dead'), "
    "MIN(CASE WHEN status = 'queued' AND run_at <= ?1 THEN run_at END) "
    "FROM jobs WHERE status IN ('queued', 'running', 'dead') GROUP BY kind ORDER BY kind";

#undef CV_JOB_COLUMNS

std::optional<TimePoint> from_ms(const std::optional<std::int64_t>& ms) {
    if (!ms) return std::nullopt;
    return core::from_unix_ms(*ms);
}

// "?, ?, ?": one parameter per kind. The statement cache keys on the text, so each list length is prepared once.
std::string sql_parameter_list(std::size_t count) {
    std::string out;
    for (std::size_t i = 0; i < count; ++i) out += i == 0 ? "?" : ", ?";
    return out;
}

core::Result<Job> read_job(const Statement& row) {
    Job job;
    job.id = row.text(0);
    job.kind = row.text(1);
    job.payload_json = row.text(2);
    job.platform = row.optional_text(3);
    job.dedupe_key = row.optional_text(4);
    const auto status = core::parse_job_status(row.text(5));
    if (!status) return core::Error::internal("database: stored job has an unreadable status");
    job.status = *status;
    job.attempts = static_cast<int>(row.int64(6));
    job.max_attempts = static_cast<int>(row.int64(7));
    job.last_error = row.optional_text(8);
    job.run_at = core::from_unix_ms(row.int64(9));
    job.lease_until = from_ms(row.optional_int64(10));
    job.created_at = core::from_unix_ms(row.int64(11));
    job.updated_at = core::from_unix_ms(row.int64(12));
    job.finished_at = from_ms(row.optional_int64(13));
    return job;
}

// Steps a bound statement that returns at most one job (a SELECT, or an UPDATE ... RETURNING, which must run to
// completion before COMMIT) and reads it.
core::Result<OptionalJob> single_job(Statement& statement) {
    auto row = statement.step();
    if (!row) return std::move(row).error();
    if (!row.value()) return OptionalJob();
    auto job = read_job(statement);
    if (!job) return std::move(job).error();
    if (auto rest = statement.run(); !rest) return std::move(rest).error();
    return OptionalJob(std::move(job).value());
}

template <typename... Args>
core::Result<OptionalJob> find_one(Connection& connection, std::string_view sql, const Args&... args) {
    auto statement = connection.prepare(sql, "find job");
    if (!statement) return std::move(statement).error();
    statement->bind_all(args...);
    return single_job(*statement);
}

core::Result<bool> exists(Connection& connection, const std::string& id) {
    auto statement = connection.prepare(kExistsSql, "find job");
    if (!statement) return std::move(statement).error();
    statement->bind_all(id);
    return statement->step();
}

}  // namespace

core::Result<Job> SqliteJobQueue::enqueue(const Job& job) {
    return db_.with_connection([&](Connection& connection) {
        // Insert and read-back in one transaction: the job returned is the one that holds the key.
        return connection.transaction("enqueue job", [&](Connection& c) -> core::Result<Job> {
            if (auto inserted = c.execute(kEnqueueSql, "enqueue job", job.id, job.kind, job.payload_json, job.platform,
                                          job.dedupe_key, job.max_attempts, core::to_unix_ms(job.run_at),
                                          core::to_unix_ms(job.created_at), core::to_unix_ms(job.updated_at));
                !inserted) {
                return std::move(inserted).error();
            }
            auto stored =
                job.dedupe_key ? find_one(c, kFindByDedupeKeySql, *job.dedupe_key) : find_one(c, kFindSql, job.id);
            if (!stored) return std::move(stored).error();
            if (!stored.value()) return core::Error::internal("database: enqueued job could not be read back");
            return std::move(*stored.value());
        });
    });
}

core::Result<OptionalJob> SqliteJobQueue::claim(const std::vector<std::string>& kinds, TimePoint now,
                                                std::chrono::milliseconds lease) {
    if (kinds.empty()) return OptionalJob();
    std::string sql(kClaimSqlHead);
    sql += sql_parameter_list(kinds.size());
    sql += kClaimSqlTail;
    return db_.with_connection([&](Connection& connection) {
        return connection.transaction("claim job", [&](Connection& c) -> core::Result<OptionalJob> {
            const auto now_ms = core::to_unix_ms(now);
            if (auto buried = c.execute(kBuryAbandonedSql, "bury abandoned jobs", now_ms, now_ms, now_ms); !buried) {
                return std::move(buried).error();
            }
            auto statement = c.prepare(sql, "claim job");
            if (!statement) return std::move(statement).error();
            int index = 0;
            statement->bind(++index, core::to_unix_ms(now + lease));
            statement->bind(++index, core::to_unix_ms(now));
            for (const auto& kind : kinds) statement->bind(++index, kind);
            statement->bind(++index, core::to_unix_ms(now));
            statement->bind(++index, core::to_unix_ms(now));
            return single_job(*statement);
        });
    });
}

core::Result<OptionalJob> SqliteJobQueue::claim_delivered(const std::string& id, TimePoint now,
                                                          std::chrono::milliseconds lease, bool redelivery) {
    return db_.with_connection([&](Connection& connection) {
        return connection.transaction("claim delivered job", [&](Connection& c) -> core::Result<OptionalJob> {
            const auto now_ms = core::to_unix_ms(now);
            if (redelivery) {
                if (auto buried = c.execute(kBuryRedeliveredSql, "bury abandoned job", now_ms, now_ms, id); !buried) {
                    return std::move(buried).error();
                }
            }
            auto statement = c.prepare(kClaimDeliveredSql, "claim delivered job");
            if (!statement) return std::move(statement).error();
            statement->bind_all(core::to_unix_ms(now + lease), now_ms, id, redelivery);
            return single_job(*statement);
        });
    });
}

core::Status SqliteJobQueue::complete(const std::string& id, TimePoint now) {
    return db_.with_connection([&](Connection& connection) -> core::Status {
        if (auto updated =
                connection.execute(kCompleteSql, "complete job", core::to_unix_ms(now), core::to_unix_ms(now), id);
            !updated) {
            return updated;
        }
        if (connection.changes() > 0) return {};
        auto found = exists(connection, id);
        if (!found) return std::move(found).error();
        if (!found.value()) return core::Error::not_found("job", id);
        return {};  // already finished: completing it again changes nothing
    });
}

core::Result<Job> SqliteJobQueue::fail(const std::string& id, const std::string& error, TimePoint now,
                                       std::optional<TimePoint> retry_at) {
    return db_.with_connection([&](Connection& connection) {
        return connection.transaction("fail job", [&](Connection& c) -> core::Result<Job> {
            auto statement = c.prepare(kFailSql, "fail job");
            if (!statement) return std::move(statement).error();
            std::optional<std::int64_t> retry_ms;
            if (retry_at) retry_ms = core::to_unix_ms(*retry_at);
            statement->bind_all(retry_ms, core::to_unix_ms(now), error, id);
            auto failed = single_job(*statement);
            if (!failed) return std::move(failed).error();
            if (failed.value()) return std::move(*failed.value());
            // Not running (finished, or already failed by whoever holds it now): returned as it is.
            auto current = find_one(c, kFindSql, id);
            if (!current) return std::move(current).error();
            if (!current.value()) return core::Error::not_found("job", id);
            return std::move(*current.value());
        });
    });
}

core::Result<OptionalJob> SqliteJobQueue::find(const std::string& id) {
    return db_.with_connection([&](Connection& connection) { return find_one(connection, kFindSql, id); });
}

core::Result<OptionalJob> SqliteJobQueue::find_by_dedupe_key(const std::string& dedupe_key) {
    return db_.with_connection(
        [&](Connection& connection) { return find_one(connection, kFindByDedupeKeySql, dedupe_key); });
}

core::Result<std::optional<TimePoint>> SqliteJobQueue::next_due(const std::vector<std::string>& kinds) {
    using Outcome = std::optional<TimePoint>;
    if (kinds.empty()) return Outcome();
    std::string sql(kNextDueSqlHead);
    sql += sql_parameter_list(kinds.size());
    sql += kNextDueSqlTail;
    return db_.with_connection([&](Connection& connection) -> core::Result<Outcome> {
        auto statement = connection.prepare(sql, "find next due job");
        if (!statement) return std::move(statement).error();
        int index = 0;
        for (const auto& kind : kinds) statement->bind(++index, kind);
        auto row = statement->step();
        if (!row) return std::move(row).error();
        if (!row.value()) return Outcome();
        return from_ms(statement->optional_int64(0));
    });
}

core::Result<core::ports::JobCounts> SqliteJobQueue::job_counts(TimePoint now) {
    return db_.with_connection([&](Connection& connection) -> core::Result<core::ports::JobCounts> {
        auto statement = connection.prepare(kJobCountsSql, "count jobs");
        if (!statement) return std::move(statement).error();
        const auto now_ms = core::to_unix_ms(now);
        statement->bind_all(now_ms);
        core::ports::JobCounts counts;
        std::optional<std::int64_t> oldest_due_ms;
        while (true) {
            auto row = statement->step();
            if (!row) return std::move(row).error();
            if (!row.value()) break;
            counts.kinds.push_back({statement->text(0), statement->int64(1), statement->int64(2), statement->int64(3)});
            if (const auto due = statement->optional_int64(4); due && (!oldest_due_ms || *due < *oldest_due_ms)) {
                oldest_due_ms = due;
            }
        }
        if (oldest_due_ms) counts.oldest_due_age = std::chrono::milliseconds(now_ms - *oldest_due_ms);
        return counts;
    });
}

}  // namespace crossvoice::storage
