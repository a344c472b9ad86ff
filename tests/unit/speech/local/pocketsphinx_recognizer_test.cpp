#include "speech/pocketsphinx_recognizer.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "speech/audio_decoder.hpp"
#include "speech/espeak_synthesizer.hpp"
#include "speech/resampler.hpp"
#include "test_audio.hpp"

namespace crossvoice::speech {
namespace {

using core::ports::SttRequest;
using test::kLibrivox;
using test::kTestData;

const std::vector<std::string> kGoForward = {"go", "forward", "ten", "meters"};
// librivox 0930, "he might even have been made amiable himself" (3.3 s). PocketSphinx 5prealpha with the en-US
// model hears "he might even have been made the amiable himself": 1 error in 8 words (bare PocketSphinx on the
// whole file hears the same). The bound allows one more error, not a broken pipeline.
const std::string kShortLibrivox = "sense_and_sensibility_01_austen_64kb-0930";
constexpr double kShortLibrivoxMaxWer = 0.3;

// Hints that make a grammar; the answers to a menu that goforward.raw ("go forward ten meters") is one of.
const std::vector<std::string> kGoForwardMenu = {"go back", "go forward ten meters", "operator"};

std::vector<std::string> words_of(const core::Transcript& transcript) {
    std::vector<std::string> words;
    for (const auto& word : transcript.words) words.push_back(word.word);
    return words;
}

// G.711 μ-law, the encoder side (the code under test only decodes): what a carrier's recording holds.
std::uint8_t linear_to_mulaw(std::int16_t sample) {
    constexpr int kBias = 0x84;
    constexpr int kClip = 32'635;
    int magnitude = sample;
    const int sign = magnitude < 0 ? 0x80 : 0;
    magnitude = std::min(magnitude < 0 ? -magnitude : magnitude, kClip) + kBias;
    int exponent = 7;
    for (int mask = 0x4000; (magnitude & mask) == 0 && exponent > 0; mask >>= 1) --exponent;
    const int mantissa = (magnitude >> (exponent + 3)) & 0x0F;
    return static_cast<std::uint8_t>(~(sign | (exponent << 4) | mantissa));
}

SttRequest decoded_request(core::PcmAudio audio) {
    SttRequest request;
    request.decoded = std::make_shared<const core::PcmAudio>(std::move(audio));
    return request;
}

class PocketsphinxRecognizerTest : public ::testing::Test {
  protected:
    // One model load for the whole suite: it is the slow part.
    static void SetUpTestSuite() {
        audio_decoder_ = new SndfileAudioDecoder;
        auto created = PocketsphinxRecognizer::create(*audio_decoder_);
        ASSERT_TRUE(created.ok()) << created.error().message;
        recognizer_ = std::move(created).value().release();
    }
    static void TearDownTestSuite() {
        delete recognizer_;
        delete audio_decoder_;
        recognizer_ = nullptr;
        audio_decoder_ = nullptr;
    }

    static core::PcmAudio go_forward() { return test::read_raw_16k(kTestData + "/goforward.raw"); }

    core::Transcript transcribe(const SttRequest& request) {
        auto result = recognizer_->transcribe(request);
        EXPECT_TRUE(result.ok()) << (result.ok() ? "" : result.error().message);
        return result.ok() ? std::move(result).value() : core::Transcript{};
    }

