#pragma once

#include <sodium.h>

#include <array>
#include <chrono>
#include <cstddef>
#include <memory>
#include <string>
#include <string_view>

#include "core/ports/handoff_sealer.hpp"
#include "core/result.hpp"

namespace crossvoice::infra {

// The HandoffSealer port on libsodium: XChaCha20-Poly1305-IETF with a random 24-byte nonce per token (random
// nonces of that size never repeat in practice, so no counter has to be shared between instances) and fixed
// associated data naming the format version. Token text: "cvh1." + unpadded base64url(nonce || ciphertext);
// the plaintext is a fixed binary layout of the claims (see the .cpp), at most 546 bytes, so a token is at most
// kMaxTokenLength characters.
//
// Instances with the same secret open each other's tokens. Thread-safe: the key is only read after creation.
class SodiumHandoffSealer final : public core::ports::HandoffSealer {
  public:
    static constexpr std::string_view kPrefix = "cvh1.";
    static constexpr std::size_t kMinSecretBytes = 32;
    static constexpr std::size_t kMaxTokenLength = 787;
    static constexpr auto kMaxIssueSkew = std::chrono::seconds(60);

    // kValidation with details["field"] "CROSS_PLATFORM_SESSION_SECRET" when `secret` is shorter than 32 bytes
    // (neither the secret nor its length goes into the error); kInternal if libsodium cannot start.
    static core::Result<std::unique_ptr<SodiumHandoffSealer>> create(std::string_view secret);

    ~SodiumHandoffSealer() override;
    SodiumHandoffSealer(const SodiumHandoffSealer&) = delete;
    SodiumHandoffSealer& operator=(const SodiumHandoffSealer&) = delete;

    std::string seal(const core::HandoffClaims& claims) override;
    core::Result<core::HandoffClaims> open(std::string_view token, core::TimePoint now) const override;

  private:
    using Key = std::array<unsigned char, crypto_aead_xchacha20poly1305_ietf_KEYBYTES>;
    explicit SodiumHandoffSealer(const Key& key);

    Key key_;
};

}  // namespace crossvoice::infra
