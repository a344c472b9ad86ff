#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "core/assistant.hpp"
#include "core/result.hpp"

namespace crossvoice::core::ports {

struct KnowledgeIndexStats {
    int documents = 0;
    int passages = 0;
};

// Full-text retrieval over the platforms' knowledge documents. Thread-safe: searches may run while the index
// is rebuilt (they see the old or the new index, never half of one).
class KnowledgeIndex {
  public:
    virtual ~KnowledgeIndex() = default;
    // Replaces the whole index with these documents (all platforms). kValidation naming the document when one
    // cannot be split (no text at all); nothing changes then.
    virtual Result<KnowledgeIndexStats> rebuild(const std::vector<KnowledgeDocument>& documents) = 0;
    // The best passages of the platform's documents for a free-text query, best first; empty when nothing
    // matches. The query is words, not a query language: operators and quotes are taken as text.
    virtual Result<std::vector<KnowledgePassage>> search(Platform platform, std::string_view query,
                                                         std::size_t limit) = 0;
};

}  // namespace crossvoice::core::ports
