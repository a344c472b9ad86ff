#pragma once

#include <optional>
#include <string>

#include "core/clock.hpp"
#include "core/platform.hpp"

namespace crossvoice::core {

inline constexpr std::string_view kApiKeyIdPrefix = "key";

// A stored API key. The secret itself is never stored: only a keyed hash of it.
struct ApiKey {
    std::string id;
    Platform platform = Platform::kTetrix;
    std::string name;
    std::string secret_hash;  // hex
    std::string hint;         // last four characters of the secret, to tell keys apart in listings
    TimePoint created_at{};
    std::optional<TimePoint> revoked_at;
};

// Who is calling: resolved from the bearer key on every /api/ request.
struct Principal {
    Platform platform = Platform::kTetrix;
    std::string key_id;
};

}  // namespace crossvoice::core
