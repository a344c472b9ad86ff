#include "core/wav.hpp"

#include <gtest/gtest.h>

namespace crossvoice::core {
namespace {

TEST(WavTest, WritesAndReadsBackMonoAndStereo) {
    const PcmAudio mono{16'000, 1, {0, 1, -1, 32767, -32768}};
    const auto bytes = write_wav(mono);
    EXPECT_EQ(bytes.size(), 44U + 10U);
    EXPECT_EQ(bytes.substr(0, 4), "RIFF");
    EXPECT_EQ(bytes.substr(8, 8), "WAVEfmt ");
    const auto read = parse_wav(bytes);
    ASSERT_TRUE(read.has_value());
    EXPECT_EQ(read->sample_rate, 16'000);
    EXPECT_EQ(read->channels, 1);
    EXPECT_EQ(read->samples, mono.samples);

    const PcmAudio stereo{8'000, 2, {1, 2, 3, 4}};
    const auto back = parse_wav(write_wav(stereo));
    ASSERT_TRUE(back.has_value());
    EXPECT_EQ(back->channels, 2);
    EXPECT_EQ(back->frames(), 2U);
    EXPECT_EQ(back->samples, stereo.samples);
}

TEST(WavTest, SkipsUnknownChunksAndReadsAStreamedDataSize) {
    auto bytes = write_wav(PcmAudio{22'050, 1, {5, 6, 7}});
    // A LIST chunk (odd size, so padded) between fmt and data, as some engines write.
    const std::string list = std::string("LIST") + std::string("\x03\x00\x00\x00", 4) + "abc" + std::string(1, '\0');
    bytes.insert(36, list);
    // A pipe-writing engine cannot go back to fill in the data size.
    const auto data = bytes.find("data");
    bytes.replace(data + 4, 4, std::string("\xff\xff\xff\xff", 4));
    const auto read = parse_wav(bytes);
    ASSERT_TRUE(read.has_value());
    EXPECT_EQ(read->sample_rate, 22'050);
    EXPECT_EQ(read->samples, (std::vector<std::int16_t>{5, 6, 7}));
}

TEST(WavTest, RefusesWhatIsNot16BitPcm) {
    EXPECT_FALSE(parse_wav("").has_value());
    EXPECT_FALSE(parse_wav("RIFF....WAVE").has_value());
    EXPECT_FALSE(parse_wav("not a wav file at all, no").has_value());
    auto eight_bit = write_wav(PcmAudio{8'000, 1, {1}});
    eight_bit[34] = 8;  // bits per sample
    EXPECT_FALSE(parse_wav(eight_bit).has_value());
    auto float_format = write_wav(PcmAudio{8'000, 1, {1}});
    float_format[20] = 3;  // IEEE float
    EXPECT_FALSE(parse_wav(float_format).has_value());
    const auto truncated = write_wav(PcmAudio{8'000, 1, {1, 2}}).substr(0, 30);
    EXPECT_FALSE(parse_wav(truncated).has_value());
}

}  // namespace
}  // namespace crossvoice::core
