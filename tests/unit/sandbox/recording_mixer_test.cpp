#include "sandbox/recording_mixer.hpp"

#include <gtest/gtest.h>

#include "core/wav.hpp"

namespace crossvoice::sandbox {
namespace {

using core::parse_wav;
using core::PcmAudio;

PcmAudio tone(int rate, std::size_t frames, std::int16_t level) {
    return PcmAudio{rate, 1, std::vector<std::int16_t>(frames, level)};
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
