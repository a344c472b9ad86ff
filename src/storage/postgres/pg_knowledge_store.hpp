#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/ports/knowledge_store.hpp"
#include "storage/postgres/pg_database.hpp"

namespace crossvoice::storage {

// KnowledgeStore on `knowledge_documents`; every put and remove bumps `knowledge_generation` in the same
// transaction, so an index that read generation N has seen every document as of N.
class PgKnowledgeStore final : public core::ports::KnowledgeStore {
  public:
    explicit PgKnowledgeStore(PgDatabase& db) : db_(db) {}

    core::Result<std::vector<core::KnowledgeDocument>> list(core::Platform platform) override;
    core::Result<std::vector<core::KnowledgeDocument>> list_all() override;
    core::Result<std::optional<core::KnowledgeDocument>> find(core::Platform platform,
                                                              const std::string& name) override;
    core::Result<core::KnowledgeDocument> put(const core::KnowledgeDocument& document, core::TimePoint at) override;
    core::Status remove(core::Platform platform, const std::string& name) override;
    core::Result<long long> generation() override;
    core::Result<long long> touch() override;

  private:
    PgDatabase& db_;
};

}  // namespace crossvoice::storage
