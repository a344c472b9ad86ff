#include "services/knowledge_service.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <utility>

namespace crossvoice::services {
namespace {

core::Error validation(std::string field, std::string message) {
    return core::Error::validation(std::move(field), std::move(message));
}

core::Status check_markdown(std::string_view markdown) {
    if (markdown.size() > KnowledgeService::kMaxDocumentBytes) {
        return core::Error{core::ErrorCode::kPayloadTooLarge,
                           fmt::format("a knowledge document is at most {} bytes", KnowledgeService::kMaxDocumentBytes),
                           {{"limit", std::to_string(KnowledgeService::kMaxDocumentBytes)}}};
    }
    if (std::all_of(markdown.begin(), markdown.end(),
                    [](char c) { return c == ' ' || c == '\n' || c == '\r' || c == '\t'; })) {
        return validation("markdown", "the document is empty");
    }
    if (markdown.find('\0') != std::string_view::npos)
        return validation("markdown", "the document contains a NUL byte");
    return {};
}

}  // namespace

bool KnowledgeService::valid_name(std::string_view name) {
    if (name.empty() || name.size() > 64 || name.front() == '-') return false;
    return std::all_of(name.begin(), name.end(),
                       [](char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-'; });
}

core::Result<int> KnowledgeService::load_files(const std::vector<KnowledgeFile>& files) {
    std::lock_guard lock(mutex_);
    int changed = 0;
    for (const auto& file : files) {
        if (!valid_name(file.name)) {
            return validation("name", fmt::format("knowledge file '{}.md' ({}): names are lower-case letters, digits "
                                                  "and '-'",
                                                  file.name, core::to_string(file.platform)));
        }
        if (auto checked = check_markdown(file.markdown); !checked) {
            auto error = std::move(checked).error();
            error.message =
                fmt::format("knowledge file {}/{}.md: {}", core::to_string(file.platform), file.name, error.message);
            return error;
        }
        auto existing = store_.find(file.platform, file.name);
        if (!existing) return std::move(existing).error();
        if (*existing && ((*existing)->origin == "api" || (*existing)->markdown == file.markdown)) continue;
        core::KnowledgeDocument document;
        document.platform = file.platform;
        document.name = file.name;
        document.markdown = file.markdown;
        document.origin = "file";
        if (auto stored = store_.put(document, clock_.now()); !stored) return std::move(stored).error();
        ++changed;
    }
    auto generation = store_.generation();
    if (!generation) return std::move(generation).error();
    auto documents = store_.list_all();
    if (!documents) return std::move(documents).error();
    if (auto built = rebuild_locked(*documents, *generation); !built) return std::move(built).error();
    return changed;
}

core::Result<std::vector<core::KnowledgeDocument>> KnowledgeService::list(core::Platform platform) {
    return store_.list(platform);
}

core::Result<core::KnowledgeDocument> KnowledgeService::get(core::Platform platform, const std::string& name) {
    if (!valid_name(name)) return core::Error::not_found("knowledge document", name);
    auto found = store_.find(platform, name);
    if (!found) return std::move(found).error();
    if (!*found) return core::Error::not_found("knowledge document", name);
    return std::move(**found);
}

core::Result<core::KnowledgeDocument> KnowledgeService::put(core::Platform platform, const std::string& name,
                                                            std::string markdown) {
    if (!valid_name(name)) {
        return validation("name",
                          "a document name is 1 to 64 lower-case letters, digits and '-', not starting with '-'");
    }
    if (auto checked = check_markdown(markdown); !checked) return std::move(checked).error();
    std::lock_guard lock(mutex_);
    auto documents = store_.list_all();
    if (!documents) return std::move(documents).error();
    core::KnowledgeDocument document;
    document.platform = platform;
    document.name = name;
    document.markdown = std::move(markdown);
    document.origin = "api";
    // Index the new set first: a document the index refuses is never stored.
    auto candidate = *documents;
    auto same = [&](const core::KnowledgeDocument& d) { return d.platform == platform && d.name == name; };
    candidate.erase(std::remove_if(candidate.begin(), candidate.end(), same), candidate.end());
    candidate.push_back(document);
    if (auto built = index_.rebuild(candidate); !built) {
        indexed_generation_ = -1;  // whatever the index holds now, rebuild before the next search
        return std::move(built).error();
    }
    auto stored = store_.put(document, clock_.now());
    if (!stored) {
        indexed_generation_ = -1;
        return std::move(stored).error();
    }
    if (auto generation = store_.generation(); generation) indexed_generation_ = *generation;
    return stored;
}

core::Status KnowledgeService::remove(core::Platform platform, const std::string& name) {
    if (!valid_name(name)) return core::Error::not_found("knowledge document", name);
    std::lock_guard lock(mutex_);
    if (auto removed = store_.remove(platform, name); !removed) return removed;
    indexed_generation_ = -1;
    auto generation = store_.generation();
    if (!generation) return std::move(generation).error();
    auto documents = store_.list_all();
    if (!documents) return std::move(documents).error();
    if (auto built = rebuild_locked(*documents, *generation); !built) return std::move(built).error();
    return {};
}

core::Result<core::ports::KnowledgeIndexStats> KnowledgeService::reindex(bool everywhere) {
    std::lock_guard lock(mutex_);
    auto generation = everywhere ? store_.touch() : store_.generation();
    if (!generation) return std::move(generation).error();
    auto documents = store_.list_all();
    if (!documents) return std::move(documents).error();
    return rebuild_locked(*documents, *generation);
}

core::Result<std::vector<core::KnowledgePassage>> KnowledgeService::search(core::Platform platform,
                                                                           std::string_view query, std::size_t limit) {
    if (query.size() > kMaxQueryBytes) query = query.substr(0, kMaxQueryBytes);
    if (auto fresh = refresh_if_stale(); !fresh) return std::move(fresh).error();
    return index_.search(platform, query, limit);
}

core::Status KnowledgeService::refresh_if_stale() {
    auto generation = store_.generation();
    if (!generation) return std::move(generation).error();
    if (*generation == indexed_generation_.load()) return {};
    std::lock_guard lock(mutex_);
    // Re-read under the lock: another thread may have rebuilt meanwhile.
    generation = store_.generation();
    if (!generation) return std::move(generation).error();
    if (*generation == indexed_generation_) return {};
    auto documents = store_.list_all();
    if (!documents) return std::move(documents).error();
    if (auto built = rebuild_locked(*documents, *generation); !built) return std::move(built).error();
    return {};
}

core::Result<core::ports::KnowledgeIndexStats> KnowledgeService::rebuild_locked(
    const std::vector<core::KnowledgeDocument>& documents, long long generation) {
    auto built = index_.rebuild(documents);
    if (!built) return std::move(built).error();
    indexed_generation_ = generation;
    return built;
}

}  // namespace crossvoice::services
