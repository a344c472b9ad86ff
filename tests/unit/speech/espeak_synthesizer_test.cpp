#include "speech/espeak_synthesizer.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <thread>
#include <vector>

namespace crossvoice::speech {
namespace {

constexpr std::string_view kShort = "Hello there.";
constexpr std::string_view kLong =
    "Hello there. This sentence is a good deal longer than the first one, so it should take several times "
    "as long to say out loud, even for a fast synthetic voice.";

std::uint32_t u32(const std::string& bytes, std::size_t at) {
    std::uint32_t value = 0;
    for (std::size_t i = 0; i < 4; ++i) value |= std::uint32_t{static_cast<unsigned char>(bytes[at + i])} << (8 * i);
    return value;
}

std::uint16_t u16(const std::string& bytes, std::size_t at) {
    return static_cast<std::uint16_t>(static_cast<unsigned char>(bytes[at]) |
                                      (static_cast<unsigned char>(bytes[at + 1]) << 8));
}

// A parsed canonical WAV; `error` says what is wrong with it, if anything.
struct Wav {
    std::string error;
    std::uint16_t format = 0;
    std::uint16_t channels = 0;
    std::uint32_t sample_rate = 0;
    std::uint32_t byte_rate = 0;
    std::uint16_t block_align = 0;
    std::uint16_t bits = 0;
    std::vector<std::int16_t> samples;

    double seconds() const { return sample_rate == 0 ? 0 : static_cast<double>(samples.size()) / sample_rate; }
};

Wav invalid(std::string why) {
    Wav wav;
    wav.error = std::move(why);
    return wav;
}

Wav parse_wav(const std::string& file) {
    Wav wav;
    if (file.size() < 44) return invalid("shorter than a WAV header");
    if (file.compare(0, 4, "RIFF") != 0 || file.compare(8, 4, "WAVE") != 0) return invalid("not RIFF/WAVE");
    if (u32(file, 4) != file.size() - 8) return invalid("RIFF size does not match the file");
    if (file.compare(12, 4, "fmt ") != 0 || u32(file, 16) != 16) return invalid("no 16-byte fmt chunk first");
    wav.format = u16(file, 20);
    wav.channels = u16(file, 22);
    wav.sample_rate = u32(file, 24);
    wav.byte_rate = u32(file, 28);
    wav.block_align = u16(file, 32);
    wav.bits = u16(file, 34);
    if (file.compare(36, 4, "data") != 0) return invalid("no data chunk after fmt");
    const std::uint32_t data_bytes = u32(file, 40);
    if (data_bytes != file.size() - 44) return invalid("data size does not match the file");
    if (data_bytes % 2 != 0) return invalid("odd data size for 16-bit samples");
    for (std::size_t at = 44; at < file.size(); at += 2)
        wav.samples.push_back(static_cast<std::int16_t>(u16(file, at)));
    return wav;
}

class EspeakSynthesizerTest : public ::testing::Test {
  protected:
    void SetUp() override {
        auto made = EspeakSynthesizer::create();
        ASSERT_TRUE(made.ok()) << made.error().message;
        synth_ = std::move(made).value();
    }

    Wav speak(std::string_view text, std::string_view language = "en-US") {
        const auto file = synth_->synthesize_wav(text, language);
        if (!file.ok()) return invalid("synthesis failed: " + file.error().message);
        return parse_wav(*file);
    }