    static SndfileAudioDecoder* audio_decoder_;
    static PocketsphinxRecognizer* recognizer_;
};

SndfileAudioDecoder* PocketsphinxRecognizerTest::audio_decoder_ = nullptr;
PocketsphinxRecognizer* PocketsphinxRecognizerTest::recognizer_ = nullptr;

TEST_F(PocketsphinxRecognizerTest, RecognisesGoForwardFromDecodedPcm) {
    const core::PcmAudio audio = go_forward();
    ASSERT_GT(audio.samples.size(), 16'000U) << "pocketsphinx-testdata missing?";
    const auto transcript = transcribe(decoded_request(audio));

    EXPECT_EQ(words_of(transcript), kGoForward);
    EXPECT_EQ(transcript.text, "go forward ten meters");
    EXPECT_EQ(transcript.provider, "pocketsphinx");
    EXPECT_EQ(transcript.model, "en-us (cmusphinx)");
    EXPECT_EQ(transcript.language, "en-US");
    EXPECT_EQ(transcript.language_source, "engine");
    EXPECT_EQ(transcript.channels, 1);
    EXPECT_NEAR(transcript.duration, static_cast<double>(audio.samples.size()) / 16'000, 1e-9);
    EXPECT_GT(transcript.confidence, 0.0);
    EXPECT_LE(transcript.confidence, 1.0);
    for (const auto& word : transcript.words) {
        EXPECT_EQ(word.punctuated, word.word);
        EXPECT_EQ(word.channel, 0);
        EXPECT_GE(word.confidence, 0.0);
        EXPECT_LE(word.confidence, 1.0);
    }
    ASSERT_FALSE(transcript.utterances.empty());
    std::string utterance_text;
    for (const auto& utterance : transcript.utterances) {
        utterance_text += (utterance_text.empty() ? "" : " ") + utterance.text;
    }
    EXPECT_EQ(utterance_text, transcript.text);
}

TEST_F(PocketsphinxRecognizerTest, TranscribesAWavFileThroughTheAudioDecoder) {
    SttRequest request;
    request.audio = test::read_file(kLibrivox + "/" + kShortLibrivox + ".wav");
    request.content_type = "audio/wav";
    const auto transcript = transcribe(request);

    const auto reference = test::librivox_reference(kShortLibrivox);
    ASSERT_EQ(reference.size(), 8U);
    const double wer = test::word_error_rate(reference, words_of(transcript));
    EXPECT_LT(wer, kShortLibrivoxMaxWer) << "heard: " << transcript.text;
    EXPECT_GT(transcript.duration, 3.0);
    EXPECT_LT(transcript.duration, 3.6);

    // Times: in order, each word of positive length, all inside the audio, each inside its utterance.
    double previous_end = 0;
    for (const auto& word : transcript.words) {
        EXPECT_GE(word.start, previous_end - 1e-9) << word.word;
        EXPECT_GT(word.end, word.start) << word.word;
        EXPECT_LE(word.end, transcript.duration + 1e-9) << word.word;
        previous_end = word.end;
        bool inside = false;
        for (const auto& utterance : transcript.utterances) {
            inside = inside || (word.start >= utterance.start - 1e-9 && word.end <= utterance.end + 1e-9);
        }
        EXPECT_TRUE(inside) << word.word << " at " << word.start;
    }
    ASSERT_FALSE(transcript.words.empty());
    // The recording starts and ends with a little silence: the words are placed in it, not from 0.
    EXPECT_GT(transcript.words.front().start, 0.0);
}

TEST_F(PocketsphinxRecognizerTest, HintsDecodeWithAGrammarOfExactlyThosePhrases) {
    SttRequest request = decoded_request(go_forward());
    request.keywords = {"go back", "Go Forward  Ten Meters", "operator", "go back"};
    const auto transcript = transcribe(request);
    EXPECT_EQ(transcript.text, "go forward ten meters");
}

TEST_F(PocketsphinxRecognizerTest, AGrammarDoesNotLeakIntoTheNextRequest) {
    SttRequest hinted;
    hinted.audio = test::read_file(kLibrivox + "/" + kShortLibrivox + ".wav");
    hinted.keywords = {"go back", "operator"};
    const auto forced = transcribe(hinted);
    // The grammar only has these two answers: what was said comes out as one of them, or as nothing at all.
    EXPECT_TRUE(forced.text == "go back" || forced.text == "operator" || forced.text.empty()) << forced.text;

    SttRequest plain = hinted;
    plain.keywords.clear();
    const auto free_text = transcribe(plain);
    EXPECT_LT(test::word_error_rate(test::librivox_reference(kShortLibrivox), words_of(free_text)),
              kShortLibrivoxMaxWer)
        << free_text.text;
}

TEST_F(PocketsphinxRecognizerTest, HintsWithWordsOutsideTheDictionaryFallBackToTheLanguageModel) {
    SttRequest request = decoded_request(go_forward());
    request.keywords = {"qzxvkw", "frobnicate qzxvkw", "semi;colon"};
    EXPECT_EQ(words_of(transcribe(request)), kGoForward);

    // A hint with one unknown word is dropped; the known ones still make the grammar, which has no path for
    // "go forward ten meters" now (PocketSphinx gives no words when the audio reaches no end of the grammar).
    request.keywords = {"go forward ten meters qzxvkw", "go back", "operator"};
    const auto transcript = transcribe(request);
    EXPECT_TRUE(transcript.text == "go back" || transcript.text == "operator" || transcript.text.empty())
        << transcript.text;
}

TEST_F(PocketsphinxRecognizerTest, RecognisesASpokenMenuAnswerWithHints) {
    auto synthesizer = EspeakSynthesizer::create();
    ASSERT_TRUE(synthesizer.ok()) << synthesizer.error().message;
    const std::vector<std::string> menu = {"billing", "technical support", "operator", "yes", "no"};
    for (const std::string& answer : {std::string("billing"), std::string("technical support")}) {
        auto wav = (*synthesizer)->synthesize_wav(answer, "en-US");
        ASSERT_TRUE(wav.ok()) << wav.error().message;
        SttRequest request;
        request.audio = std::move(wav).value();
        request.content_type = "audio/wav";
        request.keywords = menu;
        EXPECT_EQ(transcribe(request).text, answer);
    }
}

TEST_F(PocketsphinxRecognizerTest, ReadsHeaderlessTelephoneAudioByItsContentType) {
    auto telephone = resample(go_forward(), 8'000);
    ASSERT_TRUE(telephone.ok());
    SttRequest request;
    for (const std::int16_t sample : telephone->samples)
        request.audio.push_back(static_cast<char>(linear_to_mulaw(sample)));
    request.content_type = "audio/basic";
    request.keywords = kGoForwardMenu;
    const auto transcript = transcribe(request);
    EXPECT_EQ(transcript.text, "go forward ten meters");
    EXPECT_NEAR(transcript.duration, static_cast<double>(telephone->samples.size()) / 8'000, 1e-9);
}

TEST_F(PocketsphinxRecognizerTest, RefusesAUrlOnlyRequest) {
    SttRequest request;
    request.url = "https://example.com/call.wav";
    const auto result = recognizer_->transcribe(request);
    ASSERT_FALSE(result.ok());
    EXPECT_EQ(result.error().code, core::ErrorCode::kValidation);
    EXPECT_NE(result.error().message.find("not a URL"), std::string::npos) << result.error().message;
}

TEST_F(PocketsphinxRecognizerTest, RefusesALanguageOtherThanEnglish) {
    SttRequest request = decoded_request(go_forward());
    request.language = "es";
    const auto result = recognizer_->transcribe(request);
    ASSERT_FALSE(result.ok());
    EXPECT_EQ(result.error().code, core::ErrorCode::kValidation);
    EXPECT_NE(result.error().message.find("only has en-US"), std::string::npos) << result.error().message;
    EXPECT_NE(result.error().message.find("DEEPGRAM_API_KEY"), std::string::npos);
    EXPECT_NE(result.error().message.find(" es"), std::string::npos);

    request.language = "en-GB";  // English in any variant is what the model has
    request.keywords = kGoForwardMenu;
    EXPECT_EQ(words_of(transcribe(request)), kGoForward);
}

TEST_F(PocketsphinxRecognizerTest, UnreadableAudioIsTheDecodersError) {
    SttRequest request;
    request.audio = "definitely not audio, just some text bytes";
    const auto result = recognizer_->transcribe(request);
    ASSERT_FALSE(result.ok());
    EXPECT_TRUE(result.error().code == core::ErrorCode::kUnsupportedMediaType ||
                result.error().code == core::ErrorCode::kUnprocessable)
        << result.error().message;
}

TEST_F(PocketsphinxRecognizerTest, SilenceGivesAnEmptyTranscript) {
    core::PcmAudio silence;
    silence.samples.assign(2 * 16'000, 0);
    const auto transcript = transcribe(decoded_request(silence));
    EXPECT_EQ(transcript.text, "");
    EXPECT_TRUE(transcript.words.empty());
    EXPECT_TRUE(transcript.utterances.empty());
    EXPECT_EQ(transcript.confidence, 0.0);
    EXPECT_DOUBLE_EQ(transcript.duration, 2.0);

    core::PcmAudio nothing;  // no samples at all
    EXPECT_EQ(transcribe(decoded_request(nothing)).text, "");
}

TEST_F(PocketsphinxRecognizerTest, MultichannelTagsWordsWithTheirChannel) {
    const core::PcmAudio mono = go_forward();
    core::PcmAudio stereo;
    stereo.channels = 2;
    for (const std::int16_t sample : mono.samples) {
        stereo.samples.push_back(0);  // channel 0: the caller, silent
        stereo.samples.push_back(sample);
    }
    SttRequest request = decoded_request(stereo);
    request.keywords = kGoForwardMenu;  // the grammar: quicker than the language model, same channel handling
    request.multichannel = true;
    const auto transcript = transcribe(request);
    EXPECT_EQ(transcript.channels, 2);
    EXPECT_EQ(words_of(transcript), kGoForward);
    for (const auto& word : transcript.words) EXPECT_EQ(word.channel, 1) << word.word;
    ASSERT_FALSE(transcript.utterances.empty());
    for (const auto& utterance : transcript.utterances) EXPECT_EQ(utterance.channel, 1);

    request.multichannel = false;  // mixed: one channel, number 0
    const auto mixed = transcribe(request);
    EXPECT_EQ(mixed.channels, 1);
    ASSERT_FALSE(mixed.words.empty());
    for (const auto& word : mixed.words) EXPECT_EQ(word.channel, 0);
}

TEST_F(PocketsphinxRecognizerTest, ConcurrentRequestsEachGetTheirOwnDecoder) {
    auto request = decoded_request(go_forward());
    request.keywords = kGoForwardMenu;
    std::vector<std::string> texts(2);
    std::vector<std::thread> threads;
    for (std::size_t i = 0; i < texts.size(); ++i) {
        threads.emplace_back([&, i] {
            auto result = recognizer_->transcribe(request);
            texts[i] = result.ok() ? result->text : "error: " + result.error().message;
        });
    }
    for (auto& thread : threads) thread.join();
    for (const auto& text : texts) EXPECT_EQ(text, "go forward ten meters");
}

TEST_F(PocketsphinxRecognizerTest, WritesNothingToStderr) {
    testing::internal::CaptureStderr();
    // A grammar search is set up and torn down, and an utterance decoded: PocketSphinx logs all of that.
    SttRequest request = decoded_request(go_forward());
    request.keywords = kGoForwardMenu;
    const auto result = recognizer_->transcribe(request);
    EXPECT_EQ(testing::internal::GetCapturedStderr(), "");
    EXPECT_TRUE(result.ok());
}

TEST(PocketsphinxRecognizerCreate, AMissingModelIsUnavailableAndSaysWhatToInstall) {
    SndfileAudioDecoder audio_decoder;
    const auto result = PocketsphinxRecognizer::create(audio_decoder, {.model_dir = "/nonexistent/en-us-model"});
    ASSERT_FALSE(result.ok());
    EXPECT_EQ(result.error().code, core::ErrorCode::kUnavailable);
    EXPECT_NE(result.error().message.find("/nonexistent/en-us-model"), std::string::npos) << result.error().message;
    EXPECT_NE(result.error().message.find("apt-get install pocketsphinx-en-us"), std::string::npos);
}

}  // namespace
}  // namespace crossvoice::speech
