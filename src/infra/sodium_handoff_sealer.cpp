#include "infra/sodium_handoff_sealer.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/time_format.hpp"

namespace crossvoice::infra {
namespace {

using Bytes = std::vector<unsigned char>;

// Bound to every ciphertext as associated data: a token of another format (or a future version) sealed with
// the same key fails authentication instead of being read with the wrong layout.
constexpr std::string_view kAssociatedData = "crossvoice hand-off token v1";

// BLAKE2b's personalisation (exactly 16 bytes): domain separation for the key derivation below.
constexpr std::array<unsigned char, crypto_generichash_blake2b_PERSONALBYTES> kPersonal{
    'c', 'v', 'h', 'a', 'n', 'd', 'o', 'f', '-', 'k', 'e', 'y', '-', 'v', '1', '\0'};

constexpr std::size_t kNonceBytes = crypto_aead_xchacha20poly1305_ietf_NPUBBYTES;  // 24
constexpr std::size_t kTagBytes = crypto_aead_xchacha20poly1305_ietf_ABYTES;       // 16
constexpr std::size_t kTokenIdBytes = core::kHandoffTokenIdHexDigits / 2;          // 16

// Plaintext layout, version 1 (integers big-endian):
//   16 bytes  token id
//   1 byte    from platform code      1 byte  to platform code
//   8 bytes   issued_at, Unix ms      8 bytes expires_at, Unix ms
//   1 byte    session id length n (1–255), then n bytes
//   1 byte    user id length m (0 = no user id, else 1–255), then m bytes
// A binary layout rather than JSON: infra links no JSON library, it is half the size (shorter URLs), and a
// fixed layout leaves nothing optional to interpret.
constexpr std::size_t kFixedBytes = kTokenIdBytes + 2 + 8 + 8 + 1 + 1;
constexpr std::size_t kMinPlaintext = kFixedBytes + 1;  // a one-byte session id, no user id
constexpr std::size_t kMaxPlaintext = kFixedBytes + core::kMaxHandoffSessionIdBytes + core::kMaxHandoffUserIdBytes;
constexpr std::size_t kMinSealed = kNonceBytes + kMinPlaintext + kTagBytes;
constexpr std::size_t kMaxSealed = kNonceBytes + kMaxPlaintext + kTagBytes;
constexpr std::size_t base64_chars(std::size_t bytes) { return (bytes * 4 + 2) / 3; }  // unpadded
static_assert(SodiumHandoffSealer::kPrefix.size() + base64_chars(kMaxSealed) == SodiumHandoffSealer::kMaxTokenLength);

// Stable codes on the wire; never the enum's values, which may be reordered.
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

void put_u64(Bytes& out, std::uint64_t value) {
    for (int shift = 56; shift >= 0; shift -= 8) out.push_back(static_cast<unsigned char>(value >> shift));
}

void put_text(Bytes& out, const std::string& text) {
    out.push_back(static_cast<unsigned char>(text.size()));
    out.insert(out.end(), text.begin(), text.end());
}

// Reads the layout front to back; every read is bounds-checked, so any bytes are safe.
class Reader {
  public:
    explicit Reader(const Bytes& bytes) : bytes_(bytes) {}

    std::optional<std::uint8_t> byte() {
        if (pos_ >= bytes_.size()) return std::nullopt;
        return bytes_[pos_++];
    }
    std::optional<std::uint64_t> u64() {
        if (bytes_.size() - pos_ < 8) return std::nullopt;
        std::uint64_t value = 0;
        for (int i = 0; i < 8; ++i) value = (value << 8) | bytes_[pos_++];
        return value;
    }
    std::optional<std::string> text(std::size_t size) {
        if (bytes_.size() - pos_ < size) return std::nullopt;
        std::string value(reinterpret_cast<const char*>(bytes_.data() + pos_), size);
        pos_ += size;
        return value;
    }
    bool at_end() const { return pos_ == bytes_.size(); }

