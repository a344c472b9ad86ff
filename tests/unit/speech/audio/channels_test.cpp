#include "speech/channels.hpp"

#include <gtest/gtest.h>

#include <cstdint>
#include <vector>

namespace crossvoice::speech {
namespace {

core::PcmAudio audio(int channels, std::vector<std::int16_t> samples, int rate = 8000) {
    core::PcmAudio out;
    out.sample_rate = rate;
    out.channels = channels;
    out.samples = std::move(samples);
    return out;
}

TEST(SplitChannels, DeinterleavesInChannelOrder) {
    const auto parts = split_channels(audio(2, {1, -1, 2, -2, 3, -3}));
    ASSERT_EQ(parts.size(), 2u);
    EXPECT_EQ(parts[0].samples, (std::vector<std::int16_t>{1, 2, 3}));
    EXPECT_EQ(parts[1].samples, (std::vector<std::int16_t>{-1, -2, -3}));
    for (const auto& part : parts) {
        EXPECT_EQ(part.channels, 1);
        EXPECT_EQ(part.sample_rate, 8000);
    }
}

TEST(SplitChannels, ThreeChannelsAndMono) {
    const auto parts = split_channels(audio(3, {1, 2, 3, 4, 5, 6}, 16000));
    ASSERT_EQ(parts.size(), 3u);
    EXPECT_EQ(parts[2].samples, (std::vector<std::int16_t>{3, 6}));
    EXPECT_EQ(parts[2].sample_rate, 16000);

    const auto mono = split_channels(audio(1, {7, 8}));
    ASSERT_EQ(mono.size(), 1u);
    EXPECT_EQ(mono[0].samples, (std::vector<std::int16_t>{7, 8}));
}

TEST(MixToMono, AveragesEachFrame) {
    const core::PcmAudio mixed = mix_to_mono(audio(2, {100, 300, -100, -300, 32767, 32767, -32768, -32768}));
    EXPECT_EQ(mixed.channels, 1);
    EXPECT_EQ(mixed.sample_rate, 8000);
    EXPECT_EQ(mixed.samples, (std::vector<std::int16_t>{200, -200, 32767, -32768}));
}

TEST(MixToMono, ThreeChannels) {
    EXPECT_EQ(mix_to_mono(audio(3, {3, 6, 9, -3, 0, 0})).samples, (std::vector<std::int16_t>{6, -1}));
}

TEST(MixToMono, MonoIsUnchanged) {
    const core::PcmAudio mono = audio(1, {5, -5, 9});
    const core::PcmAudio out = mix_to_mono(mono);
    EXPECT_EQ(out.samples, mono.samples);
    EXPECT_EQ(out.channels, 1);
}

}  // namespace
}  // namespace crossvoice::speech
