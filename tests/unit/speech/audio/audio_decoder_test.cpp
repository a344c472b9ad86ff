#include "speech/audio_decoder.hpp"

#include <gtest/gtest.h>
#include <sndfile.h>

#include <cstdint>
#include <cstdlib>
#include <random>
#include <string>
#include <vector>

#include "audio_fixtures.hpp"
#include "core/wav.hpp"
#include "speech/g711.hpp"

namespace crossvoice::speech {
namespace {

using core::ErrorCode;
using core::ports::DecodeLimits;
using core::ports::RawAudioFormat;
using core::ports::RawEncoding;
using testing::tone;
using testing::write_with_sndfile;
using testing::zero_crossings;

const SndfileAudioDecoder kDecoder;

core::Result<core::ports::DecodedAudio> decode(std::string_view bytes, DecodeLimits limits = {}) {
    return kDecoder.decode(bytes, std::nullopt, limits);
}

core::Result<core::ports::DecodedAudio> decode_raw(std::string_view bytes, RawAudioFormat format,
                                                   DecodeLimits limits = {}) {
    return kDecoder.decode(bytes, format, limits);
}

bool mentions(const core::Error& error, std::string_view text) { return error.message.find(text) != std::string::npos; }

// Expects `result` to have failed with `code` and a message containing every one of `words`.
template <typename T>
void expect_error(const core::Result<T>& result, ErrorCode code, std::initializer_list<std::string_view> words) {
    ASSERT_FALSE(result.ok()) << "decoded although it should not have";
    EXPECT_EQ(result.error().code, code) << result.error().message;
    for (const std::string_view word : words) EXPECT_TRUE(mentions(result.error(), word)) << result.error().message;
}

// ---- Files we read -----------------------------------------------------------------------------------

TEST(DecodeAudio, WavPcm16IsReadExactly) {
    const core::PcmAudio audio = tone(16000, 440, 0.5);
    const auto decoded = decode(core::write_wav(audio));
    ASSERT_TRUE(decoded.ok()) << decoded.error().message;
    EXPECT_EQ(decoded->container, "wav");
    EXPECT_EQ(decoded->content_type, "audio/wav");
    EXPECT_EQ(decoded->pcm.sample_rate, 16000);
    EXPECT_EQ(decoded->pcm.channels, 1);
    EXPECT_EQ(decoded->pcm.samples, audio.samples);
    EXPECT_DOUBLE_EQ(decoded->duration, 0.5);
}

TEST(DecodeAudio, StereoWavKeepsItsChannels) {
    const core::PcmAudio audio = tone(8000, 300, 0.25, 0.4, 2);
    const auto decoded = decode(core::write_wav(audio));
    ASSERT_TRUE(decoded.ok()) << decoded.error().message;
    EXPECT_EQ(decoded->pcm.channels, 2);
    EXPECT_EQ(decoded->pcm.samples, audio.samples);
}

// Carrier recordings are often WAV files holding G.711 rather than linear PCM.
TEST(DecodeAudio, WavHoldingMulawOrAlaw) {
    const core::PcmAudio audio = tone(8000, 440, 0.5);
    for (const int subtype : {SF_FORMAT_ULAW, SF_FORMAT_ALAW}) {
        const auto file = write_with_sndfile(audio, SF_FORMAT_WAV | subtype);
        ASSERT_TRUE(file.has_value());
        const auto decoded = decode(*file);
        ASSERT_TRUE(decoded.ok()) << decoded.error().message;
        EXPECT_EQ(decoded->container, "wav");
        EXPECT_EQ(decoded->pcm.sample_rate, 8000);
        ASSERT_EQ(decoded->pcm.samples.size(), audio.samples.size());
        // G.711 keeps about 3% of relative precision (plus a small step near zero).
        for (std::size_t i = 0; i < audio.samples.size(); ++i) {
            ASSERT_NEAR(decoded->pcm.samples[i], audio.samples[i], 0.04 * std::abs(audio.samples[i]) + 16)
                << "sample " << i << " of subtype " << subtype;
        }
    }
}

TEST(DecodeAudio, FlacIsLossless) {
    const core::PcmAudio audio = tone(22050, 523, 0.4, 0.6, 2);
    const auto file = write_with_sndfile(audio, SF_FORMAT_FLAC | SF_FORMAT_PCM_16);
    ASSERT_TRUE(file.has_value());
    ASSERT_EQ(file->substr(0, 4), "fLaC");
    const auto decoded = decode(*file);
    ASSERT_TRUE(decoded.ok()) << decoded.error().message;
    EXPECT_EQ(decoded->container, "flac");
    EXPECT_EQ(decoded->content_type, "audio/flac");
    EXPECT_EQ(decoded->pcm.sample_rate, 22050);
    EXPECT_EQ(decoded->pcm.channels, 2);
    EXPECT_EQ(decoded->pcm.samples, audio.samples);
}

TEST(DecodeAudio, OggVorbisKeepsTheTone) {
    const core::PcmAudio audio = tone(16000, 440, 1.0);
    const auto file = write_with_sndfile(audio, SF_FORMAT_OGG | SF_FORMAT_VORBIS);
    ASSERT_TRUE(file.has_value());
    const auto decoded = decode(*file);
    ASSERT_TRUE(decoded.ok()) << decoded.error().message;
    EXPECT_EQ(decoded->container, "ogg");
    EXPECT_EQ(decoded->content_type, "audio/ogg");
    EXPECT_EQ(decoded->pcm.sample_rate, 16000);
    EXPECT_NEAR(decoded->duration, 1.0, 0.01);
    EXPECT_NEAR(static_cast<double>(zero_crossings(decoded->pcm)), 880.0, 10.0);
}

TEST(DecodeAudio, OggOpusDecodesAt48k) {
    if (!testing::can_write(SF_FORMAT_OGG | SF_FORMAT_OPUS, 48000, 1)) GTEST_SKIP() << "libsndfile cannot write Opus";
    const auto file = write_with_sndfile(tone(48000, 440, 1.0), SF_FORMAT_OGG | SF_FORMAT_OPUS);
    ASSERT_TRUE(file.has_value());
    const auto decoded = decode(*file);
    ASSERT_TRUE(decoded.ok()) << decoded.error().message;
    EXPECT_EQ(decoded->container, "ogg");
    EXPECT_EQ(decoded->pcm.sample_rate, 48000);
    EXPECT_NEAR(static_cast<double>(zero_crossings(decoded->pcm)) / decoded->duration, 880.0, 15.0);
}

TEST(DecodeAudio, Mp3KeepsTheTone) {
    if (!testing::can_write(SF_FORMAT_MPEG | SF_FORMAT_MPEG_LAYER_III, 16000, 1)) {
        GTEST_SKIP() << "this libsndfile cannot write MP3 (no LAME)";
    }
    const auto file = write_with_sndfile(tone(16000, 440, 1.0), SF_FORMAT_MPEG | SF_FORMAT_MPEG_LAYER_III);
    ASSERT_TRUE(file.has_value());
    const auto decoded = decode(*file);
    ASSERT_TRUE(decoded.ok()) << decoded.error().message;
    EXPECT_EQ(decoded->container, "mp3");
    EXPECT_EQ(decoded->content_type, "audio/mpeg");
    EXPECT_EQ(decoded->pcm.sample_rate, 16000);
    EXPECT_NEAR(decoded->duration, 1.0, 0.1);  // encoder padding
    EXPECT_NEAR(static_cast<double>(zero_crossings(decoded->pcm)) / decoded->duration, 880.0, 30.0);
}

// ---- Headerless audio ---------------------------------------------------------------------------------

TEST(DecodeRawAudio, MulawAndAlawUseG711) {
    std::string bytes;
    for (int code = 0; code < 256; ++code) bytes.push_back(static_cast<char>(code));
    const auto mulaw = decode_raw(bytes, {RawEncoding::kMulaw, 8000, 1});
    ASSERT_TRUE(mulaw.ok()) << mulaw.error().message;
    EXPECT_EQ(mulaw->container, "raw");
    EXPECT_EQ(mulaw->content_type, "audio/PCMU");
    const auto alaw = decode_raw(bytes, {RawEncoding::kAlaw, 8000, 2});
    ASSERT_TRUE(alaw.ok()) << alaw.error().message;
    EXPECT_EQ(alaw->content_type, "audio/PCMA");
    EXPECT_EQ(alaw->pcm.channels, 2);
    ASSERT_EQ(mulaw->pcm.samples.size(), 256u);
    ASSERT_EQ(alaw->pcm.samples.size(), 256u);
    for (int code = 0; code < 256; ++code) {
        EXPECT_EQ(mulaw->pcm.samples[static_cast<std::size_t>(code)], mulaw_to_linear(static_cast<std::uint8_t>(code)));
        EXPECT_EQ(alaw->pcm.samples[static_cast<std::size_t>(code)], alaw_to_linear(static_cast<std::uint8_t>(code)));
    }
    EXPECT_DOUBLE_EQ(mulaw->duration, 256.0 / 8000);
    EXPECT_DOUBLE_EQ(alaw->duration, 128.0 / 8000);
}

TEST(DecodeRawAudio, Linear16IsLittleEndian) {
    const std::string bytes("\x01\x00\xff\xff\x00\x80\xff\x7f\x34\x12", 10);
    const auto decoded = decode_raw(bytes, {RawEncoding::kLinear16, 16000, 1});
    ASSERT_TRUE(decoded.ok()) << decoded.error().message;
    EXPECT_EQ(decoded->content_type, "audio/L16");
    EXPECT_EQ(decoded->pcm.sample_rate, 16000);
    EXPECT_EQ(decoded->pcm.samples, (std::vector<std::int16_t>{1, -1, -32768, 32767, 0x1234}));
}

TEST(DecodeRawAudio, OddByteCountForPcm16) {
    expect_error(decode_raw("\x01\x02\x03", {RawEncoding::kLinear16, 8000, 1}), ErrorCode::kUnprocessable,
                 {"odd number of bytes", "3"});
}

TEST(DecodeRawAudio, IncompleteFrame) {
    expect_error(decode_raw("abc", {RawEncoding::kMulaw, 8000, 2}), ErrorCode::kUnprocessable,
                 {"3 samples", "2-channel"});
    expect_error(decode_raw("abcdef", {RawEncoding::kLinear16, 8000, 2}), ErrorCode::kUnprocessable,
                 {"3 samples", "2-channel"});
}

TEST(DecodeRawAudio, FormatOutOfRange) {
    expect_error(decode_raw("abcd", {RawEncoding::kMulaw, 3999, 1}), ErrorCode::kValidation, {"sample rate", "3999"});
    expect_error(decode_raw("abcd", {RawEncoding::kMulaw, 192001, 1}), ErrorCode::kValidation, {"192001"});
    expect_error(decode_raw("abcd", {RawEncoding::kAlaw, 8000, 0}), ErrorCode::kValidation, {"channels", "0"});
    expect_error(decode_raw("abcdefghi", {RawEncoding::kAlaw, 8000, 9}), ErrorCode::kValidation, {"channels", "9"});
}

TEST(DecodeRawAudio, TooLong) {
    const std::string bytes(16000, '\xff');  // 2 s of μ-law silence
    expect_error(decode_raw(bytes, {RawEncoding::kMulaw, 8000, 1}, DecodeLimits{1.5}), ErrorCode::kPayloadTooLarge,
                 {"2.0 s", "1.5 s"});
    EXPECT_TRUE(decode_raw(bytes, {RawEncoding::kMulaw, 8000, 1}, DecodeLimits{2.0}).ok());
}

// ---- What we refuse -----------------------------------------------------------------------------------

TEST(DecodeAudio, EmptyBytes) {
    expect_error(decode(""), ErrorCode::kUnprocessable, {"audio is empty"});
    expect_error(decode_raw("", {}), ErrorCode::kUnprocessable, {"audio is empty"});
}

TEST(DecodeAudio, NotAudioSaysWhatItLooksLike) {
    struct Case {
        std::string bytes;
        std::string_view named;
        std::string_view kind;
    };
    const std::vector<Case> cases = {
        {"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", "PDF", "pdf"},
        {"\n  <!DOCTYPE html><html><body>Not found</body></html>", "HTML", "html"},
        {"<html><head>", "HTML", "html"},
        {R"({"error":"expired link"})", "JSON", "json"},
        {"\x89PNG\r\n\x1a\n....", "PNG", "png"},
        {std::string("PK\x03\x04\x14\x00", 6), "ZIP", "zip"},
        {std::string("\x00\x00\x00\x20"
                     "ftypM4A ",
                     12),
         "MP4", "mp4"},
        {std::string("FORM\x00\x00\x10\x00"
                     "AIFFCOMM",
                     16),
         "AIFF", "aiff"},
        {std::string("RIFF\x10\x00\x00\x00"
                     "AVI LIST",
                     16),
         "RIFF", "riff"},
        {"hello, this is plain text", "unknown", "unknown"},
        {"x", "unknown", "unknown"},
    };
    for (const Case& each : cases) {
        const auto result = decode(each.bytes);
        ASSERT_FALSE(result.ok()) << each.bytes;
        EXPECT_EQ(result.error().code, ErrorCode::kUnsupportedMediaType) << each.bytes;
        EXPECT_TRUE(mentions(result.error(), "not an audio file we read")) << result.error().message;
        EXPECT_TRUE(mentions(result.error(), each.named)) << result.error().message;
        bool kind_found = false;
        for (const auto& [key, value] : result.error().details) kind_found |= key == "detected" && value == each.kind;
        EXPECT_TRUE(kind_found) << each.bytes;
    }
}

TEST(DecodeAudio, RecognisedButCorruptNamesTheContainer) {
    const std::string flac = *write_with_sndfile(tone(8000, 440, 0.5), SF_FORMAT_FLAC | SF_FORMAT_PCM_16);
    const std::string ogg = *write_with_sndfile(tone(8000, 440, 0.5), SF_FORMAT_OGG | SF_FORMAT_VORBIS);
    struct Case {
        std::string bytes;
        std::string_view named;
    };
    const std::vector<Case> cases = {
        {std::string("RIFF\x24\x00\x00\x00WAVEjunk and more junk here", 35), "WAV"},
        {flac.substr(0, 30), "FLAC"},
        {"fLaC" + std::string(60, '\x7f'), "FLAC"},
        {ogg.substr(0, 40), "Ogg"},
        {"OggS" + std::string(100, '\0'), "Ogg"},
        {std::string("ID3\x03\x00\x00\x00\x00\x00\x00", 10) + std::string(50, 'z'), "MP3"},
        {std::string("\xff\xfb\x90\x64", 4) + std::string(20, '\0'), "MP3"},  // one truncated MP3 frame
    };
    for (const Case& each : cases) {
        const auto result = decode(each.bytes);
        ASSERT_FALSE(result.ok()) << each.named;
        EXPECT_EQ(result.error().code, ErrorCode::kUnprocessable) << result.error().message;
        EXPECT_TRUE(mentions(result.error(), each.named)) << result.error().message;
    }
}

TEST(DecodeAudio, WavWithoutSamples) {
    core::PcmAudio empty;
    empty.sample_rate = 8000;
    expect_error(decode(core::write_wav(empty)), ErrorCode::kUnprocessable, {"WAV"});
}

TEST(DecodeAudio, TooManyChannels) {
    core::PcmAudio nine = tone(8000, 440, 0.1);
    nine.samples.resize(9 * 100);
    nine.channels = 9;
    expect_error(decode(core::write_wav(nine)), ErrorCode::kUnprocessable, {"9 channels"});
}

TEST(DecodeAudio, SampleRateOutOfRange) {
    core::PcmAudio slow = tone(2000, 100, 0.5);
    expect_error(decode(core::write_wav(slow)), ErrorCode::kUnprocessable, {"2000 Hz"});
}

TEST(DecodeAudio, TooLongNamesBothDurations) {
    const std::string wav = core::write_wav(tone(8000, 440, 2.0));
    expect_error(decode(wav, DecodeLimits{1.0}), ErrorCode::kPayloadTooLarge, {"2.0 s", "1.0 s"});
    EXPECT_TRUE(decode(wav, DecodeLimits{2.0}).ok());
}

// A FLAC header declaring ten hours is refused from the header: the message names the declared length,
// which decoding the one second of actual audio could never have found.
TEST(DecodeAudio, TooLongIsRefusedFromTheDeclaredLength) {
    std::string flac = *write_with_sndfile(tone(8000, 440, 1.0), SF_FORMAT_FLAC | SF_FORMAT_PCM_16);
    ASSERT_EQ(flac.substr(0, 4), "fLaC");
    ASSERT_EQ(static_cast<unsigned char>(flac[4]) & 0x7F, 0);  // STREAMINFO comes first
    // STREAMINFO's 36-bit total sample count: the low 4 bits of byte 21, then bytes 22..25.
    const std::uint64_t ten_hours = 10ULL * 3600 * 8000;
    flac[21] = static_cast<char>((static_cast<unsigned char>(flac[21]) & 0xF0) | ((ten_hours >> 32) & 0x0F));
    for (int i = 0; i < 4; ++i)
        flac[static_cast<std::size_t>(22 + i)] = static_cast<char>((ten_hours >> (24 - 8 * i)) & 0xFF);
    expect_error(decode(flac, DecodeLimits{4 * 3600.0}), ErrorCode::kPayloadTooLarge, {"36000.0 s", "14400.0 s"});
}

// A miniature fuzz run, so that the ordinary test suite also feeds the decoder hostile bytes: every magic
// prefix followed by random bytes, and random mutations of real files. Any result is fine; crashing is not.
TEST(DecodeAudio, SurvivesHostileBytes) {
    std::mt19937 random(7);
    std::uniform_int_distribution<int> byte(0, 255);
    const std::vector<std::string> seeds = {
        core::write_wav(tone(8000, 440, 0.05)),
        *write_with_sndfile(tone(8000, 440, 0.05), SF_FORMAT_WAV | SF_FORMAT_ULAW),
        *write_with_sndfile(tone(8000, 440, 0.05), SF_FORMAT_FLAC | SF_FORMAT_PCM_16),
        *write_with_sndfile(tone(8000, 440, 0.2), SF_FORMAT_OGG | SF_FORMAT_VORBIS),
        std::string("ID3\x03\x00\x00\x00\x00\x00\x10", 10),
        std::string("\xff\xfb\x90\x64", 4),
    };
    for (int round = 0; round < 300; ++round) {
        std::string bytes = seeds[static_cast<std::size_t>(round) % seeds.size()];
        const int mutations = 1 + round % 8;
        for (int i = 0; i < mutations && !bytes.empty(); ++i) {
            bytes[static_cast<std::size_t>(random()) % bytes.size()] = static_cast<char>(byte(random));
        }
        if (round % 3 == 0) bytes.resize(static_cast<std::size_t>(random()) % (bytes.size() + 1));
        for (int i = 0; i < round % 50; ++i) bytes.push_back(static_cast<char>(byte(random)));
        const auto result = decode(bytes, DecodeLimits{5.0});
        if (result.ok()) {
            EXPECT_GT(result->pcm.samples.size(), 0u);
            EXPECT_EQ(result->pcm.samples.size() % static_cast<std::size_t>(result->pcm.channels), 0u);
        }
    }
}

}  // namespace
}  // namespace crossvoice::speech
