#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/assistant.hpp"
#include "core/clock.hpp"
#include "core/result.hpp"

namespace crossvoice::core::ports {

// The platforms' knowledge documents: the markdown is the truth, the index is rebuilt from it.
class KnowledgeStore {
  public:
    virtual ~KnowledgeStore() = default;
    // Sorted by name.
    virtual Result<std::vector<KnowledgeDocument>> list(Platform platform) = 0;
    virtual Result<std::vector<KnowledgeDocument>> list_all() = 0;
    virtual Result<std::optional<KnowledgeDocument>> find(Platform platform, const std::string& name) = 0;
    // Inserts or replaces; version 1 on first put, +1 after. Returns the document as stored.
    virtual Result<KnowledgeDocument> put(const KnowledgeDocument& document, TimePoint at) = 0;
    // kNotFound when there is no such document.
    virtual Status remove(Platform platform, const std::string& name) = 0;
    // Changes with every put and remove on any platform, so an index can tell it is stale cheaply.
    virtual Result<long long> generation() = 0;
    // Moves the generation on without a change, so that every instance's index rebuilds (crossvoice kb reindex).
    virtual Result<long long> touch() = 0;
};

}  // namespace crossvoice::core::ports
