#include "telnyx/command_id.hpp"

#include <sodium.h>

#include <array>
#include <cstddef>
#include <cstdint>
#include <string_view>

namespace crossvoice::telnyx {

std::string generate_command_id() {
    // sodium_init is idempotent and thread-safe; it picks the system's random source before first use.
    static const int kSodiumReady = sodium_init();
    static_cast<void>(kSodiumReady);

    std::array<std::uint8_t, 16> bytes{};
    randombytes_buf(bytes.data(), bytes.size());
    bytes[6] = static_cast<std::uint8_t>((bytes[6] & 0x0f) | 0x40);  // version 4: random
    bytes[8] = static_cast<std::uint8_t>((bytes[8] & 0x3f) | 0x80);  // variant 10: RFC 4122

    constexpr std::string_view kHex = "0123456789abcdef";
    std::string out;
    out.reserve(36);
    for (std::size_t i = 0; i < bytes.size(); ++i) {
        if (i == 4 || i == 6 || i == 8 || i == 10) out.push_back('-');
        out.push_back(kHex[bytes[i] >> 4]);
        out.push_back(kHex[bytes[i] & 0x0f]);
    }
    return out;
}

}  // namespace crossvoice::telnyx
