#include "assistant/fts5_knowledge_index.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <exception>
#include <optional>
#include <set>
#include <utility>

#include "assistant/fts5_query.hpp"
#include "assistant/fts5_rank.hpp"
#include "assistant/markdown_sections.hpp"
#include "assistant/sqlite_connection.hpp"

namespace crossvoice::assistant {
namespace {

constexpr std::string_view kCreateTable =
    "CREATE VIRTUAL TABLE IF NOT EXISTS passages USING fts5("
    "platform UNINDEXED, id UNINDEXED, document UNINDEXED, title, heading, body, asks, "
    "tokenize = 'porter unicode61 remove_diacritics 2')";

constexpr std::string_view kInsert =
    "INSERT INTO passages(platform, id, document, title, heading, body, asks) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)";

struct SplitDocument {
    const core::KnowledgeDocument* source;
    MarkdownSections sections;
};

core::Error internal_failure(std::string_view operation) {
    // The exception's text is left out: it could quote a document.
    return core::Error{
        core::ErrorCode::kUnavailable, fmt::format("knowledge index: {} failed: unexpected exception", operation), {}};
}

// Every document split, or the first one that cannot be indexed; nothing has touched the database yet.
core::Result<std::vector<SplitDocument>> split_all(const std::vector<core::KnowledgeDocument>& documents) {
    std::vector<SplitDocument> split;
    split.reserve(documents.size());
    std::set<std::pair<core::Platform, std::string>> seen;
    for (const auto& document : documents) {
        const std::string platform(core::to_string(document.platform));
        if (!seen.emplace(document.platform, document.name).second) {
            return core::Error{core::ErrorCode::kValidation,
                               fmt::format("knowledge document '{}' of {} is listed twice", document.name, platform),
                               {{"document", document.name}, {"platform", platform}}};
        }
        auto sections = parse_markdown_sections(document.name, document.markdown);
        if (sections.passages.empty()) {
            return core::Error{
                core::ErrorCode::kValidation,
                fmt::format("knowledge document '{}' of {} has no text to index", document.name, platform),
                {{"document", document.name}, {"platform", platform}}};
        }
        split.push_back(SplitDocument{&document, std::move(sections)});
    }
    return split;
}

}  // namespace

struct Fts5KnowledgeIndex::Generation {
    explicit Generation(sqlite::Connection db) : connection(std::move(db)) {}
    std::mutex mutex;  // one search at a time on this connection and its statement
    sqlite::Connection connection;
    std::optional<sqlite::Statement> search;
};

Fts5KnowledgeIndex::Fts5KnowledgeIndex(std::string path, Fts5KnowledgeIndexOptions options)
    : path_(std::move(path)),
      search_sql_(fmt::format("SELECT id, document, heading, body, {}(passages, {}, {}, {}, {}, {}) AS score, asks "
                              "FROM passages WHERE passages MATCH ?1 AND platform = ?2 ORDER BY score DESC LIMIT ?3",
                              kRankFunction, options.title_weight, options.heading_weight, options.body_weight,
                              options.introduction_weight, options.asks_weight)) {}

Fts5KnowledgeIndex::~Fts5KnowledgeIndex() = default;

core::Result<std::shared_ptr<Fts5KnowledgeIndex::Generation>> Fts5KnowledgeIndex::open_generation() const {
    auto connection = sqlite::Connection::open(path_);
    if (!connection) return std::move(connection).error();
    auto generation = std::make_shared<Generation>(std::move(connection).value());
    if (auto registered = register_rank_function(generation->connection.handle()); !registered) {
        return std::move(registered).error();
    }
    if (auto created = generation->connection.exec(kCreateTable, "create the passages table"); !created) {
        return std::move(created).error();
    }
    return generation;
}

core::Result<core::ports::KnowledgeIndexStats> Fts5KnowledgeIndex::rebuild(
    const std::vector<core::KnowledgeDocument>& documents) {
    try {
        auto split = split_all(documents);
        if (!split) return std::move(split).error();

        std::lock_guard rebuilding(rebuild_mutex_);
        auto connection = sqlite::Connection::open(path_);
        if (!connection) return std::move(connection).error();
        if (auto begun = connection->exec("BEGIN IMMEDIATE", "begin the rebuild"); !begun) {
            return std::move(begun).error();
        }
        // On any failure the new connection closes with its transaction open, which rolls it back.
        auto generation_result = [&]() -> core::Result<std::shared_ptr<Generation>> {
            auto generation = std::make_shared<Generation>(std::move(connection).value());
            auto& db = generation->connection;
            if (auto registered = register_rank_function(db.handle()); !registered)
                return std::move(registered).error();
            // Dropping rather than emptying also moves a file written by an older version to the current schema; a
            // file's readers keep seeing the old table until the commit.
            if (auto dropped = db.exec("DROP TABLE IF EXISTS passages", "replace the passages table"); !dropped) {
                return std::move(dropped).error();
            }
            if (auto created = db.exec(kCreateTable, "create the passages table"); !created) {
                return std::move(created).error();
            }
            auto insert = db.prepare(kInsert, "insert a passage");
            if (!insert) return std::move(insert).error();
            for (const auto& document : split.value()) {
                const std::string_view platform = core::to_string(document.source->platform);
                for (std::size_t i = 0; i < document.sections.passages.size(); ++i) {
                    const auto& passage = document.sections.passages[i];
                    const std::string_view asks = i < document.sections.asks.size()
                                                      ? std::string_view(document.sections.asks[i])
                                                      : std::string_view();
                    insert->bind_text(1, platform)
                        .bind_text(2, passage.id)
                        .bind_text(3, passage.document)
                        .bind_text(4, document.sections.title)
                        .bind_text(5, passage.heading)
                        .bind_text(6, passage.text)
                        .bind_text(7, asks);
                    if (auto inserted = insert->run(); !inserted) return std::move(inserted).error();
                }
            }
            if (auto committed = db.exec("COMMIT", "commit the rebuild"); !committed) {
                return std::move(committed).error();
            }
            return generation;
        }();
        if (!generation_result) return std::move(generation_result).error();

        core::ports::KnowledgeIndexStats stats;
        stats.documents = static_cast<int>(split->size());
        for (const auto& document : split.value())
            stats.passages += static_cast<int>(document.sections.passages.size());
        std::shared_ptr<Generation> retired;
        {
            std::lock_guard swapping(current_mutex_);
            retired = std::exchange(current_, std::move(generation_result).value());
        }
        // `retired` closes here, outside the lock, unless a search still holds it.
        return stats;
    } catch (const std::exception&) {
        return internal_failure("rebuild");
    }
}

core::Result<std::shared_ptr<Fts5KnowledgeIndex::Generation>> Fts5KnowledgeIndex::current_generation() {
    {
        std::lock_guard reading(current_mutex_);
        if (current_) return current_;
    }
    // Before the first rebuild: an empty index (or, for a file, what an earlier process left in it).
    std::lock_guard rebuilding(rebuild_mutex_);
    {
        std::lock_guard reading(current_mutex_);
        if (current_) return current_;
    }
    auto opened = open_generation();
    if (!opened) return std::move(opened).error();
    std::lock_guard swapping(current_mutex_);
    current_ = std::move(opened).value();
    return current_;
}

core::Result<std::vector<core::KnowledgePassage>> Fts5KnowledgeIndex::search(core::Platform platform,
                                                                             std::string_view query,
                                                                             std::size_t limit) {
    try {
        std::vector<core::KnowledgePassage> found;
        const std::string match = fts5_query(query, core::to_string(platform));
        if (match.empty() || limit == 0) return found;
        auto generation = current_generation();
        if (!generation) return std::move(generation).error();
        auto& current = *generation.value();

        std::lock_guard searching(current.mutex);
        if (!current.search) {
            auto prepared = current.connection.prepare(search_sql_, "prepare the search");
            if (!prepared) return std::move(prepared).error();
            current.search.emplace(std::move(prepared).value());
        }
        auto& statement = *current.search;
        statement.bind_text(1, match)
            .bind_text(2, core::to_string(platform))
            .bind_int64(3, static_cast<long long>(std::min(limit, kMaxLimit)));
        for (;;) {
            auto row = statement.step();
            if (!row) {
                statement.reset();
                return std::move(row).error();
            }
            if (!row.value()) break;
            core::KnowledgePassage passage;
            passage.id = statement.text(0);
            passage.document = statement.text(1);
            passage.heading = statement.text(2);
            passage.text = statement.text(3);
            passage.score = statement.real(4);
            passage.asks = statement.text(5);
            found.push_back(std::move(passage));
        }
        statement.reset();
        return found;
    } catch (const std::exception&) {
        return internal_failure("search");
    }
}

}  // namespace crossvoice::assistant
