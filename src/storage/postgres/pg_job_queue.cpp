#include "storage/postgres/pg_job_queue.hpp"

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
    ") VALUES ($1, $2, $3, $4, $5, 'queued', 0, $6, NULL, $7, NULL, $8, $9, NULL) ON CONFLICT (dedupe_key) DO NOTHING";
constexpr std::string_view kFindSql = "SELECT " CV_JOB_COLUMNS " FROM jobs WHERE id = $1";
constexpr std::string_view kFindByDedupeKeySql = "SELECT " CV_JOB_COLUMNS " FROM jobs WHERE dedupe_key = $1";

// Parameters: lease_until, updated_at, the kinds (a text array), now. The subquery picks the oldest due job
// (row_order, SQLite's rowid made explicit, breaks ties in insertion order) and locks it; SKIP LOCKED passes over
// a job another worker is taking at this moment instead of waiting for it, so concurrent claims take different
// jobs and never the same one.
constexpr std::string_view kClaimSql =
    "UPDATE jobs SET status = 'running', attempts = attempts + 1, lease_until = $1, updated_at = $2 "
    "WHERE id = (SELECT id FROM jobs WHERE kind = ANY($3::text[]) "
    "AND ((status = 'queued' AND run_at <= $4) OR (status = 'running' AND lease_until <= $4)) "
    "ORDER BY run_at, created_at, row_order LIMIT 1 FOR UPDATE SKIP LOCKED) RETURNING " CV_JOB_COLUMNS;

// A job whose worker died on its last attempt (lease run out, attempts used up) would otherwise be taken again
// for ever if it crashes the process each time: it is buried instead. Parameters: finished_at, updated_at, now.
constexpr std::string_view kBuryAbandonedSql =
    "UPDATE jobs SET status = 'dead', lease_until = NULL, finished_at = $1, updated_at = $2, "
    "last_error = 'abandoned: the worker stopped during the last attempt' || "
    "COALESCE(' (previous error: ' || last_error || ')', '') "
    "WHERE status = 'running' AND lease_until <= $3 AND attempts >= max_attempts";

// A broker's delivery. Parameters: lease_until, updated_at, id, redelivery (0/1).
constexpr std::string_view kClaimDeliveredSql =
    "UPDATE jobs SET status = 'running', attempts = attempts + 1, lease_until = $1, updated_at = $2 "
    "WHERE id = $3 AND (status = 'queued' OR (status = 'running' AND $4 = 1 AND attempts < max_attempts)) "
    "RETURNING " CV_JOB_COLUMNS;
// A redelivered job whose worker died during its last attempt. Parameters: finished_at, updated_at, id.
constexpr std::string_view kBuryRedeliveredSql =
    "UPDATE jobs SET status = 'dead', lease_until = NULL, finished_at = $1, updated_at = $2, "
    "last_error = 'abandoned: the worker stopped during the last attempt' || "
    "COALESCE(' (previous error: ' || last_error || ')', '') "
    "WHERE id = $3 AND status = 'running' AND attempts >= max_attempts";

// Only a finished job ignores a late confirmation; one whose lease a stale worker lost is still done.
constexpr std::string_view kCompleteSql =
    "UPDATE jobs SET status = 'succeeded', lease_until = NULL, finished_at = $1, updated_at = $2 "
    "WHERE id = $3 AND status IN ('queued', 'running')";
constexpr std::string_view kExistsSql = "SELECT 1 FROM jobs WHERE id = $1";

// Parameters: retry_at, now (finished_at), error, now (updated_at), id. Only a running job can fail an attempt.
constexpr std::string_view kFailSql =
    "UPDATE jobs SET "
    "status = CASE WHEN attempts >= max_attempts OR $1::bigint IS NULL THEN 'dead' ELSE 'queued' END, "
    "run_at = CASE WHEN attempts >= max_attempts OR $1::bigint IS NULL THEN run_at ELSE $1::bigint END, "
    "finished_at = CASE WHEN attempts >= max_attempts OR $1::bigint IS NULL THEN $2::bigint ELSE NULL END, "
    "last_error = $3, lease_until = NULL, updated_at = $2::bigint "
    "WHERE id = $4 AND status = 'running' RETURNING " CV_JOB_COLUMNS;

// A queued job is due at run_at, a running one when its lease runs out. Parameter: the kinds (a text array).
constexpr std::string_view kNextDueSql =
    "SELECT MIN(CASE status WHEN 'queued' THEN run_at ELSE lease_until END) FROM jobs "
    "WHERE status IN ('queued', 'running') AND kind = ANY($1::text[])";

// The metrics' view, in one pass over the unfinished and dead jobs. Parameter: now. Per kind: queued, running,
// dead, and the earliest run_at of a due queued job.
constexpr std::string_view kJobCountsSql =
    "SELECT kind, COUNT(*) FILTER (WHERE status = 'queued'), COUNT(*) FILTER (WHERE status = 'running'), "
    "COUNT(*) FILTER (WHERE status = 'dead'), MIN(run_at) FILTER (WHERE status = 'queued' AND run_at <= $1) "
    "FROM jobs WHERE status IN ('queued', 'running', 'dead') GROUP BY kind ORDER BY kind";

