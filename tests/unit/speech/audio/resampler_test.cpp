#include "speech/resampler.hpp"

#include <gtest/gtest.h>

#include <cstdlib>

#include "audio_fixtures.hpp"
#include "speech/channels.hpp"

namespace crossvoice::speech {
namespace {

using testing::tone;
using testing::zero_crossings;

// 440 Hz over one second crosses zero about 880 times; a wrong ratio would shift that proportionally.
TEST(Resample, ToneKeepsItsFrequencyUpAndBackDown) {
    const core::PcmAudio narrow = tone(8000, 440, 1.0);
    const auto wide = resample(narrow, 16000);
    ASSERT_TRUE(wide.ok()) << wide.error().message;
    EXPECT_EQ(wide->sample_rate, 16000);
    EXPECT_EQ(wide->channels, 1);
    EXPECT_EQ(wide->samples.size(), 16000u);
    EXPECT_NEAR(static_cast<double>(zero_crossings(*wide)), 880.0, 6.0);

    const auto back = resample(*wide, 8000);
    ASSERT_TRUE(back.ok()) << back.error().message;
    EXPECT_EQ(back->sample_rate, 8000);
    EXPECT_EQ(back->samples.size(), 8000u);
    EXPECT_NEAR(static_cast<double>(zero_crossings(*back)), 880.0, 6.0);
    // Away from the edges (the filter's start-up), the round trip reproduces the tone closely.
    for (std::size_t i = 400; i < 7600; ++i) {
        ASSERT_NEAR(back->samples[i], narrow.samples[i], 300) << "sample " << i;
    }
}

TEST(Resample, NonIntegerRatio) {
    const auto out = resample(tone(44100, 1000, 0.5), 16000);
    ASSERT_TRUE(out.ok()) << out.error().message;
    EXPECT_EQ(out->samples.size(), 8000u);
    EXPECT_NEAR(static_cast<double>(zero_crossings(*out)), 1000.0, 6.0);
}

TEST(Resample, KeepsChannelsApart) {
    core::PcmAudio stereo = tone(8000, 300, 1.0, 0.5, 2);
    const core::PcmAudio right = tone(8000, 1000, 1.0);
    for (std::size_t i = 0; i < right.samples.size(); ++i) stereo.samples[i * 2 + 1] = right.samples[i];

    const auto out = resample(stereo, 16000);
    ASSERT_TRUE(out.ok()) << out.error().message;
    EXPECT_EQ(out->channels, 2);
    EXPECT_EQ(out->frames(), 16000u);
    EXPECT_NEAR(static_cast<double>(zero_crossings(*out, 0)), 600.0, 6.0);
    EXPECT_NEAR(static_cast<double>(zero_crossings(*out, 1)), 2000.0, 6.0);
}

TEST(Resample, SameRateIsACopy) {
    const core::PcmAudio audio = tone(16000, 500, 0.1);
    const auto out = resample(audio, 16000);
    ASSERT_TRUE(out.ok());
    EXPECT_EQ(out->samples, audio.samples);
}

TEST(Resample, SilenceStaysSilent) {
    const auto out = resample(testing::silence(8000, 0.5), 16000);
    ASSERT_TRUE(out.ok());
    for (const std::int16_t sample : out->samples) ASSERT_EQ(sample, 0);
}

TEST(Resample, EmptyAudioGivesEmptyAudioAtTheNewRate) {
    core::PcmAudio empty;
    empty.sample_rate = 8000;
    const auto out = resample(empty, 16000);
    ASSERT_TRUE(out.ok());
    EXPECT_TRUE(out->samples.empty());
    EXPECT_EQ(out->sample_rate, 16000);
}

TEST(Resample, RefusesRatesOutOfRange) {
    for (const int rate : {0, -8000, 999, 192001}) {
        const auto out = resample(tone(8000, 440, 0.1), rate);
        ASSERT_FALSE(out.ok()) << rate;
        EXPECT_EQ(out.error().code, core::ErrorCode::kValidation);
        EXPECT_NE(out.error().message.find(std::to_string(rate)), std::string::npos) << out.error().message;
    }
    core::PcmAudio bad_source = tone(8000, 440, 0.1);
    bad_source.sample_rate = 0;
    EXPECT_FALSE(resample(bad_source, 16000).ok());
}

}  // namespace
}  // namespace crossvoice::speech
