#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/api_key.hpp"
#include "core/result.hpp"

namespace crossvoice::core::ports {

class ApiKeyStore {
  public:
    virtual ~ApiKeyStore() = default;
    virtual Status insert(const ApiKey& key) = 0;
    virtual Result<std::optional<ApiKey>> find_by_hash(const std::string& secret_hash) = 0;
    // All keys, or one platform's, oldest first.
    virtual Result<std::vector<ApiKey>> list(std::optional<Platform> platform) = 0;
    // Returns the key after revocation, or nullopt when no key has this id. Revoking twice keeps the first time.
    virtual Result<std::optional<ApiKey>> revoke(const std::string& id, TimePoint at) = 0;
};

}  // namespace crossvoice::core::ports
