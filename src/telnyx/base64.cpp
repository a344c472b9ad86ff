#include "telnyx/base64.hpp"

#include <sodium.h>

namespace crossvoice::telnyx {

std::optional<std::string> decode_base64(std::string_view text) {
    // sodium_init is idempotent and thread-safe; it only fails if the system has no entropy source, which
    // decoding does not need.
    static const int kSodiumReady = sodium_init();
    static_cast<void>(kSodiumReady);

    // libsodium has one variant that demands padding and one that forbids it; pick by what the text has.
    const bool padded = text.find('=') != std::string_view::npos;
    const int variant = padded ? sodium_base64_VARIANT_ORIGINAL : sodium_base64_VARIANT_ORIGINAL_NO_PADDING;
    std::string out(text.size() / 4 * 3 + 3, '\0');
    std::size_t length = 0;
    // A null end pointer makes libsodium refuse input it could not consume entirely.
    if (sodium_base642bin(reinterpret_cast<unsigned char*>(out.data()), out.size(), text.data(), text.size(), nullptr,
                          &length, nullptr, variant) != 0) {
        return std::nullopt;
    }
    out.resize(length);
    return out;
}

std::string encode_base64(std::string_view bytes) {
    if (bytes.empty()) return {};
    constexpr int kVariant = sodium_base64_VARIANT_ORIGINAL;
    // The encoded length libsodium reports counts the terminating NUL it writes.
    std::string out(sodium_base64_ENCODED_LEN(bytes.size(), kVariant), '\0');
    sodium_bin2base64(out.data(), out.size(), reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size(),
                      kVariant);
    out.resize(out.size() - 1);
    return out;
}

}  // namespace crossvoice::telnyx
