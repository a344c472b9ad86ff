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

std::string SodiumCrypto::hmac_sha256_hex(std::string_view key, std::string_view message) {
    // The multi-part API takes a key of any length (hashed first when longer than a block), as RFC 2104 does.
    crypto_auth_hmacsha256_state state;
    crypto_auth_hmacsha256_init(&state, reinterpret_cast<const unsigned char*>(key.data()), key.size());
    crypto_auth_hmacsha256_update(&state, reinterpret_cast<const unsigned char*>(message.data()), message.size());
    unsigned char mac[crypto_auth_hmacsha256_BYTES];
    crypto_auth_hmacsha256_final(&state, mac);
    std::string hex(2 * sizeof mac + 1, '\0');
    sodium_bin2hex(hex.data(), hex.size(), mac, sizeof mac);
    hex.pop_back();
    return hex;
}

}  // namespace crossvoice::infra
