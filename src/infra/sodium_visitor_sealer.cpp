#include "infra/sodium_visitor_sealer.hpp"

#include <cstdint>
#include <utility>
#include <vector>

namespace crossvoice::infra {
namespace {

using Bytes = std::vector<unsigned char>;

constexpr std::string_view kAssociatedData = "crossvoice visitor token v1";
// BLAKE2b personalisation (16 bytes): not the hand-off key's "cvhandof-key-v1".
constexpr std::array<unsigned char, crypto_generichash_blake2b_PERSONALBYTES> kPersonal{
    'c', 'v', 'v', 'i', 's', 'i', 't', 'o', 'r', '-', 'k', 'e', 'y', '-', 'v', '1'};

constexpr std::size_t kNonceBytes = crypto_aead_xchacha20poly1305_ietf_NPUBBYTES;  // 24
constexpr std::size_t kTagBytes = crypto_aead_xchacha20poly1305_ietf_ABYTES;       // 16
constexpr std::size_t kFixedBytes = 1 + 8 + 8;                                     // platform, issued, expires
constexpr std::size_t kMinSealed = kNonceBytes + kFixedBytes + 1 + kTagBytes;
constexpr std::size_t kMaxSealed = kNonceBytes + kFixedBytes + SodiumVisitorSealer::kMaxSessionIdBytes + kTagBytes;
constexpr std::size_t base64_chars(std::size_t bytes) { return (bytes * 4 + 2) / 3; }  // unpadded
// 1970-01-01 to 9999-12-31.
constexpr std::int64_t kMaxUnixMs = 253'402'300'799'999;

std::uint8_t platform_code(core::Platform platform) {
    switch (platform) {
        case core::Platform::kTetrix: return 1;
        case core::Platform::kJoromi: return 2;
    }
    return 0;
}

std::optional<core::Platform> platform_from_code(std::uint8_t code) {
    for (const auto platform : core::kAllPlatforms) {
        if (platform_code(platform) == code) return platform;
    }
    return std::nullopt;
}

bool in_bounds(const core::ports::VisitorClaims& claims) {
    const auto issued = core::to_unix_ms(claims.issued_at);
    const auto expires = core::to_unix_ms(claims.expires_at);
    return !claims.session_id.empty() && claims.session_id.size() <= SodiumVisitorSealer::kMaxSessionIdBytes &&
           issued >= 0 && issued <= kMaxUnixMs && expires >= 0 && expires <= kMaxUnixMs && expires > issued;
}

void put_u64(Bytes& out, std::uint64_t value) {
    for (int shift = 56; shift >= 0; shift -= 8) out.push_back(static_cast<unsigned char>(value >> shift));
}

std::uint64_t get_u64(const unsigned char* bytes) {
    std::uint64_t value = 0;
    for (int i = 0; i < 8; ++i) value = (value << 8) | bytes[i];
    return value;
}

std::optional<core::ports::VisitorClaims> decode(const Bytes& plaintext) {
    if (plaintext.size() < kFixedBytes + 1) return std::nullopt;
    const auto platform = platform_from_code(plaintext[0]);
    const auto issued = get_u64(plaintext.data() + 1);
    const auto expires = get_u64(plaintext.data() + 9);
    if (!platform || issued > static_cast<std::uint64_t>(kMaxUnixMs) ||
        expires > static_cast<std::uint64_t>(kMaxUnixMs)) {
        return std::nullopt;
    }
    core::ports::VisitorClaims claims;
    claims.platform = *platform;
    claims.issued_at = core::from_unix_ms(static_cast<std::int64_t>(issued));
    claims.expires_at = core::from_unix_ms(static_cast<std::int64_t>(expires));
    claims.session_id.assign(reinterpret_cast<const char*>(plaintext.data() + kFixedBytes),
                             plaintext.size() - kFixedBytes);
    if (!in_bounds(claims)) return std::nullopt;
    return claims;
}

core::Error refused(std::string message, std::string reason) {
    return core::Error{core::ErrorCode::kUnauthorized, std::move(message), {{"reason", std::move(reason)}}};
}

core::Error malformed() { return refused("not a visitor token", "malformed"); }

const unsigned char* as_bytes(std::string_view text) { return reinterpret_cast<const unsigned char*>(text.data()); }

}  // namespace

core::Result<std::unique_ptr<SodiumVisitorSealer>> SodiumVisitorSealer::create(std::optional<std::string_view> secret) {
    if (sodium_init() < 0) return core::Error::internal("libsodium failed to initialise");
    Key key{};
    if (secret) {
        if (secret->size() < 32) {
            return core::Error::validation("CROSS_PLATFORM_SESSION_SECRET",
                                           "CROSS_PLATFORM_SESSION_SECRET must be at least 32 bytes");
        }
        crypto_generichash_blake2b_salt_personal(key.data(), key.size(), as_bytes(*secret), secret->size(), nullptr, 0,
                                                 nullptr, kPersonal.data());
    } else {
        randombytes_buf(key.data(), key.size());
    }
    auto sealer = std::unique_ptr<SodiumVisitorSealer>(new SodiumVisitorSealer(key));
    sodium_memzero(key.data(), key.size());
    return sealer;
}

SodiumVisitorSealer::SodiumVisitorSealer(const Key& key) : key_(key) {}

SodiumVisitorSealer::~SodiumVisitorSealer() { sodium_memzero(key_.data(), key_.size()); }

std::string SodiumVisitorSealer::seal(const core::ports::VisitorClaims& claims) {
    if (!in_bounds(claims)) return {};
    Bytes plaintext;
    plaintext.reserve(kFixedBytes + claims.session_id.size());
    plaintext.push_back(platform_code(claims.platform));
    put_u64(plaintext, static_cast<std::uint64_t>(core::to_unix_ms(claims.issued_at)));
    put_u64(plaintext, static_cast<std::uint64_t>(core::to_unix_ms(claims.expires_at)));
    plaintext.insert(plaintext.end(), claims.session_id.begin(), claims.session_id.end());

    Bytes sealed(kNonceBytes + plaintext.size() + kTagBytes);
    randombytes_buf(sealed.data(), kNonceBytes);
    unsigned long long ciphertext_size = 0;
    crypto_aead_xchacha20poly1305_ietf_encrypt(sealed.data() + kNonceBytes, &ciphertext_size, plaintext.data(),
                                               plaintext.size(), as_bytes(kAssociatedData), kAssociatedData.size(),
                                               nullptr, sealed.data(), key_.data());
    sealed.resize(kNonceBytes + static_cast<std::size_t>(ciphertext_size));
    constexpr int kVariant = sodium_base64_VARIANT_URLSAFE_NO_PADDING;
    std::string text(sodium_base64_encoded_len(sealed.size(), kVariant), '\0');
    sodium_bin2base64(text.data(), text.size(), sealed.data(), sealed.size(), kVariant);
    text.pop_back();  // libsodium's terminating NUL
    return std::string(kPrefix) + text;
}

core::Result<core::ports::VisitorClaims> SodiumVisitorSealer::open(std::string_view token, core::TimePoint now) const {
    if (!token.starts_with(kPrefix)) return malformed();
    const std::string_view body = token.substr(kPrefix.size());
    if (body.size() < base64_chars(kMinSealed) || body.size() > base64_chars(kMaxSealed)) return malformed();
    Bytes sealed(body.size());
    std::size_t size = 0;
    const char* end = nullptr;
    if (sodium_base642bin(sealed.data(), sealed.size(), body.data(), body.size(), nullptr, &size, &end,
                          sodium_base64_VARIANT_URLSAFE_NO_PADDING) != 0 ||
        end != body.data() + body.size()) {
        return malformed();
    }
    sealed.resize(size);
    if (sealed.size() < kMinSealed || sealed.size() > kMaxSealed) return malformed();

    Bytes plaintext(sealed.size() - kNonceBytes - kTagBytes);
    unsigned long long plaintext_size = 0;
    if (crypto_aead_xchacha20poly1305_ietf_decrypt(
            plaintext.data(), &plaintext_size, nullptr, sealed.data() + kNonceBytes, sealed.size() - kNonceBytes,
            as_bytes(kAssociatedData), kAssociatedData.size(), sealed.data(), key_.data()) != 0) {
        return refused("visitor token failed authentication", "tampered");
    }
    plaintext.resize(static_cast<std::size_t>(plaintext_size));
    auto claims = decode(plaintext);
    if (!claims) return malformed();
    if (now >= claims->expires_at) return refused("visitor token expired; start a new conversation", "expired");
    if (claims->issued_at > now + kMaxIssueSkew) return refused("visitor token issued in the future", "not_yet_valid");
    return std::move(*claims);
}

}  // namespace crossvoice::infra
