#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/api_key.hpp"
#include "core/ports/api_key_store.hpp"
#include "core/ports/crypto.hpp"
#include "core/result.hpp"
#include "services/id_generator.hpp"

namespace crossvoice::services {

struct CreatedKey {
    core::ApiKey key;
    std::string secret;  // shown once, never stored
};

// API keys: "cv_<platform>_<43 chars of base64url>" carrying 32 random bytes; only a hash is stored.
class ApiKeyService {
  public:
    ApiKeyService(core::ports::ApiKeyStore& store, core::ports::Crypto& crypto, const core::Clock& clock,
                  IdGenerator& ids)
        : store_(store), crypto_(crypto), clock_(clock), ids_(ids) {}

    core::Result<CreatedKey> create(core::Platform platform, std::string_view name);
    core::Result<std::vector<core::ApiKey>> list(std::optional<core::Platform> platform);
    core::Result<core::ApiKey> revoke(const std::string& id);
    // Resolves a bearer secret to its platform; unknown, malformed and revoked keys are all 401.
    core::Result<core::Principal> authenticate(std::string_view secret);
    // On an empty key table, creates one "development" key per platform and returns them; otherwise nothing.
    core::Result<std::vector<CreatedKey>> create_development_keys_if_none();

    static constexpr std::size_t kSecretBytes = 32;
    static constexpr std::size_t kMaxNameLength = 100;

  private:
    core::ports::ApiKeyStore& store_;
    core::ports::Crypto& crypto_;
    const core::Clock& clock_;
    IdGenerator& ids_;
};

}  // namespace crossvoice::services
