#include "services/api_key_service.hpp"

#include <fmt/format.h>

namespace crossvoice::services {
namespace {

constexpr std::string_view kSecretPrefix = "cv_";

// The platform named inside a secret ("cv_tetrix_…"), checked against the stored key's platform.
std::optional<core::Platform> platform_in_secret(std::string_view secret) {
    if (secret.substr(0, kSecretPrefix.size()) != kSecretPrefix) return std::nullopt;
    secret.remove_prefix(kSecretPrefix.size());
    const auto underscore = secret.find('_');
    if (underscore == std::string_view::npos) return std::nullopt;
    return core::parse_platform(secret.substr(0, underscore));
}

}  // namespace

core::Result<CreatedKey> ApiKeyService::create(core::Platform platform, std::string_view name) {
    if (name.empty() || name.size() > kMaxNameLength) {
        return core::Error::validation("name", fmt::format("name must be 1 to {} characters", kMaxNameLength));
    }
    for (unsigned char ch : name) {
        if (ch < 0x20 || ch == 0x7f) return core::Error::validation("name", "name must not contain control characters");
    }
    std::vector<std::uint8_t> random(kSecretBytes);
    crypto_.random_bytes(random.data(), random.size());
    CreatedKey created;
    created.secret = fmt::format("{}{}_{}", kSecretPrefix, core::to_string(platform), crypto_.base64url(random));
    created.key.id = ids_.next(core::kApiKeyIdPrefix);
    created.key.platform = platform;
    created.key.name = std::string(name);
    created.key.secret_hash = crypto_.hash_secret(created.secret);
    created.key.hint = created.secret.substr(created.secret.size() - 4);
    created.key.created_at = clock_.now();
    if (auto stored = store_.insert(created.key); !stored) return std::move(stored).error();
    return created;
}

core::Result<std::vector<core::ApiKey>> ApiKeyService::list(std::optional<core::Platform> platform) {
    return store_.list(platform);
}

core::Result<core::ApiKey> ApiKeyService::revoke(const std::string& id) {
    auto revoked = store_.revoke(id, clock_.now());
    if (!revoked) return std::move(revoked).error();
    if (!revoked.value()) return core::Error::not_found("api key", id);
    return std::move(*revoked.value());
}

core::Result<core::Principal> ApiKeyService::authenticate(std::string_view secret) {
    const auto claimed_platform = platform_in_secret(secret);
    if (!claimed_platform) return core::Error::unauthorized("API key is malformed");
    auto found = store_.find_by_hash(crypto_.hash_secret(secret));
    if (!found) return std::move(found).error();
    const auto& key = found.value();
    if (!key || key->platform != *claimed_platform) return core::Error::unauthorized("API key is not recognised");
    if (key->revoked_at) return core::Error::unauthorized("API key has been revoked");
    return core::Principal{key->platform, key->id};
}

core::Result<std::vector<CreatedKey>> ApiKeyService::create_development_keys_if_none() {
    auto existing = store_.list(std::nullopt);
    if (!existing) return std::move(existing).error();
    std::vector<CreatedKey> created;
    if (!existing.value().empty()) return created;
    for (core::Platform platform : core::kAllPlatforms) {
        auto key = create(platform, "development");
        if (!key) return std::move(key).error();
        created.push_back(std::move(key).value());
    }
    return created;
}

}  // namespace crossvoice::services
