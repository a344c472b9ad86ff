#include "core/ids.hpp"

namespace crossvoice::core {
namespace {

constexpr std::string_view kCrockford = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
constexpr std::size_t kEncodedLength = 26;

}  // namespace

std::string make_id(std::string_view prefix, TimePoint created, const IdEntropy& entropy) {
    // 128 bits: 48-bit timestamp, 80-bit entropy, big-endian, encoded 5 bits at a time from the top.
    std::array<std::uint8_t, 16> bytes{};
    const auto ms = static_cast<std::uint64_t>(to_unix_ms(created));
    for (int i = 0; i < 6; ++i) bytes[static_cast<std::size_t>(i)] = static_cast<std::uint8_t>(ms >> (40 - 8 * i));
    for (std::size_t i = 0; i < entropy.size(); ++i) bytes[6 + i] = entropy[i];

    std::string out;
    out.reserve(prefix.size() + 1 + kEncodedLength);
    out.append(prefix).push_back('_');
    // 130 bits of output for 128 bits of input: the first character carries the top 3 bits.
    for (std::size_t c = 0; c < kEncodedLength; ++c) {
        const int bit = static_cast<int>(c) * 5 - 2;  // position of this character's first bit
        unsigned value = 0;
        for (int b = 0; b < 5; ++b) {
            const int pos = bit + b;
            value <<= 1;
            if (pos >= 0) value |= (bytes[static_cast<std::size_t>(pos / 8)] >> (7 - pos % 8)) & 1u;
        }
        out.push_back(kCrockford[value]);
    }
    return out;
}

bool is_valid_id(std::string_view prefix, std::string_view id) {
    if (id.size() != prefix.size() + 1 + kEncodedLength) return false;
    if (id.substr(0, prefix.size()) != prefix || id[prefix.size()] != '_') return false;
    const auto body = id.substr(prefix.size() + 1);
    if (body[0] > '7') return false;  // only 3 bits in the first character
    for (char ch : body) {
        if (kCrockford.find(ch) == std::string_view::npos) return false;
    }
    return true;
}

}  // namespace crossvoice::core