#undef CV_JOB_COLUMNS

std::optional<TimePoint> from_ms(const std::optional<std::int64_t>& ms) {
    if (!ms) return std::nullopt;
    return core::from_unix_ms(*ms);
}

// The kinds as one text[] literal ({"a","b"}), so that one prepared statement serves any number of them.
std::string text_array(const std::vector<std::string>& items) {
    std::string out = "{";
    for (const auto& item : items) {
        if (out.size() > 1) out += ',';
        out += '"';
        for (const char c : item) {
            if (c == '"' || c == '\\') out += '\\';
            out += c;
        }
        out += '"';
    }
    out += '}';
    return out;
}

core::Result<Job> read_job(const PgStatement& row) {
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
core::Result<OptionalJob> single_job(PgStatement& statement) {
    auto row = statement.step();
    if (!row) return std::move(row).error();
    if (!row.value()) return OptionalJob();
    auto job = read_job(statement);
    if (!job) return std::move(job).error();
    if (auto rest = statement.run(); !rest) return std::move(rest).error();
    return OptionalJob(std::move(job).value());
}

template <typename... Args>
core::Result<OptionalJob> find_one(PgConnection& connection, std::string_view sql, const Args&... args) {
    auto statement = connection.prepare(sql, "find job");
    if (!statement) return std::move(statement).error();
    statement->bind_all(args...);
    return single_job(*statement);
}

core::Result<bool> exists(PgConnection& connection, const std::string& id) {
    auto statement = connection.prepare(kExistsSql, "find job");
    if (!statement) return std::move(statement).error();
    statement->bind_all(id);
    return statement->step();
}

}  // namespace

core::Result<Job> PgJobQueue::enqueue(const Job& job) {
    return db_.with_connection([&](PgConnection& connection) {
        // Insert and read-back in one transaction: the job returned is the one that holds the key.
        return connection.transaction("enqueue job", [&](PgConnection& c) -> core::Result<Job> {
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

core::Result<OptionalJob> PgJobQueue::claim(const std::vector<std::string>& kinds, TimePoint now,
                                            std::chrono::milliseconds lease) {
    if (kinds.empty()) return OptionalJob();
    const std::string kind_list = text_array(kinds);
    return db_.with_connection([&](PgConnection& connection) {
        return connection.transaction("claim job", [&](PgConnection& c) -> core::Result<OptionalJob> {
            const auto now_ms = core::to_unix_ms(now);
            if (auto buried = c.execute(kBuryAbandonedSql, "bury abandoned jobs", now_ms, now_ms, now_ms); !buried) {
                return std::move(buried).error();
            }
            auto statement = c.prepare(kClaimSql, "claim job");
            if (!statement) return std::move(statement).error();
            statement->bind_all(core::to_unix_ms(now + lease), now_ms, kind_list, now_ms);
            return single_job(*statement);
        });
    });
}

core::Result<OptionalJob> PgJobQueue::claim_delivered(const std::string& id, TimePoint now,
                                                      std::chrono::milliseconds lease, bool redelivery) {
    return db_.with_connection([&](PgConnection& connection) {
        return connection.transaction("claim delivered job", [&](PgConnection& c) -> core::Result<OptionalJob> {
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

core::Status PgJobQueue::complete(const std::string& id, TimePoint now) {
    return db_.with_connection([&](PgConnection& connection) -> core::Status {
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

core::Result<Job> PgJobQueue::fail(const std::string& id, const std::string& error, TimePoint now,
                                   std::optional<TimePoint> retry_at) {
    return db_.with_connection([&](PgConnection& connection) {
        return connection.transaction("fail job", [&](PgConnection& c) -> core::Result<Job> {
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

core::Result<OptionalJob> PgJobQueue::find(const std::string& id) {
    return db_.with_connection([&](PgConnection& connection) { return find_one(connection, kFindSql, id); });
}

core::Result<OptionalJob> PgJobQueue::find_by_dedupe_key(const std::string& dedupe_key) {
    return db_.with_connection(
        [&](PgConnection& connection) { return find_one(connection, kFindByDedupeKeySql, dedupe_key); });
}

core::Result<std::optional<TimePoint>> PgJobQueue::next_due(const std::vector<std::string>& kinds) {
    using Outcome = std::optional<TimePoint>;
    if (kinds.empty()) return Outcome();
    const std::string kind_list = text_array(kinds);
    return db_.with_connection([&](PgConnection& connection) -> core::Result<Outcome> {
        auto statement = connection.prepare(kNextDueSql, "find next due job");
        if (!statement) return std::move(statement).error();
        statement->bind_all(kind_list);
        auto row = statement->step();
        if (!row) return std::move(row).error();
        if (!row.value()) return Outcome();
        return from_ms(statement->optional_int64(0));
    });
}

core::Result<core::ports::JobCounts> PgJobQueue::job_counts(TimePoint now) {
    return db_.with_connection([&](PgConnection& connection) -> core::Result<core::ports::JobCounts> {
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
