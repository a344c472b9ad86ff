#pragma once

#include <sodium.h>

#include <array>
#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "core/ports/visitor_token_sealer.hpp"
#include "core/result.hpp"

namespace crossvoice::infra {

// The VisitorTokenSealer port on libsodium: XChaCha20-Poly1305-IETF with a random 24-byte nonce per token and
// associated data naming the format. Token text: "cvv1." + unpadded base64url(nonce || ciphertext), the plaintext
// being platform code (1 byte), issued_at and expires_at (Unix ms, 8 bytes each, big-endian) and the session id.
//
// The key: derived from CROSS_PLATFORM_SESSION_SECRET with its own BLAKE2b personalisation (so it is neither the
// hand-off key nor an API-key digest), and then instances sharing the secret open each other's tokens; without a
// secret, a random key of this process (visitors' tokens then end with the process: a restart starts new
// conversations). Thread-safe: the key is only read after creation.
class SodiumVisitorSealer final : public core::ports::VisitorTokenSealer {
  public:
    static constexpr std::string_view kPrefix = "cvv1.";
    static constexpr std::size_t kMaxSessionIdBytes = 255;
    static constexpr auto kMaxIssueSkew = std::chrono::seconds(60);

    // kValidation naming CROSS_PLATFORM_SESSION_SECRET when a secret is given and shorter than 32 bytes;
    // kInternal if libsodium cannot start.
    static core::Result<std::unique_ptr<SodiumVisitorSealer>> create(std::optional<std::string_view> secret);

    ~SodiumVisitorSealer() override;
    SodiumVisitorSealer(const SodiumVisitorSealer&) = delete;
    SodiumVisitorSealer& operator=(const SodiumVisitorSealer&) = delete;

    std::string seal(const core::ports::VisitorClaims& claims) override;
    core::Result<core::ports::VisitorClaims> open(std::string_view token, core::TimePoint now) const override;

  private:
    using Key = std::array<unsigned char, crypto_aead_xchacha20poly1305_ietf_KEYBYTES>;
    explicit SodiumVisitorSealer(const Key& key);

    Key key_;
};

}  // namespace crossvoice::infra
