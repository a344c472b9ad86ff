#include "storage/postgres/pg_knowledge_store.hpp"

#include <string_view>
#include <utility>

namespace crossvoice::storage {
namespace {

using core::KnowledgeDocument;
using Documents = std::vector<KnowledgeDocument>;

#define CV_KNOWLEDGE_COLUMNS "platform, name, markdown, origin, version, updated_at"
constexpr std::string_view kListSql =
    "SELECT " CV_KNOWLEDGE_COLUMNS " FROM knowledge_documents WHERE platform = $1 ORDER BY name";
constexpr std::string_view kListAllSql =
    "SELECT " CV_KNOWLEDGE_COLUMNS " FROM knowledge_documents ORDER BY platform, name";
constexpr std::string_view kFindSql =
    "SELECT " CV_KNOWLEDGE_COLUMNS " FROM knowledge_documents WHERE platform = $1 AND name = $2";
constexpr std::string_view kUpsertSql =
    "INSERT INTO knowledge_documents (" CV_KNOWLEDGE_COLUMNS
    ") VALUES ($1, $2, $3, $4, 1, $5) "
    "ON CONFLICT (platform, name) DO UPDATE SET markdown = excluded.markdown, origin = excluded.origin, "
    "version = knowledge_documents.version + 1, updated_at = excluded.updated_at RETURNING version";
#undef CV_KNOWLEDGE_COLUMNS
constexpr std::string_view kDeleteSql = "DELETE FROM knowledge_documents WHERE platform = $1 AND name = $2";
constexpr std::string_view kBumpSql = "UPDATE knowledge_generation SET generation = generation + 1 WHERE id = 1";
constexpr std::string_view kGenerationSql = "SELECT generation FROM knowledge_generation WHERE id = 1";

core::Result<KnowledgeDocument> read_document(const PgStatement& row) {
    KnowledgeDocument out;
    const auto platform = core::parse_platform(row.text(0));
    if (!platform) return core::Error::internal("database: stored knowledge document has an unreadable platform");
    out.platform = *platform;
    out.name = row.text(1);
    out.markdown = row.text(2);
    out.origin = row.text(3);
    out.version = static_cast<int>(row.int64(4));
    out.updated_at = core::from_unix_ms(row.int64(5));
    return out;
}

template <typename... Args>
core::Result<Documents> read_all(PgDatabase& db, std::string_view sql, const Args&... args) {
    return db.with_connection([&](PgConnection& connection) -> core::Result<Documents> {
        auto statement = connection.prepare(sql, "list knowledge documents");
        if (!statement) return std::move(statement).error();
        statement->bind_all(args...);
        Documents out;
        for (;;) {
            auto row = statement->step();
            if (!row) return std::move(row).error();
            if (!row.value()) break;
            auto document = read_document(*statement);
            if (!document) return std::move(document).error();
            out.push_back(std::move(document).value());
        }
        return out;
    });
}

}  // namespace

core::Result<Documents> PgKnowledgeStore::list(core::Platform platform) {
    return read_all(db_, kListSql, core::to_string(platform));
}

core::Result<Documents> PgKnowledgeStore::list_all() { return read_all(db_, kListAllSql); }

core::Result<std::optional<KnowledgeDocument>> PgKnowledgeStore::find(core::Platform platform,
                                                                      const std::string& name) {
    auto found = read_all(db_, kFindSql, core::to_string(platform), name);
    if (!found) return std::move(found).error();
    if (found->empty()) return std::optional<KnowledgeDocument>();
    return std::optional<KnowledgeDocument>(std::move(found->front()));
}

core::Result<KnowledgeDocument> PgKnowledgeStore::put(const KnowledgeDocument& document, core::TimePoint at) {
    return db_.with_connection([&](PgConnection& connection) {
        return connection.transaction(
            "put knowledge document", [&](PgConnection& c) -> core::Result<KnowledgeDocument> {
                auto upsert = c.prepare(kUpsertSql, "put knowledge document");
                if (!upsert) return std::move(upsert).error();
                upsert->bind_all(core::to_string(document.platform), document.name, document.markdown, document.origin,
                                 core::to_unix_ms(at));
                auto row = upsert->step();
                if (!row) return std::move(row).error();
                if (!row.value()) return core::Error::internal("database: put knowledge document returned no version");
                KnowledgeDocument stored = document;
                stored.version = static_cast<int>(upsert->int64(0));
                stored.updated_at = at;
                if (auto bumped = c.execute(kBumpSql, "bump knowledge generation"); !bumped)
                    return std::move(bumped).error();
                return stored;
            });
    });
}

core::Status PgKnowledgeStore::remove(core::Platform platform, const std::string& name) {
    return db_.with_connection([&](PgConnection& connection) {
        return connection.transaction("remove knowledge document", [&](PgConnection& c) -> core::Status {
            if (auto removed = c.execute(kDeleteSql, "remove knowledge document", core::to_string(platform), name);
                !removed) {
                return removed;
            }
            if (c.changes() == 0) return core::Error::not_found("knowledge document", name);
            return c.execute(kBumpSql, "bump knowledge generation");
        });
    });
}

core::Result<long long> PgKnowledgeStore::generation() {
    return db_.with_connection([&](PgConnection& connection) -> core::Result<long long> {
        auto statement = connection.prepare(kGenerationSql, "read knowledge generation");
        if (!statement) return std::move(statement).error();
        auto row = statement->step();
        if (!row) return std::move(row).error();
        if (!row.value()) return core::Error::internal("database: knowledge generation row is missing");
        return static_cast<long long>(statement->int64(0));
    });
}

core::Result<long long> PgKnowledgeStore::touch() {
    auto bumped = db_.with_connection([&](PgConnection& connection) -> core::Status {
        return connection.execute(kBumpSql, "bump knowledge generation");
    });
    if (!bumped) return std::move(bumped).error();
    return generation();
}

}  // namespace crossvoice::storage
