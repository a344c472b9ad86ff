#include "sandbox/webhook_signer.hpp"

#include <cstdlib>

#include "telnyx/base64.hpp"

namespace crossvoice::sandbox {

WebhookSigner::WebhookSigner(const std::optional<Seed>& seed) {
    if (sodium_init() < 0) std::abort();
    Seed bytes{};
    if (seed) {
        bytes = *seed;
    } else {
        randombytes_buf(bytes.data(), bytes.size());
    }
    crypto_sign_seed_keypair(public_key_.data(), secret_key_.data(), bytes.data());
    sodium_memzero(bytes.data(), bytes.size());
}

WebhookSigner::~WebhookSigner() { sodium_memzero(secret_key_.data(), secret_key_.size()); }

std::string WebhookSigner::sign(std::string_view timestamp, std::string_view body) const {
    std::string message;
    message.reserve(timestamp.size() + 1 + body.size());
    message.append(timestamp).append("|").append(body);
    std::array<unsigned char, crypto_sign_BYTES> signature{};
    crypto_sign_detached(signature.data(), nullptr, reinterpret_cast<const unsigned char*>(message.data()),
                         message.size(), secret_key_.data());
    return telnyx::encode_base64({reinterpret_cast<const char*>(signature.data()), signature.size()});
}

std::string WebhookSigner::public_key_base64() const {
    return telnyx::encode_base64({reinterpret_cast<const char*>(public_key_.data()), public_key_.size()});
}

}  // namespace crossvoice::sandbox
