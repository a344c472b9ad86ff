#pragma once

#include <chrono>
#include <filesystem>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

namespace crossvoice::http {

// One published file, held in memory.
struct StaticFile {
    std::string content;
    std::optional<std::string> gzip;  // the build's precompressed "<name>.gz" sibling, when there is one
    std::string etag;                 // strong and quoted, from the content
    std::string gzip_etag;            // the gzip representation's own
    std::string content_type;
};

// A folder of built front-end files (the console, the widget, the demo pages), read into memory: they are small,
// and a request then costs no file system access. The folder is looked at again at most once per `recheck`, and
// read again whole when any file's size or modification time changed (`make web` while the service runs).
//
// Only regular files are published: symbolic links, dotfiles and anything beyond kMaxFiles files or kMaxBytes
// bytes are left out, so a lookup can never reach outside the folder.
class StaticSite {
  public:
    struct Snapshot {
        std::map<std::string, StaticFile, std::less<>> files;  // by relative path with '/' separators
        const StaticFile* find(std::string_view relative) const;
    };

    explicit StaticSite(std::filesystem::path root, std::chrono::milliseconds recheck = std::chrono::seconds(1));

    // The files as they are now; nullptr while the folder does not exist (the front end was never built).
    std::shared_ptr<const Snapshot> current();
    const std::filesystem::path& root() const { return root_; }

    static constexpr std::size_t kMaxFiles = 4096;
    static constexpr std::size_t kMaxBytes = std::size_t{128} << 20;

  private:
    std::filesystem::path root_;
    std::chrono::milliseconds recheck_;
    std::mutex mutex_;
    std::chrono::steady_clock::time_point checked_at_{};
    bool checked_ = false;
    std::string signature_;  // every file's path, size and mtime, as of the snapshot
    std::shared_ptr<const Snapshot> snapshot_;
};

// A strong ETag ("…", 16 hex digits of 64-bit FNV-1a) for `content`.
std::string content_etag(std::string_view content);

// Content-Type by file extension; application/octet-stream for anything unknown.
std::string_view content_type_for(std::string_view path);

}  // namespace crossvoice::http
