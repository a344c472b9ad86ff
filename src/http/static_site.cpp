#include "http/static_site.hpp"

#include <fmt/format.h>

#include <array>
#include <fstream>
#include <sstream>
#include <system_error>
#include <utility>
#include <vector>

namespace crossvoice::http {
namespace {

namespace fs = std::filesystem;

struct Listed {
    std::string relative;
    fs::path path;
    std::uintmax_t size = 0;
};

bool hidden(const fs::path& relative) {
    for (const auto& part : relative) {
        const auto text = part.string();
        if (!text.empty() && text.front() == '.') return true;
    }
    return false;
}

// Every publishable regular file below `root`, and a signature of their paths, sizes and modification times.
std::vector<Listed> list_files(const fs::path& root, std::string& signature) {
    std::vector<Listed> out;
    std::error_code ec;
    fs::recursive_directory_iterator it(root, fs::directory_options::skip_permission_denied, ec);
    std::uintmax_t total = 0;
    for (; !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
        const auto status = it->symlink_status(ec);
        if (ec) break;
        if (!fs::is_regular_file(status)) continue;  // directories are walked; links and devices never served
        const auto relative = it->path().lexically_relative(root);
        if (relative.empty() || hidden(relative)) continue;
        const auto size = it->file_size(ec);
        if (ec) break;
        const auto mtime = it->last_write_time(ec);
        if (ec) break;
        if (out.size() >= StaticSite::kMaxFiles || total + size > StaticSite::kMaxBytes) break;
        total += size;
        out.push_back({relative.generic_string(), it->path(), size});
        signature += fmt::format("{}\n{}\n{}\n", out.back().relative, size, mtime.time_since_epoch().count());
    }
    return out;
}

std::optional<std::string> read_file(const fs::path& path) {
    std::ifstream file(path, std::ios::binary);
    if (!file) return std::nullopt;
    std::ostringstream content;
    content << file.rdbuf();
    if (file.bad()) return std::nullopt;
    return std::move(content).str();
}

bool ends_with(std::string_view text, std::string_view suffix) {
    return text.size() >= suffix.size() && text.substr(text.size() - suffix.size()) == suffix;
}

}  // namespace

const StaticFile* StaticSite::Snapshot::find(std::string_view relative) const {
    const auto found = files.find(relative);
    return found == files.end() ? nullptr : &found->second;
}

StaticSite::StaticSite(std::filesystem::path root, std::chrono::milliseconds recheck)
    : root_(std::move(root)), recheck_(recheck) {}

std::shared_ptr<const StaticSite::Snapshot> StaticSite::current() {
    std::lock_guard lock(mutex_);
    const auto now = std::chrono::steady_clock::now();
    if (checked_ && now - checked_at_ < recheck_) return snapshot_;
    checked_ = true;
    checked_at_ = now;

    std::error_code ec;
    if (!fs::is_directory(root_, ec)) {
        snapshot_.reset();
        signature_.clear();
        return snapshot_;
    }
    std::string signature;
    const auto listed = list_files(root_, signature);
    if (snapshot_ && signature == signature_) return snapshot_;

    auto snapshot = std::make_shared<Snapshot>();
    std::map<std::string, std::string, std::less<>> compressed;
    for (const auto& entry : listed) {
        auto content = read_file(entry.path);
        if (!content) continue;  // vanished or unreadable between the listing and now: left out until next time
        if (ends_with(entry.relative, ".gz")) {
            compressed.emplace(entry.relative.substr(0, entry.relative.size() - 3), std::move(*content));
            continue;
        }
        StaticFile file;
        file.etag = content_etag(*content);
        file.content_type = std::string(content_type_for(entry.relative));
        file.content = std::move(*content);
        snapshot->files.emplace(entry.relative, std::move(file));
    }
    for (auto& [relative, gzip] : compressed) {
        auto found = snapshot->files.find(relative);
        if (found == snapshot->files.end()) continue;  // a lone .gz is not published
        auto& file = found->second;
        file.gzip_etag = file.etag.substr(0, file.etag.size() - 1) + "-gz\"";
        file.gzip = std::move(gzip);
    }
    signature_ = std::move(signature);
    snapshot_ = std::move(snapshot);
    return snapshot_;
}

std::string content_etag(std::string_view content) {
    std::uint64_t hash = 0xcbf29ce484222325ULL;
    for (const char ch : content) {
        hash ^= static_cast<unsigned char>(ch);
        hash *= 0x100000001b3ULL;
    }
    return fmt::format("\"{:016x}\"", hash);
}

std::string_view content_type_for(std::string_view path) {
    static constexpr std::array<std::pair<std::string_view, std::string_view>, 16> kTypes{{
        {".html", "text/html; charset=utf-8"},
        {".js", "text/javascript; charset=utf-8"},
        {".mjs", "text/javascript; charset=utf-8"},
        {".css", "text/css; charset=utf-8"},
        {".json", "application/json"},
        {".map", "application/json"},
        {".svg", "image/svg+xml"},
        {".png", "image/png"},
        {".jpg", "image/jpeg"},
        {".webp", "image/webp"},
        {".ico", "image/x-icon"},
        {".woff2", "font/woff2"},
        {".txt", "text/plain; charset=utf-8"},
        {".wav", "audio/wav"},
        {".webmanifest", "application/manifest+json"},
        {".xml", "application/xml"},
    }};
    const auto slash = path.rfind('/');
    const auto name = slash == std::string_view::npos ? path : path.substr(slash + 1);
    const auto dot = name.rfind('.');
    if (dot == std::string_view::npos) return "application/octet-stream";
    const auto extension = name.substr(dot);
    for (const auto& [known, type] : kTypes) {
        if (extension.size() != known.size()) continue;
        bool same = true;
        for (std::size_t i = 0; i < known.size() && same; ++i) {
            same = static_cast<char>(std::tolower(static_cast<unsigned char>(extension[i]))) == known[i];
        }
        if (same) return type;
    }
    return "application/octet-stream";
}

}  // namespace crossvoice::http
