#pragma once

#include <atomic>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "core/assistant.hpp"
#include "core/clock.hpp"
#include "core/ports/knowledge_index.hpp"
#include "core/ports/knowledge_store.hpp"
#include "core/result.hpp"

namespace crossvoice::services {

// A shipped knowledge document: config/knowledge/<platform>/<name>.md.
struct KnowledgeFile {
    core::Platform platform = core::Platform::kTetrix;
    std::string name;
    std::string markdown;
};

// SHANGO's knowledge documents: stored as markdown (the truth), indexed for retrieval. The index is rebuilt
// whenever the stored documents changed, here or through another instance (the store's generation says so),
// before the next search sees it.
class KnowledgeService {
  public:
    KnowledgeService(core::ports::KnowledgeStore& store, core::ports::KnowledgeIndex& index, const core::Clock& clock)
        : store_(store), index_(index), clock_(clock) {}

    static constexpr std::size_t kMaxDocumentBytes = 256 * 1024;
    static constexpr std::size_t kMaxQueryBytes = 2000;

    // Start-up: stores each file with origin "file" unless the platform changed that document through the API,
    // then builds the index. kValidation naming the file when one cannot be indexed. Returns how many were
    // stored or updated.
    core::Result<int> load_files(const std::vector<KnowledgeFile>& files);

    core::Result<std::vector<core::KnowledgeDocument>> list(core::Platform platform);
    core::Result<core::KnowledgeDocument> get(core::Platform platform, const std::string& name);
    // Creates or replaces a document and reindexes. kValidation for a bad name, an empty or oversized document, or
    // one without any text to index; nothing is stored then.
    core::Result<core::KnowledgeDocument> put(core::Platform platform, const std::string& name, std::string markdown);
    // kNotFound when there is no such document.
    core::Status remove(core::Platform platform, const std::string& name);
    // Rebuilds the index from the stored documents now; with `everywhere`, every other instance's index too (on
    // its next search).
    core::Result<core::ports::KnowledgeIndexStats> reindex(bool everywhere = false);
    // The best passages for a question, from an index that is current with the store.
    core::Result<std::vector<core::KnowledgePassage>> search(core::Platform platform, std::string_view query,
                                                             std::size_t limit);

    // [a-z0-9-]{1,64}, not starting with '-'.
    static bool valid_name(std::string_view name);

  private:
    core::Status refresh_if_stale();
    core::Result<core::ports::KnowledgeIndexStats> rebuild_locked(const std::vector<core::KnowledgeDocument>& documents,
                                                                  long long generation);

    core::ports::KnowledgeStore& store_;
    core::ports::KnowledgeIndex& index_;
    const core::Clock& clock_;
    std::mutex mutex_;  // one rebuild or change at a time; a search takes it only when the index is stale
    std::atomic<long long> indexed_generation_{-1};
};

}  // namespace crossvoice::services
