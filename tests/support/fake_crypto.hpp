#pragma once

#include "core/ports/crypto.hpp"

namespace crossvoice::testing {

// Deterministic Crypto for unit tests: a counter as "randomness", FNV-1a as the "hash".
// Enough to tell inputs apart; never used outside tests.
class FakeCrypto final : public core::ports::Crypto {
  public:
    void random_bytes(std::uint8_t* out, std::size_t size) override;
    std::string hash_secret(std::string_view secret) override;
    std::string base64url(const std::vector<std::uint8_t>& bytes) override;
    std::string hmac_sha256_hex(std::string_view key, std::string_view message) override;

  private:
    std::uint8_t next_ = 1;
};

}  // namespace crossvoice::testing
