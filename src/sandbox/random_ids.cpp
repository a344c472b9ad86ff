#include "sandbox/random_ids.hpp"

#include <fmt/format.h>
#include <sodium.h>

#include <array>

namespace crossvoice::sandbox {
namespace {

void ensure_sodium() {
    // Idempotent and thread-safe; randombytes_buf is only guaranteed safe after it.
    static const int kSodiumReady = sodium_init();
    static_cast<void>(kSodiumReady);
}

}  // namespace

std::string random_uuid() {
    ensure_sodium();
    std::array<unsigned char, 16> bytes{};
    randombytes_buf(bytes.data(), bytes.size());
    bytes[6] = static_cast<unsigned char>((bytes[6] & 0x0F) | 0x40);  // version 4
    bytes[8] = static_cast<unsigned char>((bytes[8] & 0x3F) | 0x80);  // RFC 4122 variant
    std::string hex;
    hex.reserve(36);
    for (std::size_t i = 0; i < bytes.size(); ++i) {
        if (i == 4 || i == 6 || i == 8 || i == 10) hex.push_back('-');
        hex += fmt::format("{:02x}", bytes[i]);
    }
    return hex;
}

std::string random_call_control_id() {
    ensure_sodium();
    std::array<unsigned char, 24> bytes{};
    randombytes_buf(bytes.data(), bytes.size());
    constexpr int kVariant = sodium_base64_VARIANT_URLSAFE_NO_PADDING;
    std::string text(sodium_base64_encoded_len(bytes.size(), kVariant), '\0');
    sodium_bin2base64(text.data(), text.size(), bytes.data(), bytes.size(), kVariant);
    text.resize(text.size() - 1);  // the terminating NUL
    return "v3:" + text;
}

}  // namespace crossvoice::sandbox
