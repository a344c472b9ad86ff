// map_listen_response and map_listen_error on arbitrary bytes (what Deepgram, a proxy in front of it or a broken
// fake may answer). The whole input is the body; its first two bytes also pick the error's status (100..599).
// Properties: a mapped transcript is self-consistent (confidences in 0..1, entity offsets inside the text and
// word indices inside the words, words on existing channels); a refused body is kVendor "unexpected shape"; an
// error names the status, keeps every detail printable ASCII of bounded length, and has the kind its status
// calls for.

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "deepgram/response_mapper.hpp"
#include "fuzz_check.hpp"

namespace {

using crossvoice::core::Error;
using crossvoice::core::ErrorCode;

bool printable(std::string_view text) {
    return std::all_of(text.begin(), text.end(), [](char ch) { return ch >= 0x20 && ch < 0x7f; });
}

bool unit(double value) { return value >= 0 && value <= 1; }

void check_transcript(std::string_view body) {
    const auto result = crossvoice::deepgram::map_listen_response(body);
    if (!result) {
        FUZZ_CHECK(result.error().code == ErrorCode::kVendor);
        FUZZ_CHECK(result.error().message.starts_with("Deepgram answered with an unexpected shape: "));
        FUZZ_CHECK(printable(result.error().message));
        return;
    }
    const auto& transcript = *result;
    FUZZ_CHECK(unit(transcript.confidence));
    FUZZ_CHECK(unit(transcript.language_confidence));
    FUZZ_CHECK(transcript.channels >= 1);
    FUZZ_CHECK(transcript.duration >= 0);
    int max_channel = 0;
    for (const auto& word : transcript.words) {
        FUZZ_CHECK(unit(word.confidence));
        FUZZ_CHECK(word.channel >= 0);
        FUZZ_CHECK(!word.speaker || *word.speaker >= 0);
        max_channel = std::max(max_channel, word.channel);
    }
    // Channels are joined with '\n', so the text has at least one line per channel that has words.
    FUZZ_CHECK(transcript.words.empty() ||
               static_cast<std::size_t>(std::count(transcript.text.begin(), transcript.text.end(), '\n')) >=
                   static_cast<std::size_t>(max_channel));
    for (const auto& entity : transcript.entities) {
        FUZZ_CHECK(entity.start_char <= entity.end_char);
        FUZZ_CHECK(entity.end_char <= transcript.text.size());
        FUZZ_CHECK(unit(entity.confidence));
        FUZZ_CHECK(entity.source == "deepgram");
        FUZZ_CHECK(entity.start_word.has_value() == entity.end_word.has_value());
        if (entity.start_word) {
            FUZZ_CHECK(*entity.start_word <= *entity.end_word);
            FUZZ_CHECK(*entity.end_word < transcript.words.size());
        }
    }
    for (const auto& utterance : transcript.utterances) {
        FUZZ_CHECK(unit(utterance.confidence));
        FUZZ_CHECK(utterance.channel >= 0);
    }
    if (transcript.engine_sentiment) {
        FUZZ_CHECK(transcript.engine_sentiment->score >= -1 && transcript.engine_sentiment->score <= 1);
    }
    for (const auto* labels : {&transcript.engine_topics, &transcript.engine_intents}) {
        for (std::size_t i = 0; i < labels->size(); ++i) {
            FUZZ_CHECK(!(*labels)[i].empty());
            FUZZ_CHECK(std::find(labels->begin() + static_cast<std::ptrdiff_t>(i) + 1, labels->end(), (*labels)[i]) ==
                       labels->end());
        }
    }
}

void check_error(int status, std::string_view body) {
    const Error error = crossvoice::deepgram::map_listen_error(status, body);
    FUZZ_CHECK(error.message.starts_with("Deepgram "));
    FUZZ_CHECK(printable(error.message));
    bool has_status = false;
    for (const auto& [key, value] : error.details) {
        FUZZ_CHECK(printable(value));
        FUZZ_CHECK(value.size() <= 700);
        if (key == "status") has_status = value == std::to_string(status);
    }
    FUZZ_CHECK(has_status);
    switch (error.code) {
        case ErrorCode::kVendor: break;
        case ErrorCode::kUnsupportedMediaType: FUZZ_CHECK(status == 400); break;
        case ErrorCode::kPayloadTooLarge: FUZZ_CHECK(status == 413); break;
        case ErrorCode::kRateLimited: FUZZ_CHECK(status == 429); break;
        default: FUZZ_CHECK(false);
    }
    if (status == 401 || status == 403) FUZZ_CHECK(error.message.starts_with("Deepgram refused the API key"));
    if (status >= 500) FUZZ_CHECK(error.code == ErrorCode::kVendor);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view bytes(reinterpret_cast<const char*>(data), size);
    check_transcript(bytes);
    const int status = size >= 2 ? 100 + ((data[0] << 8) | data[1]) % 500 : 500;
    check_error(status, bytes);
    return 0;
}
