#include "core/session.hpp"

#include <gtest/gtest.h>

#include "core/error.hpp"
#include "core/platform.hpp"

namespace crossvoice::core {
namespace {

TEST(Session, ChannelsAndStatusesRoundTrip) {
    for (auto channel : {Channel::kVoice, Channel::kChat, Channel::kSms, Channel::kWhatsapp}) {
        EXPECT_EQ(parse_channel(to_string(channel)), channel);
    }
    EXPECT_EQ(parse_channel("Voice"), std::nullopt);
    EXPECT_EQ(parse_session_status("ended"), SessionStatus::kEnded);
    EXPECT_EQ(parse_session_status(""), std::nullopt);
    EXPECT_EQ(parse_platform("joromi"), Platform::kJoromi);
    EXPECT_EQ(parse_platform("JoRoMi"), std::nullopt);
}

TEST(Error, CodesAreStableStrings) {
    EXPECT_EQ(to_string(ErrorCode::kValidation), "validation_failed");
    EXPECT_EQ(to_string(ErrorCode::kNotFound), "not_found");
    EXPECT_EQ(to_string(ErrorCode::kInternal), "internal_error");
    auto error = Error::validation("channel", "bad").with("value", "fax");
    ASSERT_EQ(error.details.size(), 2u);
    EXPECT_EQ(error.details[0], (std::pair<std::string, std::string>{"field", "channel"}));
    EXPECT_EQ(error.details[1], (std::pair<std::string, std::string>{"value", "fax"}));
}

}  // namespace
}  // namespace crossvoice::core
