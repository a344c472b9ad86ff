#include "infra/sodium_visitor_sealer.hpp"

#include <gtest/gtest.h>

#include "infra/sodium_handoff_sealer.hpp"
#include "support/error_detail.hpp"

namespace crossvoice::infra {
namespace {

using core::ports::VisitorClaims;

constexpr std::string_view kSecret = "0123456789abcdef0123456789abcdef-visitor";
const core::TimePoint kNow = core::from_unix_ms(1'790'000'000'000);

VisitorClaims claims() {
    VisitorClaims out;
    out.session_id = "ses_01JTESTSESSION";
    out.platform = core::Platform::kJoromi;
    out.issued_at = kNow;
    out.expires_at = kNow + std::chrono::hours(24);
    return out;
}

std::unique_ptr<SodiumVisitorSealer> sealer(std::optional<std::string_view> secret = kSecret) {
    auto made = SodiumVisitorSealer::create(secret);
    EXPECT_TRUE(made.ok());
    return std::move(made).value();
}

TEST(SodiumVisitorSealer, OpensWhatItSealed) {
    auto s = sealer();
    const auto token = s->seal(claims());
    ASSERT_TRUE(token.starts_with("cvv1.")) << token;
    auto opened = s->open(token, kNow + std::chrono::hours(1));
    ASSERT_TRUE(opened.ok()) << opened.error().message;
    EXPECT_EQ(opened->session_id, "ses_01JTESTSESSION");
    EXPECT_EQ(opened->platform, core::Platform::kJoromi);
    EXPECT_EQ(opened->expires_at, kNow + std::chrono::hours(24));
    EXPECT_NE(s->seal(claims()), token);  // a fresh nonce each time
}

TEST(SodiumVisitorSealer, InstancesWithTheSameSecretShareTokensOthersDoNot) {
    const auto token = sealer()->seal(claims());
    EXPECT_TRUE(sealer()->open(token, kNow).ok());
    auto other = sealer("another secret of at least thirty-two bytes")->open(token, kNow);
    ASSERT_FALSE(other.ok());
    EXPECT_EQ(other.error().code, core::ErrorCode::kUnauthorized);
    EXPECT_EQ(testing::detail(other.error(), "reason"), "tampered");
    // Without a secret: a random key of the process, which opens nothing of the others'.
    auto random = sealer(std::nullopt);
    EXPECT_FALSE(random->open(token, kNow).ok());
    EXPECT_TRUE(random->open(random->seal(claims()), kNow).ok());
}

TEST(SodiumVisitorSealer, RefusesTamperedMalformedExpiredAndFutureTokens) {
    auto s = sealer();
    auto token = s->seal(claims());
    auto flipped = token;
    flipped[10] = flipped[10] == 'A' ? 'B' : 'A';
    EXPECT_EQ(testing::detail(s->open(flipped, kNow).error(), "reason"), "tampered");
    for (const std::string& bad : std::vector<std::string>{"", "cvv1.", "cvh1.abc", "Visitor x",
                                                           "cvv1.!!!!" + std::string(60, 'a'), token.substr(0, 30)}) {
        auto opened = s->open(bad, kNow);
        ASSERT_FALSE(opened.ok()) << bad;
        EXPECT_EQ(opened.error().code, core::ErrorCode::kUnauthorized) << bad;
        EXPECT_EQ(testing::detail(opened.error(), "reason"), "malformed") << bad;
    }
    EXPECT_EQ(testing::detail(s->open(token, kNow + std::chrono::hours(24)).error(), "reason"), "expired");
    EXPECT_EQ(testing::detail(s->open(token, kNow - std::chrono::minutes(5)).error(), "reason"), "not_yet_valid");
}

TEST(SodiumVisitorSealer, IsNeverAHandoffTokenNorTheOtherWayRound) {
    auto visitor = sealer();
    auto handoff = SodiumHandoffSealer::create(kSecret);
    ASSERT_TRUE(handoff.ok());
    core::HandoffClaims hand;
    hand.session_id = "ses_01JTESTSESSION";
    hand.issued_at = kNow;
    hand.expires_at = kNow + std::chrono::minutes(10);
    const auto handoff_token = (*handoff)->seal(hand);
    EXPECT_FALSE(visitor->open(handoff_token, kNow).ok());
    EXPECT_FALSE((*handoff)->open(visitor->seal(claims()), kNow).ok());
    // Even re-prefixed, the other key and associated data refuse it.
    EXPECT_FALSE(visitor->open("cvv1." + handoff_token.substr(5), kNow).ok());
}

TEST(SodiumVisitorSealer, SealsNothingOutOfBoundsAndRefusesAShortSecret) {
    auto s = sealer();
    auto empty = claims();
    empty.session_id.clear();
    EXPECT_EQ(s->seal(empty), "");
    auto huge = claims();
    huge.session_id.assign(256, 'x');
    EXPECT_EQ(s->seal(huge), "");
    auto backwards = claims();
    backwards.expires_at = backwards.issued_at;
    EXPECT_EQ(s->seal(backwards), "");
    auto longest = claims();
    longest.session_id.assign(255, 'x');
    EXPECT_TRUE(s->open(s->seal(longest), kNow).ok());
    auto short_secret = SodiumVisitorSealer::create(std::string_view("too short"));
    ASSERT_FALSE(short_secret.ok());
    EXPECT_EQ(testing::detail(short_secret.error(), "field"), "CROSS_PLATFORM_SESSION_SECRET");
}

}  // namespace
}  // namespace crossvoice::infra
