#pragma once

#include <array>
#include <optional>
#include <string>
#include <string_view>

#include <sodium.h>

namespace crossvoice::sandbox {

// The sandbox's Ed25519 key pair, signing webhooks the way Telnyx does (vendor-apis.md A.5): the detached
// signature over "<timestamp>|<body>", base64. The service verifies them with telnyx::WebhookVerifier configured
// with public_key_base64(). Thread-safe: signing only reads the key.
class WebhookSigner {
  public:
    using Seed = std::array<unsigned char, crypto_sign_SEEDBYTES>;

    // A fixed seed gives the same key on every start (so a configured TELNYX_PUBLIC_KEY stays valid); without
    // one the key is random. Aborts if libsodium cannot initialise: nothing here could work without it.
    explicit WebhookSigner(const std::optional<Seed>& seed);
    ~WebhookSigner();
    WebhookSigner(const WebhookSigner&) = delete;
    WebhookSigner& operator=(const WebhookSigner&) = delete;

    // Base64 of the 64-byte signature, the value of the Telnyx-Signature-Ed25519 header.
    std::string sign(std::string_view timestamp, std::string_view body) const;
    // Base64 of the raw 32-byte public key: what the service configures as TELNYX_PUBLIC_KEY.
    std::string public_key_base64() const;

  private:
    std::array<unsigned char, crypto_sign_PUBLICKEYBYTES> public_key_{};
    std::array<unsigned char, crypto_sign_SECRETKEYBYTES> secret_key_{};
};

}  // namespace crossvoice::sandbox
