#include "speech/g711.hpp"

#include <gtest/gtest.h>
#include <sndfile.h>

#include <cstdint>
#include <string>
#include <vector>

#include "audio_fixtures.hpp"

namespace crossvoice::speech {
namespace {

std::string every_code() {
    std::string bytes;
    for (int code = 0; code < 256; ++code) bytes.push_back(static_cast<char>(code));
    return bytes;
}

TEST(G711, MulawKnownValues) {
    EXPECT_EQ(mulaw_to_linear(0xFF), 0);
    EXPECT_EQ(mulaw_to_linear(0x7F), 0);  // "negative zero"
    EXPECT_EQ(mulaw_to_linear(0x00), -32124);
    EXPECT_EQ(mulaw_to_linear(0x80), 32124);
    EXPECT_EQ(mulaw_to_linear(0xFE), 8);
    EXPECT_EQ(mulaw_to_linear(0x7E), -8);
    EXPECT_EQ(mulaw_to_linear(0xEF), 132);  // segment 1 starts after 16 steps of 8
    EXPECT_EQ(mulaw_to_linear(0xDF), 396);
    EXPECT_EQ(mulaw_to_linear(0x8F), 16764);  // segment 7
}

TEST(G711, AlawKnownValues) {
    EXPECT_EQ(alaw_to_linear(0xD5), 8);
    EXPECT_EQ(alaw_to_linear(0x55), -8);
    EXPECT_EQ(alaw_to_linear(0xAA), 32256);
    EXPECT_EQ(alaw_to_linear(0x2A), -32256);
    EXPECT_EQ(alaw_to_linear(0xD4), 24);
    EXPECT_EQ(alaw_to_linear(0xC5), 264);   // segment 1
    EXPECT_EQ(alaw_to_linear(0xE5), 1056);  // segment 3
}

// Every one of the 256 codes against libsndfile's own G.711 tables.
TEST(G711, MulawMatchesLibsndfileForEveryCode) {
    const std::vector<std::int16_t> reference = testing::read_raw_with_sndfile(every_code(), SF_FORMAT_ULAW);
    ASSERT_EQ(reference.size(), 256u);
    for (int code = 0; code < 256; ++code) {
        EXPECT_EQ(mulaw_to_linear(static_cast<std::uint8_t>(code)), reference[static_cast<std::size_t>(code)])
            << "code 0x" << std::hex << code;
    }
}

TEST(G711, AlawMatchesLibsndfileForEveryCode) {
    const std::vector<std::int16_t> reference = testing::read_raw_with_sndfile(every_code(), SF_FORMAT_ALAW);
    ASSERT_EQ(reference.size(), 256u);
    for (int code = 0; code < 256; ++code) {
        EXPECT_EQ(alaw_to_linear(static_cast<std::uint8_t>(code)), reference[static_cast<std::size_t>(code)])
            << "code 0x" << std::hex << code;
    }
}

// Within each sign, larger magnitude codes decode to strictly larger magnitudes, and the halves mirror.
TEST(G711, CodesAreMonotonicAndSymmetric) {
    for (int code = 0x80; code < 0xFF; ++code) {
        EXPECT_GT(mulaw_to_linear(static_cast<std::uint8_t>(code)),
                  mulaw_to_linear(static_cast<std::uint8_t>(code + 1)));
        EXPECT_EQ(mulaw_to_linear(static_cast<std::uint8_t>(code)),
                  -mulaw_to_linear(static_cast<std::uint8_t>(code & 0x7F)));
        EXPECT_EQ(alaw_to_linear(static_cast<std::uint8_t>(code)),
                  -alaw_to_linear(static_cast<std::uint8_t>(code & 0x7F)));
    }
}

}  // namespace
}  // namespace crossvoice::speech
