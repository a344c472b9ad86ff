#include "infra/sodium_crypto.hpp"

#include <sodium.h>

#include <stdexcept>

namespace crossvoice::infra {

SodiumCrypto::SodiumCrypto() {
    if (sodium_init() < 0) throw std::runtime_error("libsodium failed to initialise");
}

void SodiumCrypto::random_bytes(std::uint8_t* out, std::size_t size) { randombytes_buf(out, size); }

std::string SodiumCrypto::hash_secret(std::string_view secret) {
    unsigned char digest[crypto_generichash_BYTES];
    crypto_generichash(digest, sizeof digest, reinterpret_cast<const unsigned char*>(secret.data()), secret.size(),
                       nullptr, 0);
    char hex[sizeof digest * 2 + 1];
    sodium_bin2hex(hex, sizeof hex, digest, sizeof digest);
    return std::string(hex, sizeof digest * 2);
}

std::string SodiumCrypto::base64url(const std::vector<std::uint8_t>& bytes) {
    constexpr int kVariant = sodium_base64_VARIANT_URLSAFE_NO_PADDING;
    std::string out(sodium_base64_encoded_len(bytes.size(), kVariant), '\0');
    sodium_bin2base64(out.data(), out.size(), bytes.data(), bytes.size(), kVariant);
    out.resize(out.size() - 1);  // drop the terminating NUL that libsodium counts
    return out;
}

}  // namespace crossvoice::infra
