#include "storage/files/file_blob_store.hpp"

#include <fcntl.h>
#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

namespace crossvoice::storage {
namespace {

bool is_safe_segment(std::string_view segment) {
    if (segment.empty() || segment == "." || segment == ".." || segment.size() > 128) return false;
    return std::all_of(segment.begin(), segment.end(), [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '_' ||
               c == '-';
    });
}

core::Error io_error(std::string_view what, const std::filesystem::path& path, int error_number) {
    return core::Error::internal(fmt::format("cannot {} {}: {}", what, path.string(), std::strerror(error_number)));
}

// Writes all of `bytes` to `fd`, retrying short writes and EINTR.
bool write_all(int fd, std::string_view bytes) {
    while (!bytes.empty()) {
        const auto written = ::write(fd, bytes.data(), bytes.size());
        if (written < 0 && errno == EINTR) continue;
        if (written <= 0) return false;
        bytes.remove_prefix(static_cast<std::size_t>(written));
    }
    return true;
}

}  // namespace

bool FileBlobStore::is_safe_key(std::string_view key) {
    if (key.empty() || key.size() > 512) return false;
    std::size_t start = 0;
    while (true) {
        const auto slash = key.find('/', start);
        const auto segment =
            key.substr(start, slash == std::string_view::npos ? std::string_view::npos : slash - start);
        if (!is_safe_segment(segment)) return false;
        if (slash == std::string_view::npos) return true;
        start = slash + 1;
    }
}

core::Status FileBlobStore::put(const std::string& key, std::string_view bytes) {
    if (!is_safe_key(key)) return core::Error::validation("key", "blob key is not a safe relative path");
    const auto path = root_ / key;
    std::error_code ec;
    std::filesystem::create_directories(path.parent_path(), ec);
    if (ec)
        return core::Error::internal(fmt::format("cannot create {}: {}", path.parent_path().string(), ec.message()));

    static std::atomic<unsigned> counter{0};
    auto temporary = path;
    temporary += fmt::format(".tmp-{}-{}", ::getpid(), counter.fetch_add(1));
    const int fd = ::open(temporary.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0640);
    if (fd < 0) return io_error("create", temporary, errno);
    const bool written = write_all(fd, bytes) && ::fsync(fd) == 0;
    const int saved_errno = errno;
    ::close(fd);
    if (!written) {
        ::unlink(temporary.c_str());
        return io_error("write", temporary, saved_errno);
    }
    if (::rename(temporary.c_str(), path.c_str()) != 0) {
        const int rename_errno = errno;
        ::unlink(temporary.c_str());
        return io_error("rename into", path, rename_errno);
    }
    return {};
}

core::Result<std::optional<std::string>> FileBlobStore::get(const std::string& key) {
    if (!is_safe_key(key)) return core::Error::validation("key", "blob key is not a safe relative path");
    const auto path = root_ / key;
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        if (!std::filesystem::exists(path)) return std::optional<std::string>{};
        return io_error("open", path, errno);
    }
    std::ostringstream contents;
    contents << in.rdbuf();
    if (in.bad()) return io_error("read", path, errno);
    return std::optional<std::string>{std::move(contents).str()};
}

}  // namespace crossvoice::storage
