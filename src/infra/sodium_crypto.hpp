#pragma once

#include "core/ports/crypto.hpp"

namespace crossvoice::infra {

// libsodium: OS randomness, BLAKE2b-256 for key digests, constant-time base64.
class SodiumCrypto final : public core::ports::Crypto {
  public:
    SodiumCrypto();  // initialises libsodium; throws if the library cannot start
    void random_bytes(std::uint8_t* out, std::size_t size) override;
    std::string hash_secret(std::string_view secret) override;
    std::string base64url(const std::vector<std::uint8_t>& bytes) override;
    std::string hmac_sha256_hex(std::string_view key, std::string_view message) override;
};

}  // namespace crossvoice::infra
