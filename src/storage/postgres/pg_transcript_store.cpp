#include "storage/postgres/pg_transcript_store.hpp"

#include "storage/postgres/pg_timeline_rows.hpp"

#include <cmath>
#include <cstdint>
#include <string_view>
#include <utility>

namespace crossvoice::storage {
namespace {

using core::ports::StoredTranscript;

#define CV_TRANSCRIPT_COLUMNS \
    "id, platform, session_id, call_id, job_id, source, provider, language, duration_ms, text, body_json, created_at"

constexpr std::string_view kInsertTranscriptSql =
    "INSERT INTO transcripts (" CV_TRANSCRIPT_COLUMNS ") VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)";
constexpr std::string_view kFindSql =
    "SELECT " CV_TRANSCRIPT_COLUMNS " FROM transcripts WHERE platform = $1 AND id = $2";
constexpr std::string_view kFindByJobSql =
    "SELECT " CV_TRANSCRIPT_COLUMNS " FROM transcripts WHERE platform = $1 AND job_id = $2";

#undef CV_TRANSCRIPT_COLUMNS

const std::string kListSql = std::string("SELECT ") + std::string(kPgTimelineColumns) +
                             " FROM messages WHERE platform = $1 AND session_id = $2 AND id > $3 ORDER BY id LIMIT $4";
// The newest page, walked backwards on the index, then put back in timeline order.
const std::string kListNewestSql =
    std::string("SELECT * FROM (SELECT ") + std::string(kPgTimelineColumns) +
    " FROM messages WHERE platform = $1 AND session_id = $2 AND id > $3 ORDER BY id DESC "
    "LIMIT $4) AS newest ORDER BY id";

constexpr std::string_view kMarkTranscribedSql =
    "UPDATE sessions SET has_transcription = 1 WHERE platform = $1 AND id = $2";

// Names the column, never the value: stored values may be personal data.
core::Error corrupt(std::string_view what, std::string_view column) {
    return core::Error::internal(std::string("database: stored ") + std::string(what) + " has an unreadable " +
                                 std::string(column));
}

core::Result<StoredTranscript> read_transcript(const PgStatement& row) {
    StoredTranscript out;
    out.id = row.text(0);
    const auto platform = core::parse_platform(row.text(1));
    if (!platform) return corrupt("transcript", "platform");
    out.platform = *platform;
    out.session_id = row.optional_text(2);
    out.call_id = row.optional_text(3);
    out.job_id = row.optional_text(4);
    out.source = row.text(5);
    out.provider = row.text(6);
    out.language = row.optional_text(7);
    out.duration = static_cast<double>(row.int64(8)) / 1000.0;
    out.text = row.text(9);
    out.body_json = row.text(10);
    out.created_at = core::from_unix_ms(row.int64(11));
    return out;
}

core::Result<std::optional<StoredTranscript>> find_one(PgDatabase& db, std::string_view sql, core::Platform platform,
                                                       const std::string& key) {
    using Outcome = core::Result<std::optional<StoredTranscript>>;
    return db.with_connection([&](PgConnection& connection) -> Outcome {
        auto statement = connection.prepare(sql, "find transcript");
        if (!statement) return std::move(statement).error();
        statement->bind_all(core::to_string(platform), key);
        auto row = statement->step();
        if (!row) return std::move(row).error();
        if (!row.value()) return std::optional<StoredTranscript>();
        auto transcript = read_transcript(*statement);
        if (!transcript) return std::move(transcript).error();
        return std::optional<StoredTranscript>(std::move(transcript).value());
    });
}

}  // namespace

core::Status PgTranscriptStore::save(const StoredTranscript& transcript,
                                     const std::vector<core::TimelineMessage>& timeline) {
    return db_.with_connection([&](PgConnection& connection) {
        return connection.transaction("save transcript", [&](PgConnection& c) -> core::Status {
            const auto platform = core::to_string(transcript.platform);
            if (transcript.session_id) {
                if (auto found = pg_require_session(c, platform, *transcript.session_id); !found) return found;
            }
            const auto duration_ms = static_cast<std::int64_t>(std::llround(transcript.duration * 1000.0));
            if (auto inserted = c.execute(
                    kInsertTranscriptSql, "insert transcript", transcript.id, platform, transcript.session_id,
                    transcript.call_id, transcript.job_id, transcript.source, transcript.provider, transcript.language,
                    duration_ms, transcript.text, transcript.body_json, core::to_unix_ms(transcript.created_at));
                !inserted) {
                return inserted;
            }
            if (!transcript.session_id) return {};
            if (auto appended = pg_append_timeline(c, timeline); !appended) return appended;
            return c.execute(kMarkTranscribedSql, "mark session transcribed", platform, *transcript.session_id);
        });
    });
}

core::Result<std::optional<StoredTranscript>> PgTranscriptStore::find(core::Platform platform, const std::string& id) {
    return find_one(db_, kFindSql, platform, id);
}

core::Result<std::optional<StoredTranscript>> PgTranscriptStore::find_by_job(core::Platform platform,
                                                                             const std::string& job_id) {
    return find_one(db_, kFindByJobSql, platform, job_id);
}

core::Result<std::vector<core::TimelineMessage>> PgTranscriptStore::list(const core::ports::TimelineQuery& query) {
    using Rows = std::vector<core::TimelineMessage>;
    if (query.limit <= 0) return Rows{};
    return db_.with_connection([&](PgConnection& connection) -> core::Result<Rows> {
        auto statement = connection.prepare(query.newest ? kListNewestSql : kListSql, "list messages");
        if (!statement) return std::move(statement).error();
        // "" sorts before every id, so no cursor means from the start.
        statement->bind_all(core::to_string(query.platform), query.session_id, query.after_id.value_or(""),
                            query.limit);
        Rows messages;
        for (;;) {
            auto row = statement->step();
            if (!row) return std::move(row).error();
            if (!row.value()) break;
            auto message = pg_read_timeline_message(*statement);
            if (!message) return std::move(message).error();
            messages.push_back(std::move(message).value());
        }
        return messages;
    });
}

}  // namespace crossvoice::storage
