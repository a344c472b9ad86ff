#pragma once

#include <cstddef>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "core/ports/knowledge_index.hpp"

namespace crossvoice::assistant {

// How retrieval weighs where a query word is found (see register_rank_function, fts5_rank.hpp). Tuned on the
// questions of tests/fixtures/knowledge (tests/unit/assistant/retrieval_accuracy_test.cpp): the introduction's
// discount and the heading bonus moved top-1 accuracy by a few points each, the title and body weights hardly.
struct Fts5KnowledgeIndexOptions {
    double title_weight = 1.0;         // per occurrence in the document's title, inside BM25
    double heading_weight = 1.0;       // × IDF for a query word in the passage's heading, on top of BM25
    double body_weight = 1.0;          // per occurrence in the passage's text, inside BM25
    double asks_weight = 1.0;          // a bonus per question word among the section's example questions (as heading)
    double introduction_weight = 0.5;  // multiplies the score of a document's introduction (its table of contents)
};

// The knowledge index in SQLite FTS5 ranked by a BM25 variant (cv_rank, fts5_rank.hpp): one row per passage
// (split_markdown), porter-stemmed, diacritics folded; queries are built by fts5_query without the platform's name
// and with the words a caller's paraphrase implies. Each rebuild fills a new generation (a fresh connection; for a
// file, one transaction) and then swaps it in, so a search never waits for a rebuild and sees the old passages or the
// new ones. Searches of one generation share its connection and prepared statement under a mutex: a search takes about
// a hundred microseconds (bench/kb_answer.cpp).
class Fts5KnowledgeIndex final : public core::ports::KnowledgeIndex {
  public:
    // `path` is a database file (created if missing, kept in WAL mode) or ":memory:". Nothing is opened until the
    // first rebuild or search; an unusable path makes those kUnavailable.
    explicit Fts5KnowledgeIndex(std::string path, Fts5KnowledgeIndexOptions options = {});
    ~Fts5KnowledgeIndex() override;
    Fts5KnowledgeIndex(const Fts5KnowledgeIndex&) = delete;
    Fts5KnowledgeIndex& operator=(const Fts5KnowledgeIndex&) = delete;

    core::Result<core::ports::KnowledgeIndexStats> rebuild(
        const std::vector<core::KnowledgeDocument>& documents) override;
    core::Result<std::vector<core::KnowledgePassage>> search(core::Platform platform, std::string_view query,
                                                             std::size_t limit) override;

    // The most passages one search returns, whatever limit it asks for.
    static constexpr std::size_t kMaxLimit = 50;

  private:
    struct Generation;
    core::Result<std::shared_ptr<Generation>> open_generation() const;
    core::Result<std::shared_ptr<Generation>> current_generation();

    const std::string path_;
    const std::string search_sql_;
    std::mutex rebuild_mutex_;  // one rebuild at a time
    std::mutex current_mutex_;  // guards current_ (held only to copy or swap the pointer)
    std::shared_ptr<Generation> current_;
};

}  // namespace crossvoice::assistant
