#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace crossvoice::http {

// The part of a request path below a static route's prefix ("assets/main-3F2A.js", still percent-encoded as
// received) → the same path decoded and checked, safe to look up among a folder's files: nullopt for anything
// that could name a file outside the folder or a file nobody published. Refused: a bad or NUL escape, control
// characters, a backslash, '%' left after decoding (double encoding), empty, "." and ".." segments, segments
// starting with '.' (dotfiles), and paths longer than kMaxStaticPath. "" (the prefix itself) is allowed.
std::optional<std::string> safe_static_path(std::string_view encoded);

inline constexpr std::size_t kMaxStaticPath = 512;

}  // namespace crossvoice::http
