#include "support/fake_crypto.hpp"

#include <fmt/format.h>

namespace crossvoice::testing {

void FakeCrypto::random_bytes(std::uint8_t* out, std::size_t size) {
    for (std::size_t i = 0; i < size; ++i) out[i] = next_++;
}

std::string FakeCrypto::hash_secret(std::string_view secret) {
    std::uint64_t hash = 14695981039346656037ull;
    for (unsigned char ch : secret) hash = (hash ^ ch) * 1099511628211ull;
    return fmt::format("{:016x}", hash);
}

std::string FakeCrypto::base64url(const std::vector<std::uint8_t>& bytes) {
    std::string out;
    for (auto b : bytes) out += fmt::format("{:02x}", b);
    return out;
}

std::string FakeCrypto::hmac_sha256_hex(std::string_view key, std::string_view message) {
    return hash_secret(std::string(key) + '\n' + std::string(message));
}

}  // namespace crossvoice::testing
