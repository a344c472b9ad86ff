#include "sandbox/wav.hpp"

#include <gtest/gtest.h>

#include "sandbox/recording_mixer.hpp"

namespace crossvoice::sandbox {
namespace {

PcmAudio tone(int rate, std::size_t frames, std::int16_t level) {
    return PcmAudio{rate, 1, std::vector<std::int16_t>(frames, level)};
}

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

TEST(RecordingMixerTest, DualPutsOurSideFirstOnChannelOneAndTheFarEndAfterOnChannelTwo) {
    const auto mixed = parse_wav(mix_recording({tone(8'000, 100, 7), tone(8'000, 50, 8)}, tone(8'000, 80, 9), true));
    ASSERT_TRUE(mixed.has_value());
    EXPECT_EQ(mixed->channels, 2);
    EXPECT_EQ(mixed->sample_rate, 8'000);
    const std::size_t gap = 8'000 * 300 / 1000;
    const std::size_t ours = 100 + gap + 50 + gap;
    ASSERT_EQ(mixed->frames(), ours + 80);
    EXPECT_EQ(mixed->samples[0], 7);
    EXPECT_EQ(mixed->samples[1], 0);
    EXPECT_EQ(mixed->samples[2 * (100 + gap)], 8);
    EXPECT_EQ(mixed->samples[2 * ours], 0);
    EXPECT_EQ(mixed->samples[2 * ours + 1], 9);
}

TEST(RecordingMixerTest, SingleIsOneChannelAndSilenceWhenWeSaidNothing) {
    const auto mixed = parse_wav(mix_recording({}, tone(16'000, 40, 3), false));
    ASSERT_TRUE(mixed.has_value());
    EXPECT_EQ(mixed->channels, 1);
    EXPECT_EQ(mixed->samples, std::vector<std::int16_t>(40, 3));
}

TEST(RecordingMixerTest, ResamplesOurSideToTheFarEndsRate) {
    const auto mixed = parse_wav(mix_recording({tone(16'000, 160, 4)}, tone(8'000, 10, 5), true));
    ASSERT_TRUE(mixed.has_value());
    EXPECT_EQ(mixed->frames(), 80U + 8'000 * 300 / 1000 + 10U);
}

}  // namespace
}  // namespace crossvoice::sandbox
