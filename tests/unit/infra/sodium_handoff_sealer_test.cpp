#include "infra/sodium_handoff_sealer.hpp"

#include <gtest/gtest.h>
#include <sodium.h>

#include <algorithm>
#include <cctype>
#include <cstdint>
#include <memory>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "core/time_format.hpp"
#include "support/error_detail.hpp"

namespace crossvoice::infra {
namespace {

using core::ErrorCode;
using core::HandoffClaims;
using core::Platform;
using core::TimePoint;
using crossvoice::testing::detail;
using namespace std::chrono_literals;

constexpr std::string_view kSecret = "4f1c0e8a9b2d7e6f5a3c1b0d9e8f7a6b5c4d3e2f1a0b";  // 44 bytes
constexpr std::string_view kOtherSecret = "0000000000000000000000000000000000000000000000";
const TimePoint kIssued = *core::parse_rfc3339("2026-11-24T09:30:00.123Z");
const TimePoint kExpires = kIssued + 10min;

std::unique_ptr<SodiumHandoffSealer> make_sealer(std::string_view secret = kSecret) {
    auto sealer = SodiumHandoffSealer::create(secret);
    EXPECT_TRUE(sealer.ok());
    return sealer.ok() ? std::move(sealer).value() : nullptr;
}

HandoffClaims claims() {
    HandoffClaims value;
    value.token_id = "00112233445566778899aabbccddeeff";
    value.session_id = "ses_01JDKX3V5Q8W2M4N6P7R9S1T3U";
    value.from_platform = Platform::kTetrix;
    value.to_platform = Platform::kJoromi;
    value.user_id = "user-42";
    value.issued_at = kIssued;
    value.expires_at = kExpires;
    return value;
}

void expect_same(const HandoffClaims& got, const HandoffClaims& want) {
    EXPECT_EQ(got.token_id, want.token_id);
    EXPECT_EQ(got.session_id, want.session_id);
    EXPECT_EQ(got.from_platform, want.from_platform);
    EXPECT_EQ(got.to_platform, want.to_platform);
    EXPECT_EQ(got.user_id, want.user_id);
    EXPECT_EQ(got.issued_at, want.issued_at);
    EXPECT_EQ(got.expires_at, want.expires_at);
}

std::vector<unsigned char> sealed_bytes(std::string_view token) {
    const auto body = token.substr(SodiumHandoffSealer::kPrefix.size());
    std::vector<unsigned char> bytes(body.size());
    std::size_t size = 0;
    EXPECT_EQ(sodium_base642bin(bytes.data(), bytes.size(), body.data(), body.size(), nullptr, &size, nullptr,
                                sodium_base64_VARIANT_URLSAFE_NO_PADDING),
              0);
    bytes.resize(size);
    return bytes;
}

std::string token_of(const std::vector<unsigned char>& bytes) {
    std::string out(sodium_base64_encoded_len(bytes.size(), sodium_base64_VARIANT_URLSAFE_NO_PADDING), '\0');
    sodium_bin2base64(out.data(), out.size(), bytes.data(), bytes.size(), sodium_base64_VARIANT_URLSAFE_NO_PADDING);
    out.pop_back();
    return std::string(SodiumHandoffSealer::kPrefix) + out;
}

void expect_not_a_token(const core::Result<HandoffClaims>& opened, std::string_view reason) {
    ASSERT_FALSE(opened.ok());
    EXPECT_EQ(opened.error().code, ErrorCode::kValidation);
    EXPECT_EQ(opened.error().message, "not a hand-off token");
    EXPECT_EQ(detail(opened.error(), "reason"), reason);
}

void expect_tampered(const core::Result<HandoffClaims>& opened) {
    ASSERT_FALSE(opened.ok());
    EXPECT_EQ(opened.error().code, ErrorCode::kUnauthorized);
    EXPECT_EQ(opened.error().message, "hand-off token failed authentication");
    EXPECT_EQ(detail(opened.error(), "reason"), "tampered");
}

TEST(SodiumHandoffSealer, RoundTripsEveryClaim) {
    const auto sealer = make_sealer();
    const auto token = sealer->seal(claims());
    EXPECT_TRUE(token.starts_with("cvh1.")) << token;
    const auto opened = sealer->open(token, kIssued);
    ASSERT_TRUE(opened.ok()) << opened.error().message;
    expect_same(*opened, claims());
}

TEST(SodiumHandoffSealer, RoundTripsTheOtherDirectionWithoutAUser) {
    auto value = claims();
    value.from_platform = Platform::kJoromi;
    value.to_platform = Platform::kTetrix;
    value.user_id.reset();
    const auto sealer = make_sealer();
    const auto opened = sealer->open(sealer->seal(value), kIssued + 1min);
    ASSERT_TRUE(opened.ok()) << opened.error().message;
    expect_same(*opened, value);
}

TEST(SodiumHandoffSealer, AnotherInstanceWithTheSameSecretOpensIt) {
    const auto token = make_sealer()->seal(claims());
    const auto opened = make_sealer()->open(token, kIssued);
    ASSERT_TRUE(opened.ok()) << opened.error().message;
    expect_same(*opened, claims());
}

TEST(SodiumHandoffSealer, PicksARandomTokenIdWhenNoneIsGiven) {
    const auto sealer = make_sealer();
    auto value = claims();
    value.token_id.clear();
    const auto first = sealer->open(sealer->seal(value), kIssued);
    const auto second = sealer->open(sealer->seal(value), kIssued);
    ASSERT_TRUE(first.ok() && second.ok());
    EXPECT_TRUE(core::is_handoff_token_id(first->token_id)) << first->token_id;
    EXPECT_TRUE(core::is_handoff_token_id(second->token_id)) << second->token_id;
    EXPECT_NE(first->token_id, second->token_id);
}

TEST(SodiumHandoffSealer, TwoSealsOfTheSameClaimsDiffer) {
    const auto sealer = make_sealer();
    std::set<std::string> tokens;
    std::set<std::vector<unsigned char>> nonces;
    for (int i = 0; i < 50; ++i) {
        const auto token = sealer->seal(claims());
        tokens.insert(token);
        const auto bytes = sealed_bytes(token);
        nonces.emplace(bytes.begin(), bytes.begin() + crypto_aead_xchacha20poly1305_ietf_NPUBBYTES);
    }
    EXPECT_EQ(tokens.size(), 50u);
    EXPECT_EQ(nonces.size(), 50u);
}

TEST(SodiumHandoffSealer, TheTokenRevealsNoClaim) {
    const auto token = make_sealer()->seal(claims());
    const auto bytes = sealed_bytes(token);
    const std::string raw(bytes.begin(), bytes.end());
    for (const std::string_view secret :
         {std::string_view("ses_01JDKX3V5Q8W2M4N6P7R9S1T3U"), std::string_view("user-42")}) {
        EXPECT_EQ(token.find(secret), std::string::npos);
        EXPECT_EQ(raw.find(secret), std::string::npos);
    }
}

TEST(SodiumHandoffSealer, TokenLengthIsBounded) {
    const auto sealer = make_sealer();
    auto largest = claims();
    largest.session_id = std::string(core::kMaxHandoffSessionIdBytes, 's');
    largest.user_id = std::string(core::kMaxHandoffUserIdBytes, 'u');
    const auto token = sealer->seal(largest);
    EXPECT_EQ(token.size(), SodiumHandoffSealer::kMaxTokenLength);
    const auto opened = sealer->open(token, kIssued);
    ASSERT_TRUE(opened.ok()) << opened.error().message;
    expect_same(*opened, largest);
    // Only URL-safe characters: it can go into a link as it is.
    for (const char ch : token) {
        EXPECT_TRUE(std::isalnum(static_cast<unsigned char>(ch)) || ch == '-' || ch == '_' || ch == '.') << ch;
    }

    auto smallest = claims();
    smallest.session_id = "s";
    smallest.user_id.reset();
    EXPECT_LT(sealer->seal(smallest).size(), 120u);
}

TEST(SodiumHandoffSealer, ClaimsThatCannotBeSealedGiveAnEmptyToken) {
    const auto sealer = make_sealer();
    std::vector<HandoffClaims> bad(8, claims());
    bad[0].token_id = "00112233445566778899AABBCCDDEEFF";  // upper case
    bad[1].token_id = "0011";
    bad[2].session_id.clear();
    bad[3].session_id = std::string(core::kMaxHandoffSessionIdBytes + 1, 's');
    bad[4].user_id = "";
    bad[5].user_id = std::string(core::kMaxHandoffUserIdBytes + 1, 'u');
    bad[6].expires_at = bad[6].issued_at;
    bad[7].issued_at = core::from_unix_ms(-1);
    for (std::size_t i = 0; i < bad.size(); ++i) {
        EXPECT_FALSE(core::check_handoff_claims(bad[i]).ok()) << i;
        EXPECT_EQ(sealer->seal(bad[i]), "") << i;
    }
    expect_not_a_token(sealer->open("", kIssued), "prefix");
}

TEST(SodiumHandoffSealer, EveryAlteredCharacterIsRefused) {
    const auto sealer = make_sealer();
    const auto token = sealer->seal(claims());
    for (std::size_t i = 0; i < token.size(); ++i) {
        for (const char replacement : {'A', 'g', '_', '-', '0', '.', '='}) {
            if (token[i] == replacement) continue;
            auto altered = token;
            altered[i] = replacement;
            const auto opened = sealer->open(altered, kIssued);
            ASSERT_FALSE(opened.ok()) << "position " << i << " as " << replacement;
            EXPECT_NE(opened.error().code, ErrorCode::kInternal);
        }
    }
}

TEST(SodiumHandoffSealer, EveryFlippedBitIsTampering) {
    const auto sealer = make_sealer();
    const auto bytes = sealed_bytes(sealer->seal(claims()));
    for (std::size_t i = 0; i < bytes.size(); ++i) {
        for (int bit = 0; bit < 8; ++bit) {
            auto altered = bytes;
            altered[i] = static_cast<unsigned char>(altered[i] ^ (1u << bit));
            expect_tampered(sealer->open(token_of(altered), kIssued));
        }
    }
}

TEST(SodiumHandoffSealer, AnotherSecretCannotOpenIt) {
    const auto token = make_sealer()->seal(claims());
    expect_tampered(make_sealer(kOtherSecret)->open(token, kIssued));
    // Secrets that share a 32-byte prefix are still different keys: the whole secret is hashed.
    const std::string longer = std::string(kSecret) + "x";
    expect_tampered(make_sealer(longer)->open(token, kIssued));
}

TEST(SodiumHandoffSealer, ExpiresAtTheExactBoundary) {
    const auto sealer = make_sealer();
    const auto token = sealer->seal(claims());
    EXPECT_TRUE(sealer->open(token, kExpires - 1ms).ok());
    for (const TimePoint now : {kExpires, kExpires + 1ms, kExpires + 24h}) {
        const auto opened = sealer->open(token, now);
        ASSERT_FALSE(opened.ok());
        EXPECT_EQ(opened.error().code, ErrorCode::kUnauthorized);
        EXPECT_EQ(opened.error().message, "hand-off token expired");
        EXPECT_EQ(detail(opened.error(), "reason"), "expired");
        EXPECT_EQ(detail(opened.error(), "expired_at"), "2026-11-24T09:40:00.123Z");
    }
}

TEST(SodiumHandoffSealer, TokensFromTheFutureBeyondTheSkewAreRefused) {
    const auto sealer = make_sealer();
    const auto token = sealer->seal(claims());
    // Another instance's clock may run up to 60 s ahead.
    EXPECT_TRUE(sealer->open(token, kIssued - 60s).ok());
    const auto opened = sealer->open(token, kIssued - 60s - 1ms);
    ASSERT_FALSE(opened.ok());
    EXPECT_EQ(opened.error().code, ErrorCode::kUnauthorized);
    EXPECT_EQ(detail(opened.error(), "reason"), "not_yet_valid");
    EXPECT_EQ(detail(opened.error(), "issued_at"), "2026-11-24T09:30:00.123Z");
}

TEST(SodiumHandoffSealer, RefusesTextThatIsNotAToken) {
    const auto sealer = make_sealer();
    const auto token = sealer->seal(claims());
    const auto body = token.substr(SodiumHandoffSealer::kPrefix.size());

    expect_not_a_token(sealer->open("cvh2." + body, kIssued), "prefix");
    expect_not_a_token(sealer->open("CVH1." + body, kIssued), "prefix");
    expect_not_a_token(sealer->open(body, kIssued), "prefix");
    expect_not_a_token(sealer->open("Bearer " + token, kIssued), "prefix");

    expect_not_a_token(sealer->open("cvh1.", kIssued), "length");
    expect_not_a_token(sealer->open(token.substr(0, 50), kIssued), "length");
    expect_not_a_token(sealer->open(token + std::string(SodiumHandoffSealer::kMaxTokenLength, 'A'), kIssued), "length");
    expect_not_a_token(sealer->open(std::string(1 << 20, 'x'), kIssued), "prefix");

    // Truncated by one or a few characters: either no longer base64, or authentication fails.
    for (std::size_t cut = 1; cut <= 4; ++cut) {
        const auto opened = sealer->open(std::string_view(token).substr(0, token.size() - cut), kIssued);
        ASSERT_FALSE(opened.ok()) << cut;
        EXPECT_TRUE(detail(opened.error(), "reason") == "base64" || detail(opened.error(), "reason") == "tampered")
            << cut << ": " << opened.error().message;
    }

    auto garbage = token;
    garbage[10] = '+';  // standard base64, not base64url
    expect_not_a_token(sealer->open(garbage, kIssued), "base64");
    garbage[10] = '!';
    expect_not_a_token(sealer->open(garbage, kIssued), "base64");
    expect_not_a_token(sealer->open(token + "=", kIssued), "base64");
    expect_not_a_token(sealer->open("cvh1." + std::string(body.size() - 2, 'A') + " A", kIssued), "base64");
}

// The format as a second implementation would read it: key = BLAKE2b-256 of the secret personalised
// "cvhandof-key-v1", associated data "crossvoice hand-off token v1", plaintext the documented v1 layout. Pinned
// here so that a change cannot silently invalidate the tokens other instances have already handed out.
std::vector<unsigned char> derived_key(std::string_view secret) {
    std::vector<unsigned char> key(crypto_aead_xchacha20poly1305_ietf_KEYBYTES);
    const unsigned char personal[crypto_generichash_blake2b_PERSONALBYTES] = {'c', 'v', 'h', 'a', 'n', 'd', 'o', 'f',
                                                                              '-', 'k', 'e', 'y', '-', 'v', '1', 0};
    crypto_generichash_blake2b_salt_personal(key.data(), key.size(),
                                             reinterpret_cast<const unsigned char*>(secret.data()), secret.size(),
                                             nullptr, 0, nullptr, personal);
    return key;
}

constexpr std::string_view kAssociatedData = "crossvoice hand-off token v1";

std::string seal_by_hand(const std::vector<unsigned char>& plaintext) {
    const auto key = derived_key(kSecret);
    std::vector<unsigned char> sealed(crypto_aead_xchacha20poly1305_ietf_NPUBBYTES + plaintext.size() +
                                      crypto_aead_xchacha20poly1305_ietf_ABYTES);
    randombytes_buf(sealed.data(), crypto_aead_xchacha20poly1305_ietf_NPUBBYTES);
    crypto_aead_xchacha20poly1305_ietf_encrypt(sealed.data() + crypto_aead_xchacha20poly1305_ietf_NPUBBYTES, nullptr,
                                               plaintext.data(), plaintext.size(),
                                               reinterpret_cast<const unsigned char*>(kAssociatedData.data()),
                                               kAssociatedData.size(), nullptr, sealed.data(), key.data());
    return token_of(sealed);
}

// token id 00..0f, tetrix -> joromi, issued 2026-11-24T09:30:00.123Z, expires +10 min, session "ses_1", user "u".
std::vector<unsigned char> v1_plaintext() {
    std::vector<unsigned char> bytes;
    for (unsigned char i = 0; i < 16; ++i) bytes.push_back(i);
    bytes.push_back(1);
    bytes.push_back(2);
    for (const auto time : {kIssued, kExpires}) {
        const auto ms = static_cast<std::uint64_t>(core::to_unix_ms(time));
        for (int shift = 56; shift >= 0; shift -= 8) bytes.push_back(static_cast<unsigned char>(ms >> shift));
    }
    for (const std::string_view text : {std::string_view("ses_1"), std::string_view("u")}) {
        bytes.push_back(static_cast<unsigned char>(text.size()));
        bytes.insert(bytes.end(), text.begin(), text.end());
    }
    return bytes;
}

TEST(SodiumHandoffSealer, ReadsTheDocumentedV1Format) {
    const auto opened = make_sealer()->open(seal_by_hand(v1_plaintext()), kIssued);
    ASSERT_TRUE(opened.ok()) << opened.error().message;
    EXPECT_EQ(opened->token_id, "000102030405060708090a0b0c0d0e0f");
    EXPECT_EQ(opened->from_platform, Platform::kTetrix);
    EXPECT_EQ(opened->to_platform, Platform::kJoromi);
    EXPECT_EQ(opened->issued_at, kIssued);
    EXPECT_EQ(opened->expires_at, kExpires);
    EXPECT_EQ(opened->session_id, "ses_1");
    EXPECT_EQ(opened->user_id, "u");

    // And what seal() writes is that layout.
    const auto bytes = sealed_bytes(make_sealer()->seal(claims()));
    const auto key = derived_key(kSecret);
    std::vector<unsigned char> plaintext(bytes.size());
    unsigned long long size = 0;
    ASSERT_EQ(crypto_aead_xchacha20poly1305_ietf_decrypt(plaintext.data(), &size, nullptr,
                                                         bytes.data() + crypto_aead_xchacha20poly1305_ietf_NPUBBYTES,
                                                         bytes.size() - crypto_aead_xchacha20poly1305_ietf_NPUBBYTES,
                                                         reinterpret_cast<const unsigned char*>(kAssociatedData.data()),
                                                         kAssociatedData.size(), bytes.data(), key.data()),
              0);
    plaintext.resize(size);
    const auto session_size = claims().session_id.size();
    ASSERT_EQ(plaintext.size(), 16u + 2 + 16 + 1 + session_size + 1 + 7);
    EXPECT_EQ(plaintext[0], 0x00);
    EXPECT_EQ(plaintext[15], 0xff);
    EXPECT_EQ(plaintext[16], 1);  // tetrix
    EXPECT_EQ(plaintext[17], 2);  // joromi
    EXPECT_EQ(plaintext[34], session_size);
    EXPECT_EQ(plaintext[35 + session_size], 7);
    EXPECT_EQ(std::string(plaintext.end() - 7, plaintext.end()), "user-42");
}

TEST(SodiumHandoffSealer, RefusesAuthenticClaimsItCannotRead) {
    const auto sealer = make_sealer();
    std::vector<std::vector<unsigned char>> unreadable(7, v1_plaintext());
    unreadable[0][16] = 3;  // a platform this build does not know
    unreadable[1][17] = 0;
    unreadable[2].push_back(0);  // a trailing byte
    unreadable[3].pop_back();    // the user id cut short
    unreadable[4][34] = 0;       // an empty session id
    // expires_at equal to issued_at
    std::copy(unreadable[5].begin() + 18, unreadable[5].begin() + 26, unreadable[5].begin() + 26);
    unreadable[6][18] = 0x80;  // a negative issued_at
    for (std::size_t i = 0; i < unreadable.size(); ++i) {
        SCOPED_TRACE(i);
        expect_not_a_token(sealer->open(seal_by_hand(unreadable[i]), kIssued), "claims");
    }
}

TEST(SodiumHandoffSealer, RefusesShortSecretsNamingTheVariable) {
    for (const std::string_view secret : {std::string_view(""), std::string_view("short"), kSecret.substr(0, 31)}) {
        const auto sealer = SodiumHandoffSealer::create(secret);
        ASSERT_FALSE(sealer.ok());
        EXPECT_EQ(sealer.error().code, ErrorCode::kValidation);
        EXPECT_EQ(detail(sealer.error(), "field"), "CROSS_PLATFORM_SESSION_SECRET");
        EXPECT_NE(sealer.error().message.find("CROSS_PLATFORM_SESSION_SECRET"), std::string::npos);
    }
    EXPECT_TRUE(SodiumHandoffSealer::create(kSecret.substr(0, 32)).ok());
}

TEST(SodiumHandoffSealer, ErrorsNeverCarryTheSecretOrTheToken) {
    const auto short_secret = std::string(kSecret.substr(0, 31));
    const auto refused = SodiumHandoffSealer::create(short_secret);
    ASSERT_FALSE(refused.ok());
    EXPECT_EQ(refused.error().message.find(short_secret), std::string::npos);
    for (const auto& [key, value] : refused.error().details) EXPECT_EQ(value.find(short_secret), std::string::npos);

    const auto sealer = make_sealer();
    const auto token = sealer->seal(claims());
    const auto body = token.substr(SodiumHandoffSealer::kPrefix.size());
    for (const auto& opened : {sealer->open(token, kExpires), make_sealer(kOtherSecret)->open(token, kIssued)}) {
        ASSERT_FALSE(opened.ok());
        EXPECT_EQ(opened.error().message.find(body), std::string::npos);
        for (const auto& [key, value] : opened.error().details) {
            EXPECT_EQ(value.find(body), std::string::npos) << key;
            EXPECT_EQ(value.find(kSecret), std::string::npos) << key;
        }
    }
}

}  // namespace
}  // namespace crossvoice::infra
