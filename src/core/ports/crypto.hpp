#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace crossvoice::core::ports {

// Randomness and one-way hashing of secrets, supplied by an adapter (libsodium) so core stays pure.
class Crypto {
  public:
    virtual ~Crypto() = default;
    virtual void random_bytes(std::uint8_t* out, std::size_t size) = 0;
    // A fixed-length hex digest of a high-entropy secret (API keys); equal inputs give equal digests.
    virtual std::string hash_secret(std::string_view secret) = 0;
    // URL-safe base64 without padding.
    virtual std::string base64url(const std::vector<std::uint8_t>& bytes) = 0;
    // HMAC-SHA256 of `message` under `key`, as lower-case hex: signs what we send to customers' callback URLs.
    virtual std::string hmac_sha256_hex(std::string_view key, std::string_view message) = 0;
};

}  // namespace crossvoice::core::ports
