#include "core/client_state.hpp"

#include <gtest/gtest.h>

namespace crossvoice::core {
namespace {

constexpr std::string_view kSession = "ses_01J9Z3M5K6Q7R8S9T0V1W2X3Y4";
constexpr std::string_view kCall = "call_01J9Z3M5K6Q7R8S9T0V1W2X3Y5";

TEST(ClientStateTest, RoundTrips) {
    const CallClientState state{Platform::kJoromi, std::string(kSession), std::string(kCall)};
    const auto text = encode_client_state(state);
    EXPECT_EQ(text, "cv1|joromi|" + std::string(kSession) + "|" + std::string(kCall));
    const auto decoded = decode_client_state(text);
    ASSERT_TRUE(decoded.has_value());
    EXPECT_EQ(decoded->platform, Platform::kJoromi);
    EXPECT_EQ(decoded->session_id, kSession);
    EXPECT_EQ(decoded->call_id, kCall);
}

TEST(ClientStateTest, RefusesAnythingElse) {
    const std::string session(kSession);
    const std::string call(kCall);
    for (const std::string& text : {
             std::string(),
             std::string("cv1"),
             "cv2|tetrix|" + session + "|" + call,
             "cv1|acme|" + session + "|" + call,
             "cv1|tetrix|" + call + "|" + call,
             "cv1|tetrix|" + session + "|" + session,
             "cv1|tetrix|" + session + "|" + call + "|extra",
             "cv1|tetrix|" + session,
             std::string("{\"somebody\":\"else\"}"),
         }) {
        EXPECT_FALSE(decode_client_state(text).has_value()) << text;
    }
}

}  // namespace
}  // namespace crossvoice::core
