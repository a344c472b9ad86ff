#include "speech/voice_activity.hpp"

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "audio_fixtures.hpp"
#include "speech/espeak_synthesizer.hpp"
#include "speech/g711.hpp"

namespace crossvoice::speech {
namespace {

using testing::append;
using testing::silence;
using testing::tone;
using testing::white_noise;

constexpr double kTolerance = 0.060;  // seconds

// silence, tone, silence, tone, silence: 0.5 s, 0.6 s, 0.8 s, 0.4 s, 0.5 s → speech at 0.5–1.1 and 1.9–2.3.
core::PcmAudio two_bursts(int rate) {
    core::PcmAudio audio = silence(rate, 0.5);
    append(audio, tone(rate, 300, 0.6, 0.3));
    append(audio, silence(rate, 0.8));
    append(audio, tone(rate, 700, 0.4, 0.3));
    append(audio, silence(rate, 0.5));
    return audio;
}

double covered(const std::vector<SpeechRegion>& regions) {
    double total = 0;
    for (const SpeechRegion& region : regions) total += region.end - region.start;
    return total;
}

// Mixes `noise` into `audio` sample by sample (same length and rate).
core::PcmAudio with_noise(core::PcmAudio audio, const core::PcmAudio& noise) {
    for (std::size_t i = 0; i < audio.samples.size() && i < noise.samples.size(); ++i) {
        audio.samples[i] = static_cast<std::int16_t>(audio.samples[i] + noise.samples[i]);
    }
    return audio;
}

// What a telephone line does to audio: 8 kHz, through μ-law and back.
core::PcmAudio through_mulaw(core::PcmAudio audio) {
    std::vector<int> decoded;
    for (int code = 0; code < 256; ++code) decoded.push_back(mulaw_to_linear(static_cast<std::uint8_t>(code)));
    for (std::int16_t& sample : audio.samples) {
        // Encode by picking the nearest code: slow but plainly right, and the test audio is short.
        std::size_t best = 0;
        for (std::size_t code = 1; code < decoded.size(); ++code) {
            if (std::abs(decoded[code] - sample) < std::abs(decoded[best] - sample)) best = code;
        }
        sample = static_cast<std::int16_t>(decoded[best]);
    }
    return audio;
}

TEST(FindSpeech, ToneBurstsBetweenSilenceWithoutPadding) {
    VoiceActivityOptions options;
    options.padding_ms = 0;
    const auto regions = find_speech(two_bursts(16000), options);
    ASSERT_EQ(regions.size(), 2u);
    EXPECT_NEAR(regions[0].start, 0.5, kTolerance);
    EXPECT_NEAR(regions[0].end, 1.1, kTolerance);
    EXPECT_NEAR(regions[1].start, 1.9, kTolerance);
    EXPECT_NEAR(regions[1].end, 2.3, kTolerance);
}

TEST(FindSpeech, DefaultPaddingWidensEachRegion) {
    const auto regions = find_speech(two_bursts(16000));
    ASSERT_EQ(regions.size(), 2u);
    EXPECT_NEAR(regions[0].start, 0.4, kTolerance);
    EXPECT_NEAR(regions[0].end, 1.2, kTolerance);
    EXPECT_NEAR(regions[1].start, 1.8, kTolerance);
    EXPECT_NEAR(regions[1].end, 2.4, kTolerance);
}

// A telephone call: 8 kHz, a constant hiss under everything, μ-law on the line.
TEST(FindSpeech, ToneBurstsOnANoisyTelephoneLine) {
    core::PcmAudio line = through_mulaw(with_noise(two_bursts(8000), white_noise(8000, 2.8, 150)));
    VoiceActivityOptions options;
    options.padding_ms = 0;
    const auto regions = find_speech(line, options);
    ASSERT_EQ(regions.size(), 2u);
    EXPECT_NEAR(regions[0].start, 0.5, kTolerance);
    EXPECT_NEAR(regions[0].end, 1.1, kTolerance);
    EXPECT_NEAR(regions[1].start, 1.9, kTolerance);
    EXPECT_NEAR(regions[1].end, 2.3, kTolerance);
}

// The floor starts from the quiet parts of the whole recording, so speech in the very first frame counts.
TEST(FindSpeech, SpeechFromTheFirstSample) {
    core::PcmAudio audio = tone(16000, 400, 0.5, 0.3);
    append(audio, silence(16000, 1.0));
    VoiceActivityOptions options;
    options.padding_ms = 0;
    const auto regions = find_speech(audio, options);
    ASSERT_EQ(regions.size(), 1u);
    EXPECT_NEAR(regions[0].start, 0.0, kTolerance);
    EXPECT_NEAR(regions[0].end, 0.5, kTolerance);
}

TEST(FindSpeech, ShortGapIsBridgedLongGapIsNot) {
    core::PcmAudio audio = silence(16000, 0.3);
    append(audio, tone(16000, 300, 0.3, 0.3));
    append(audio, silence(16000, 0.15));  // shorter than the 300 ms hangover
    append(audio, tone(16000, 300, 0.3, 0.3));
    append(audio, silence(16000, 0.3));
    VoiceActivityOptions options;
    options.padding_ms = 0;
    auto regions = find_speech(audio, options);
    ASSERT_EQ(regions.size(), 1u);
    EXPECT_NEAR(regions[0].start, 0.3, kTolerance);
    EXPECT_NEAR(regions[0].end, 1.05, kTolerance);

    options.hangover_ms = 100;
    regions = find_speech(audio, options);
    EXPECT_EQ(regions.size(), 2u);
}

TEST(FindSpeech, ClickIsNotSpeech) {
    core::PcmAudio audio = silence(16000, 0.5);
    append(audio, tone(16000, 1000, 0.04, 0.8));  // 40 ms, under min_speech_ms
    append(audio, silence(16000, 0.5));
    EXPECT_TRUE(find_speech(audio).empty());

    VoiceActivityOptions options;
    options.min_speech_ms = 20;
    EXPECT_EQ(find_speech(audio, options).size(), 1u);
}

TEST(FindSpeech, NothingInDigitalSilence) {
    EXPECT_TRUE(find_speech(silence(16000, 3.0)).empty());
    EXPECT_TRUE(find_speech(silence(8000, 3.0)).empty());
    EXPECT_TRUE(find_speech(core::PcmAudio{}).empty());
}

TEST(FindSpeech, NothingInLowWhiteNoise) {
    EXPECT_TRUE(find_speech(white_noise(16000, 3.0, 300)).empty());
    EXPECT_TRUE(find_speech(through_mulaw(white_noise(8000, 3.0, 100))).empty());
    EXPECT_TRUE(find_speech(white_noise(8000, 3.0, 2)).empty());  // dither
}

TEST(FindSpeech, StereoIsMixedFirst) {
    core::PcmAudio stereo = two_bursts(16000);
    core::PcmAudio doubled;
    doubled.sample_rate = 16000;
    doubled.channels = 2;
    for (const std::int16_t sample : stereo.samples) {
        doubled.samples.push_back(sample);
        doubled.samples.push_back(sample);
    }
    EXPECT_EQ(find_speech(doubled).size(), 2u);
}

TEST(FindSpeech, RecordedSpeechIsMostlyCovered) {
    const std::filesystem::path folder = "/usr/share/pocketsphinx/test/data/librivox";
    int files = 0;
    for (const auto& entry : std::filesystem::directory_iterator(folder)) {
        if (entry.path().extension() != ".wav") continue;
        std::ifstream in(entry.path(), std::ios::binary);
        const std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
        const auto audio = core::parse_wav(bytes);
        ASSERT_TRUE(audio.has_value()) << entry.path();
        const double duration = static_cast<double>(audio->frames()) / audio->sample_rate;
        const auto regions = find_speech(*audio);
        ASSERT_FALSE(regions.empty()) << entry.path();
        EXPECT_GT(covered(regions), 0.7 * duration) << entry.path();
        // Each file opens with a quarter second of room tone before the reader starts.
        EXPECT_GT(regions.front().start, 0.05) << entry.path();
        for (std::size_t i = 0; i < regions.size(); ++i) {
            EXPECT_LT(regions[i].start, regions[i].end);
            EXPECT_GE(regions[i].start, 0.0);
            EXPECT_LE(regions[i].end, duration + 1e-9);
            if (i > 0) {
                EXPECT_GT(regions[i].start, regions[i - 1].end);
            }
        }
        ++files;
    }
    EXPECT_GE(files, 1) << "package pocketsphinx-testdata is missing";
}

TEST(FindSpeech, SynthesisedSpeechBetweenSilences) {
    auto synthesizer = EspeakSynthesizer::create();
    ASSERT_TRUE(synthesizer.ok()) << synthesizer.error().message;
    const auto wav = (*synthesizer)->synthesize_wav("Hello there. Your appointment is on Tuesday at nine.", "en-US");
    ASSERT_TRUE(wav.ok()) << wav.error().message;
    const auto speech = core::parse_wav(*wav);
    ASSERT_TRUE(speech.has_value());
    const int rate = speech->sample_rate;
    core::PcmAudio audio = silence(rate, 1.0);
    append(audio, *speech);
    append(audio, silence(rate, 1.0));
    const double speech_seconds = static_cast<double>(speech->frames()) / rate;

    const auto regions = find_speech(audio);
    ASSERT_FALSE(regions.empty());
    EXPECT_GT(regions.front().start, 0.7);
    EXPECT_LT(regions.back().end, 1.0 + speech_seconds + 0.3);
    EXPECT_GT(covered(regions), 0.6 * speech_seconds);
}

}  // namespace
}  // namespace crossvoice::speech
