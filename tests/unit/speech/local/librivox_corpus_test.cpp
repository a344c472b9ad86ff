// The whole LibriVox set of pocketsphinx-testdata through the local engine: 25 s of audio, so it is its own binary
// with the "corpus" label, out of the unit tests (ctest -L unit). bench/stt_local.sh measures the same set.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "speech/audio_decoder.hpp"
#include "speech/pocketsphinx_recognizer.hpp"
#include "test_audio.hpp"

namespace crossvoice::speech {
namespace {

// Measured with pocketsphinx 0.8+5prealpha and the Debian en-US model: 20 errors in 71 words (28.2 %), the same as
// bare PocketSphinx decoding each whole file. The bound allows a few words' drift, not a broken pipeline.
constexpr double kMaxCorpusWer = 0.35;

TEST(LibrivoxCorpus, WordErrorRateOverTheWholeSetStaysNearPocketSphinxsOwn) {
    SndfileAudioDecoder audio_decoder;
    auto recognizer = PocketsphinxRecognizer::create(audio_decoder);
    ASSERT_TRUE(recognizer.ok()) << recognizer.error().message;

    const auto ids = test::split_words(test::read_file(test::kLibrivox + "/fileids"));
    ASSERT_EQ(ids.size(), 5U) << "pocketsphinx-testdata missing?";
    std::size_t words = 0;
    std::size_t errors = 0;
    for (const std::string& id : ids) {
        core::ports::SttRequest request;
        request.audio = test::read_file(test::kLibrivox + "/" + id + ".wav");
        auto transcript = (*recognizer)->transcribe(request);
        ASSERT_TRUE(transcript.ok()) << id << ": " << transcript.error().message;
        const auto reference = test::librivox_reference(id);
        ASSERT_FALSE(reference.empty()) << id;
        std::vector<std::string> heard;
        for (const auto& word : transcript->words) {
            EXPECT_LE(word.end, transcript->duration + 1e-9) << id << ": " << word.word;
            heard.push_back(word.word);
        }
        words += reference.size();
        errors += test::word_errors(reference, heard);
    }
    EXPECT_LT(static_cast<double>(errors) / static_cast<double>(words), kMaxCorpusWer)
        << errors << " errors in " << words << " words";
}

}  // namespace
}  // namespace crossvoice::speech