  private:
    const Bytes& bytes_;
    std::size_t pos_ = 0;
};

Bytes encode_claims(const core::HandoffClaims& claims, const std::array<unsigned char, kTokenIdBytes>& token_id) {
    Bytes out;
    out.reserve(kMaxPlaintext);
    out.insert(out.end(), token_id.begin(), token_id.end());
    out.push_back(platform_code(claims.from_platform));
    out.push_back(platform_code(claims.to_platform));
    put_u64(out, static_cast<std::uint64_t>(core::to_unix_ms(claims.issued_at)));
    put_u64(out, static_cast<std::uint64_t>(core::to_unix_ms(claims.expires_at)));
    put_text(out, claims.session_id);
    if (claims.user_id) {
        put_text(out, *claims.user_id);
    } else {
        out.push_back(0);
    }
    return out;
}

std::string hex(const unsigned char* bytes, std::size_t size) {
    std::string out(size * 2 + 1, '\0');
    sodium_bin2hex(out.data(), out.size(), bytes, size);
    out.pop_back();  // libsodium's terminating NUL
    return out;
}

std::optional<core::TimePoint> read_time(Reader& reader) {
    const auto value = reader.u64();
    if (!value || *value > static_cast<std::uint64_t>(core::kMaxHandoffUnixMs)) return std::nullopt;
    return core::from_unix_ms(static_cast<std::int64_t>(*value));
}

std::optional<core::HandoffClaims> decode_claims(const Bytes& plaintext) {
    Reader reader(plaintext);
    const auto token_id = reader.text(kTokenIdBytes);
    const auto from = reader.byte();
    const auto to = reader.byte();
    const auto issued_at = read_time(reader);
    const auto expires_at = read_time(reader);
    if (!token_id || !from || !to || !issued_at || !expires_at) return std::nullopt;
    const auto from_platform = platform_from_code(*from);
    const auto to_platform = platform_from_code(*to);
    if (!from_platform || !to_platform) return std::nullopt;

    core::HandoffClaims claims;
    claims.token_id = hex(reinterpret_cast<const unsigned char*>(token_id->data()), token_id->size());
    claims.from_platform = *from_platform;
    claims.to_platform = *to_platform;
    claims.issued_at = *issued_at;
    claims.expires_at = *expires_at;
    const auto session_size = reader.byte();
    if (!session_size || *session_size == 0) return std::nullopt;
    auto session_id = reader.text(*session_size);
    if (!session_id) return std::nullopt;
    claims.session_id = std::move(*session_id);
    const auto user_size = reader.byte();
    if (!user_size) return std::nullopt;
    if (*user_size > 0) {
        claims.user_id = reader.text(*user_size);
        if (!claims.user_id) return std::nullopt;
    }
    // The same rules seal() applied: what it could not have written is not read either.
    if (!reader.at_end() || !core::check_handoff_claims(claims).ok()) return std::nullopt;
    return claims;
}

core::Error not_a_token(std::string reason) {
    return core::Error{core::ErrorCode::kValidation, "not a hand-off token", {{"reason", std::move(reason)}}};
}

core::Error refused(std::string message, std::string reason) {
    return core::Error{core::ErrorCode::kUnauthorized, std::move(message), {{"reason", std::move(reason)}}};
}

std::optional<Bytes> decode_base64url(std::string_view text) {
    Bytes out(text.size());  // base64 never decodes to more bytes than it has characters
    std::size_t size = 0;
    const char* end = nullptr;
    // No characters to ignore, and the whole text must be consumed: a token has exactly one spelling (libsodium
    // also refuses non-zero trailing bits), so changing any character changes the bytes or fails here.
    if (sodium_base642bin(out.data(), out.size(), text.data(), text.size(), nullptr, &size, &end,
                          sodium_base64_VARIANT_URLSAFE_NO_PADDING) != 0 ||
        end != text.data() + text.size()) {
        return std::nullopt;
    }
    out.resize(size);
    return out;
}

std::string encode_base64url(const Bytes& bytes) {
    constexpr int kVariant = sodium_base64_VARIANT_URLSAFE_NO_PADDING;
    std::string out(sodium_base64_encoded_len(bytes.size(), kVariant), '\0');
    sodium_bin2base64(out.data(), out.size(), bytes.data(), bytes.size(), kVariant);
    out.pop_back();  // libsodium's terminating NUL
    return out;
}

const unsigned char* as_bytes(std::string_view text) { return reinterpret_cast<const unsigned char*>(text.data()); }

}  // namespace

core::Result<std::unique_ptr<SodiumHandoffSealer>> SodiumHandoffSealer::create(std::string_view secret) {
    if (sodium_init() < 0) return core::Error::internal("libsodium failed to initialise");
    if (secret.size() < kMinSecretBytes) {
        return core::Error::validation("CROSS_PLATFORM_SESSION_SECRET",
                                       "CROSS_PLATFORM_SESSION_SECRET must be at least 32 bytes");
    }
    // Key derivation: one personalised BLAKE2b-256 (crypto_generichash) of the secret.
    // - Not crypto_kdf on its own: it wants a uniformly random 32-byte master key, and the secret is an operator's
    //   string of any length; BLAKE2b takes any length and compresses it to a uniform key.
    // - Personalised ("cvhandof-key-v1"): plain BLAKE2b-256 is what SodiumCrypto::hash_secret stores for API keys,
    //   so if this secret were ever hashed there, that digest must not be this key. It also separates this key
    //   from any other key later derived from the same secret (another personalisation).
    // - Not Argon2: the secret is required to be long and random, not a password; a slow hash would only slow
    //   every start.
    Key key{};
    crypto_generichash_blake2b_salt_personal(key.data(), key.size(), as_bytes(secret), secret.size(), nullptr, 0,
                                             nullptr, kPersonal.data());
    auto sealer = std::unique_ptr<SodiumHandoffSealer>(new SodiumHandoffSealer(key));
    sodium_memzero(key.data(), key.size());
    return sealer;
}

SodiumHandoffSealer::SodiumHandoffSealer(const Key& key) : key_(key) {}

SodiumHandoffSealer::~SodiumHandoffSealer() { sodium_memzero(key_.data(), key_.size()); }

std::string SodiumHandoffSealer::seal(const core::HandoffClaims& claims) {
    if (!core::check_handoff_claims(claims).ok()) return {};
    std::array<unsigned char, kTokenIdBytes> token_id{};
    if (claims.token_id.empty()) {
        randombytes_buf(token_id.data(), token_id.size());
    } else {
        sodium_hex2bin(token_id.data(), token_id.size(), claims.token_id.data(), claims.token_id.size(), nullptr,
                       nullptr, nullptr);
    }
    const Bytes plaintext = encode_claims(claims, token_id);

    Bytes sealed(kNonceBytes + plaintext.size() + kTagBytes);
    randombytes_buf(sealed.data(), kNonceBytes);
    unsigned long long ciphertext_size = 0;
    crypto_aead_xchacha20poly1305_ietf_encrypt(sealed.data() + kNonceBytes, &ciphertext_size, plaintext.data(),
                                               plaintext.size(), as_bytes(kAssociatedData), kAssociatedData.size(),
                                               nullptr, sealed.data(), key_.data());
    sealed.resize(kNonceBytes + static_cast<std::size_t>(ciphertext_size));
    return std::string(kPrefix) + encode_base64url(sealed);
}

core::Result<core::HandoffClaims> SodiumHandoffSealer::open(std::string_view token, core::TimePoint now) const {
    if (!token.starts_with(kPrefix)) return not_a_token("prefix");
    const std::string_view body = token.substr(kPrefix.size());
    // Checked before decoding, so that a huge input costs nothing.
    if (body.size() < base64_chars(kMinSealed) || body.size() > base64_chars(kMaxSealed)) return not_a_token("length");
    const auto sealed = decode_base64url(body);
    if (!sealed) return not_a_token("base64");
    if (sealed->size() < kMinSealed || sealed->size() > kMaxSealed) return not_a_token("length");

    Bytes plaintext(sealed->size() - kNonceBytes - kTagBytes);
    unsigned long long plaintext_size = 0;
    if (crypto_aead_xchacha20poly1305_ietf_decrypt(
            plaintext.data(), &plaintext_size, nullptr, sealed->data() + kNonceBytes, sealed->size() - kNonceBytes,
            as_bytes(kAssociatedData), kAssociatedData.size(), sealed->data(), key_.data()) != 0) {
        return refused("hand-off token failed authentication", "tampered");
    }
    plaintext.resize(static_cast<std::size_t>(plaintext_size));
    auto claims = decode_claims(plaintext);
    if (!claims) return not_a_token("claims");

    if (now >= claims->expires_at) {
        return refused("hand-off token expired", "expired")
            .with("expired_at", core::format_rfc3339(claims->expires_at));
    }
    if (claims->issued_at > now + kMaxIssueSkew) {
        return refused("hand-off token issued in the future", "not_yet_valid")
            .with("issued_at", core::format_rfc3339(claims->issued_at));
    }
    return std::move(*claims);
}

}  // namespace crossvoice::infra