    std::unique_ptr<EspeakSynthesizer> synth_;
};

TEST_F(EspeakSynthesizerTest, ASentenceBecomesAValidAudibleWav) {
    const Wav wav = speak(kShort);
    ASSERT_EQ(wav.error, "");
    EXPECT_EQ(wav.format, 1) << "PCM";
    EXPECT_EQ(wav.channels, 1);
    EXPECT_EQ(wav.sample_rate, static_cast<std::uint32_t>(synth_->sample_rate()));
    EXPECT_EQ(wav.sample_rate, 22'050U) << "espeak-ng's usual rate";
    EXPECT_EQ(wav.bits, 16);
    EXPECT_EQ(wav.block_align, 2);
    EXPECT_EQ(wav.byte_rate, wav.sample_rate * 2);

    // "Hello there." takes most of a second to say; a broken callback gives nothing or a fragment.
    EXPECT_GT(wav.seconds(), 0.3);
    EXPECT_LT(wav.seconds(), 5.0);
    int peak = 0;
    double energy = 0;
    for (const std::int16_t sample : wav.samples) {
        peak = std::max(peak, std::abs(int{sample}));
        energy += static_cast<double>(sample) * sample;
    }
    const double rms = std::sqrt(energy / static_cast<double>(wav.samples.size()));
    EXPECT_GT(peak, 2'000) << "speech, not silence";
    EXPECT_GT(rms, 200.0);
}

TEST_F(EspeakSynthesizerTest, DurationGrowsWithTheText) {
    const Wav short_wav = speak(kShort);
    const Wav long_wav = speak(kLong);
    ASSERT_EQ(short_wav.error, "");
    ASSERT_EQ(long_wav.error, "");
    // About 12 times the words; allow generous slack for pauses and pacing.
    EXPECT_GT(long_wav.seconds(), 4.0 * short_wav.seconds());
    EXPECT_LT(long_wav.seconds(), 30.0 * short_wav.seconds());
}

TEST_F(EspeakSynthesizerTest, ConcurrentCallersEachGetTheirOwnAudio) {
    // Output varies by a few samples from run to run, so compare lengths with the serial baseline: if the
    // engine's global state were shared unguarded, samples would land in the wrong call's buffer or be lost.
    const double short_seconds = speak(kShort).seconds();
    const double long_seconds = speak(kLong).seconds();
    ASSERT_GT(short_seconds, 0);
    ASSERT_GT(long_seconds, 0);

    constexpr int kRounds = 3;
    std::vector<Wav> shorts(kRounds);
    std::vector<Wav> longs(kRounds);
    std::thread a([&] {
        for (auto& wav : shorts) wav = speak(kShort, "en-US");
    });
    std::thread b([&] {
        for (auto& wav : longs) wav = speak(kLong, "en");
    });
    a.join();
    b.join();
    for (int i = 0; i < kRounds; ++i) {
        ASSERT_EQ(shorts[i].error, "");
        ASSERT_EQ(longs[i].error, "");
        EXPECT_NEAR(shorts[i].seconds(), short_seconds, 0.1 * short_seconds) << "round " << i;
        EXPECT_NEAR(longs[i].seconds(), long_seconds, 0.1 * long_seconds) << "round " << i;
    }
}

TEST_F(EspeakSynthesizerTest, EmptyOrBlankTextIsRefused) {
    for (const std::string_view text : {std::string_view(""), std::string_view("  \n\t ")}) {
        const auto result = synth_->synthesize_wav(text, "en-US");
        ASSERT_FALSE(result.ok());
        EXPECT_EQ(result.error().code, core::ErrorCode::kValidation);
    }
}

TEST_F(EspeakSynthesizerTest, OverlongTextIsRefused) {
    const std::string text(EspeakOptions{}.max_text_bytes + 1, 'a');
    const auto result = synth_->synthesize_wav(text, "en-US");
    ASSERT_FALSE(result.ok());
    EXPECT_EQ(result.error().code, core::ErrorCode::kValidation);
}

TEST_F(EspeakSynthesizerTest, LanguagesMapToEspeakVoices) {
    EXPECT_EQ(synth_->voice_for("en-US"), "en-us");
    EXPECT_EQ(synth_->voice_for("en_US"), "en-us");
    EXPECT_EQ(synth_->voice_for("es"), "es");
    EXPECT_EQ(synth_->voice_for("es-MX"), "es") << "no Mexican voice: the language's own";
    EXPECT_EQ(synth_->voice_for("pt-BR"), "pt-br");
    EXPECT_EQ(synth_->voice_for("fr"), "fr");
    EXPECT_EQ(synth_->voice_for("xq"), "en") << "unknown language";
    EXPECT_EQ(synth_->voice_for("../../etc/passwd"), "en") << "never a path";
    EXPECT_EQ(synth_->voice_for(""), "en");
}

TEST_F(EspeakSynthesizerTest, AnUnknownLanguageStillSpeaks) {
    const Wav wav = speak(kShort, "zz-ZZ");
    ASSERT_EQ(wav.error, "");
    EXPECT_GT(wav.seconds(), 0.3);
}

TEST(VoiceCandidates, MostSpecificFirstThenEnglish) {
    EXPECT_EQ(voice_candidates("en-US"), (std::vector<std::string>{"en-us", "en"}));
    EXPECT_EQ(voice_candidates("es-419"), (std::vector<std::string>{"es-419", "es", "en"}));
    EXPECT_EQ(voice_candidates("DE"), (std::vector<std::string>{"de", "en"}));
    EXPECT_EQ(voice_candidates("en/../x"), std::vector<std::string>{"en"});
    EXPECT_EQ(voice_candidates("e"), std::vector<std::string>{"en"});
    EXPECT_EQ(voice_candidates(std::string(40, 'a')), std::vector<std::string>{"en"});
}

}  // namespace
}  // namespace crossvoice::speech
