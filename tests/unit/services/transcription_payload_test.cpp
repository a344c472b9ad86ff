#include "services/transcription_payload.hpp"

#include <gtest/gtest.h>

namespace crossvoice::services {
namespace {

using nlohmann::json;

TranscribeRequest every_field() {
    TranscribeRequest request;
    request.audio_url = "https://media.example.com/a.wav";
    request.recording_id = "ev-1";
    request.call_id = "call_1";
    request.upload = AudioUpload{"bytes stay behind", "audio/basic",
                                 core::ports::RawAudioFormat{core::ports::RawEncoding::kAlaw, 16'000, 2}};
    request.session_id = "ses_1";
    request.language = "es-MX";
    request.callback_url = "https://client.example.com/hook";
    auto& options = request.options;
    options.provider = "deepgram";
    options.model = "nova-2";
    options.diarize = false;
    options.detect_language = false;
    options.entities = false;
    options.redact = {"pci", "ssn"};
    options.translate_to = "en";
    options.analyze = false;
    options.multichannel = false;
    options.keywords = {"refund", "invoice"};
    return request;
}

// Through the job queue's storage: the payload is stored as text.
TranscribeRequest round_trip(const TranscribeRequest& request) {
    auto back = request_from_payload(json::parse(request_payload(request).dump()));
    EXPECT_TRUE(back.ok()) << back.error().message;
    return back.ok() ? std::move(back).value() : TranscribeRequest{};
}

TEST(TranscriptionPayload, EveryFieldSurvivesTheRoundTrip) {
    const auto request = every_field();
    const auto back = round_trip(request);
    EXPECT_EQ(back.audio_url, request.audio_url);
    EXPECT_EQ(back.recording_id, request.recording_id);
    EXPECT_EQ(back.call_id, request.call_id);
    EXPECT_EQ(back.session_id, request.session_id);
    EXPECT_EQ(back.language, request.language);
    EXPECT_EQ(back.callback_url, request.callback_url);
    const auto& options = back.options;
    EXPECT_EQ(options.provider, request.options.provider);
    EXPECT_EQ(options.model, request.options.model);
    EXPECT_FALSE(options.diarize);
    EXPECT_FALSE(options.detect_language);
    EXPECT_FALSE(options.entities);
    EXPECT_EQ(options.redact, request.options.redact);
    EXPECT_EQ(options.translate_to, request.options.translate_to);
    EXPECT_FALSE(options.analyze);
    EXPECT_EQ(options.multichannel, std::optional<bool>(false));
    EXPECT_EQ(options.keywords, request.options.keywords);

    // The raw format goes with the job; the bytes go to the blob store, never into the payload.
    ASSERT_TRUE(back.upload.has_value());
    ASSERT_TRUE(back.upload->raw.has_value());
    EXPECT_EQ(back.upload->raw->encoding, core::ports::RawEncoding::kAlaw);
    EXPECT_EQ(back.upload->raw->sample_rate, 16'000);
    EXPECT_EQ(back.upload->raw->channels, 2);
    EXPECT_TRUE(back.upload->bytes.empty());
    EXPECT_EQ(request_payload(request).dump().find("bytes stay behind"), std::string::npos);
}

TEST(TranscriptionPayload, EachRawEncodingSurvives) {
    for (auto encoding :
         {core::ports::RawEncoding::kMulaw, core::ports::RawEncoding::kAlaw, core::ports::RawEncoding::kLinear16}) {
        TranscribeRequest request;
        request.upload = AudioUpload{"", "", core::ports::RawAudioFormat{encoding, 8'000, 1}};
        const auto back = round_trip(request);
        ASSERT_TRUE(back.upload && back.upload->raw);
        EXPECT_EQ(back.upload->raw->encoding, encoding);
    }
}

TEST(TranscriptionPayload, DefaultsAndAbsencesSurvive) {
    TranscribeRequest request;
    request.audio_url = "https://media.example.com/a.wav";
    request.options.multichannel = true;
    const auto back = round_trip(request);
    EXPECT_EQ(back.recording_id, std::nullopt);
    EXPECT_EQ(back.session_id, std::nullopt);
    EXPECT_EQ(back.callback_url, std::nullopt);
    EXPECT_EQ(back.options.provider, std::nullopt);
    EXPECT_TRUE(back.options.diarize);
    EXPECT_TRUE(back.options.detect_language);
    EXPECT_TRUE(back.options.entities);
    EXPECT_TRUE(back.options.analyze);
    EXPECT_EQ(back.options.multichannel, std::optional<bool>(true));
    EXPECT_FALSE(back.upload.has_value());  // an upload without a raw format leaves nothing to carry

    TranscribeRequest unset;
    unset.audio_url = "https://media.example.com/a.wav";
    EXPECT_EQ(round_trip(unset).options.multichannel, std::nullopt);
}

TEST(TranscriptionPayload, APayloadThatIsNotAnObjectIsRefused) {
    for (const char* text : {"[]", "\"text\"", "null", R"({"options":[]})"}) {
        EXPECT_FALSE(request_from_payload(json::parse(text)).ok()) << text;
    }
}

}  // namespace
}  // namespace crossvoice::services
