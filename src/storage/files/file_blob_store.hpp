#pragma once

#include <filesystem>

#include "core/ports/blob_store.hpp"

namespace crossvoice::storage {

// BlobStore on the local file system, under one root directory (CROSSVOICE_DATA_DIR). A put writes a
// temporary file, fsyncs it and renames it into place, so a crash leaves the old blob or the new one, never
// half of one. Keys are checked before they touch the file system: no absolute paths, no "..", only
// [A-Za-z0-9._-] in each segment.
class FileBlobStore final : public core::ports::BlobStore {
  public:
    explicit FileBlobStore(std::filesystem::path root) : root_(std::move(root)) {}
    core::Status put(const std::string& key, std::string_view bytes) override;
    core::Result<std::optional<std::string>> get(const std::string& key) override;

    static bool is_safe_key(std::string_view key);

  private:
    std::filesystem::path root_;
};

}  // namespace crossvoice::storage
