#include "api/transcription_request_reader.hpp"

#include <gtest/gtest.h>

#include <string>
#include <string_view>
#include <vector>

namespace crossvoice::api {
namespace {

using core::ErrorCode;
using nlohmann::json;

http::Request with_body(std::string body, std::string content_type, std::string query = "") {
    http::Request request;
    request.method = http::Method::kPost;
    request.path = "/api/voice/transcribe";
    request.query = std::move(query);
    request.target = request.query.empty() ? request.path : request.path + "?" + request.query;
    request.body = std::move(body);
    if (!content_type.empty()) request.headers.emplace_back("content-type", std::move(content_type));
    return request;
}

std::string crlf(std::string_view text) {
    std::string out;
    for (const char ch : text) {
        if (ch == '\n') out += '\r';
        out += ch;
    }
    return out;
}

// A form-data part; `filename` empty means a plain field.
std::string part(std::string_view name, std::string_view data, std::string_view filename = "",
                 std::string_view content_type = "") {
    std::string out = "--B0und\r\nContent-Disposition: form-data; name=\"" + std::string(name) + "\"";
    if (!filename.empty()) out += "; filename=\"" + std::string(filename) + "\"";
    out += "\r\n";
    if (!content_type.empty()) out += "Content-Type: " + std::string(content_type) + "\r\n";
    return out + "\r\n" + std::string(data) + "\r\n";
}

http::Request multipart(const std::vector<std::string>& parts) {
    std::string body;
    for (const auto& one : parts) body += one;
    body += "--B0und--\r\n";
    return with_body(std::move(body), "multipart/form-data; boundary=B0und");
}

bool mentions(const core::Error& error, std::string_view text) { return error.message.find(text) != std::string::npos; }

std::string field_of(const core::Error& error) {
    for (const auto& [key, value] : error.details) {
        if (key == "field") return value;
    }
    return "";
}

// ---- JSON ----

TEST(TranscriptionRequestReader, ReadsEveryFieldAndOptionFromJson) {
    const auto read = read_transcribe_request(with_body(R"({
        "audioUrl": "https://example.test/a.wav", "recordingId": "rec-1", "callId": "call-1",
        "sessionId": "s-9", "language": "es-MX", "callbackUrl": "https://hooks.test/cb",
        "options": {"provider": "openai", "model": "whisper-1", "diarize": false, "detectLanguage": false,
                    "entities": false, "redact": ["pci", "ssn"], "translateTo": "en", "analyze": false,
                    "multichannel": true, "keywords": ["refund", "billing"]}})",
                                                        "application/json"));
    ASSERT_TRUE(read.ok()) << read.error().message;
    EXPECT_EQ(read->audio_url, "https://example.test/a.wav");
    EXPECT_EQ(read->recording_id, "rec-1");
    EXPECT_EQ(read->call_id, "call-1");
    EXPECT_EQ(read->session_id, "s-9");
    EXPECT_EQ(read->language, "es-MX");
    EXPECT_EQ(read->callback_url, "https://hooks.test/cb");
    EXPECT_FALSE(read->upload.has_value());
    const auto& options = read->options;
    EXPECT_EQ(options.provider, "openai");
    EXPECT_EQ(options.model, "whisper-1");
    EXPECT_FALSE(options.diarize);
    EXPECT_FALSE(options.detect_language);
    EXPECT_FALSE(options.entities);
    EXPECT_EQ(options.redact, (std::vector<std::string>{"pci", "ssn"}));
    EXPECT_EQ(options.translate_to, "en");
    EXPECT_FALSE(options.analyze);
    EXPECT_EQ(options.multichannel, true);
    EXPECT_EQ(options.keywords, (std::vector<std::string>{"refund", "billing"}));
}

TEST(TranscriptionRequestReader, AbsentOptionsKeepTheirDefaults) {
    // No content type is read as JSON, like every other JSON route.
    const auto read = read_transcribe_request(with_body(R"({"audioUrl":"https://example.test/a.wav"})", ""));
    ASSERT_TRUE(read.ok()) << read.error().message;
    EXPECT_EQ(read->audio_url, "https://example.test/a.wav");
    EXPECT_FALSE(read->recording_id.has_value());
    EXPECT_FALSE(read->session_id.has_value());
    const services::TranscriptionOptions defaults;
    EXPECT_EQ(read->options.diarize, defaults.diarize);
    EXPECT_EQ(read->options.detect_language, defaults.detect_language);
    EXPECT_EQ(read->options.entities, defaults.entities);
    EXPECT_EQ(read->options.analyze, defaults.analyze);
    EXPECT_FALSE(read->options.multichannel.has_value());
    EXPECT_FALSE(read->options.provider.has_value());
    EXPECT_TRUE(read->options.redact.empty());
    EXPECT_TRUE(read->options.keywords.empty());
}

TEST(TranscriptionRequestReader, NullFieldsAndNullOptionsAreAbsent) {
    const auto read = read_transcribe_request(
        with_body(R"({"callId":"c","language":null,"options":null})", "application/json; charset=utf-8"));
    ASSERT_TRUE(read.ok()) << read.error().message;
    EXPECT_FALSE(read->language.has_value());
    EXPECT_TRUE(read->options.diarize);
}

TEST(TranscriptionRequestReader, RedactAndKeywordsMayBeACommaSeparatedString) {
    const auto read = read_transcribe_request(
        with_body(R"({"callId":"c","options":{"redact":"pci, ssn,,email ","keywords":"refund"}})", "application/json"));
    ASSERT_TRUE(read.ok()) << read.error().message;
    EXPECT_EQ(read->options.redact, (std::vector<std::string>{"pci", "ssn", "email"}));
    EXPECT_EQ(read->options.keywords, (std::vector<std::string>{"refund"}));
}

TEST(TranscriptionRequestReader, AnUnknownTopLevelFieldIsRefusedListingTheKnownOnes) {
    const auto read =
        read_transcribe_request(with_body(R"({"audioUrl":"https://e.test/a","audio_url":"x"})", "application/json"));
    ASSERT_FALSE(read.ok());
    EXPECT_EQ(read.error().code, ErrorCode::kValidation);
    EXPECT_EQ(field_of(read.error()), "audio_url");
    EXPECT_TRUE(mentions(read.error(), "unknown field audio_url")) << read.error().message;
    for (const char* known : {"audioUrl", "recordingId", "callId", "sessionId", "language", "callbackUrl", "options"}) {
        EXPECT_TRUE(mentions(read.error(), known)) << known << " missing from: " << read.error().message;
    }
}

TEST(TranscriptionRequestReader, AnUnknownOptionIsRefusedNamingItWithItsPath) {
    const auto read =
        read_transcribe_request(with_body(R"({"callId":"c","options":{"diarise":true}})", "application/json"));
    ASSERT_FALSE(read.ok());
    EXPECT_EQ(read.error().code, ErrorCode::kValidation);
    EXPECT_EQ(field_of(read.error()), "options.diarise");
    EXPECT_TRUE(mentions(read.error(), "unknown field options.diarise")) << read.error().message;
    for (const char* known : {"provider", "model", "diarize", "detectLanguage", "entities", "redact", "translateTo",
                              "analyze", "multichannel", "keywords"}) {
        EXPECT_TRUE(mentions(read.error(), known)) << known << " missing from: " << read.error().message;
    }
}

TEST(TranscriptionRequestReader, WrongTypesAreRefusedNamingTheField) {
    const auto wrong_string = read_transcribe_request(with_body(R"({"audioUrl":5})", "application/json"));
    ASSERT_FALSE(wrong_string.ok());
    EXPECT_EQ(wrong_string.error().code, ErrorCode::kValidation);
    EXPECT_TRUE(mentions(wrong_string.error(), "audioUrl")) << wrong_string.error().message;

    const auto options_not_object =
        read_transcribe_request(with_body(R"({"callId":"c","options":[1]})", "application/json"));
    ASSERT_FALSE(options_not_object.ok());
    EXPECT_EQ(options_not_object.error().code, ErrorCode::kValidation);
    EXPECT_TRUE(mentions(options_not_object.error(), "options must be an object"))
        << options_not_object.error().message;
}

TEST(TranscriptionRequestReader, AWrongRedactTypeIsRefusedNamingOptionsRedact) {
    for (const char* body :
         {R"({"callId":"c","options":{"redact":7}})", R"({"callId":"c","options":{"redact":[1]}})"}) {
        const auto read = read_transcribe_request(with_body(body, "application/json"));
        ASSERT_FALSE(read.ok()) << body;
        EXPECT_EQ(read.error().code, ErrorCode::kValidation);
        EXPECT_EQ(field_of(read.error()), "options.redact");
        EXPECT_TRUE(mentions(read.error(), "options.redact")) << read.error().message;
    }
}

TEST(TranscriptionRequestReader, AWrongOptionTypeIsRefused) {
    const auto read =
        read_transcribe_request(with_body(R"({"callId":"c","options":{"diarize":"yes"}})", "application/json"));
    ASSERT_FALSE(read.ok());
    EXPECT_EQ(read.error().code, ErrorCode::kValidation);
    EXPECT_TRUE(mentions(read.error(), "diarize")) << read.error().message;
}

// Disabled until read_options prefixes the errors of its Fields lookups: today they name "diarize" and "model"
// (not "options.diarize"), unlike redact, keywords and unknown options, and batch items lose "items[n].".
TEST(TranscriptionRequestReader, AWrongOptionTypeIsRefusedNamingOptionsDotField) {
    const auto read =
        read_transcribe_request(with_body(R"({"callId":"c","options":{"diarize":"yes"}})", "application/json"));
    ASSERT_FALSE(read.ok());
    EXPECT_EQ(read.error().code, ErrorCode::kValidation);
    EXPECT_TRUE(mentions(read.error(), "options.diarize")) << read.error().message;
    EXPECT_EQ(field_of(read.error()), "options.diarize");

    const auto model =
        read_transcribe_request(with_body(R"({"callId":"c","options":{"model":3}})", "application/json"));
    ASSERT_FALSE(model.ok());
    EXPECT_TRUE(mentions(model.error(), "options.model")) << model.error().message;
}

TEST(TranscriptionRequestReader, BrokenJsonIsABadRequest) {
    const auto read = read_transcribe_request(with_body(R"({"callId":)", "application/json"));
    ASSERT_FALSE(read.ok());
    EXPECT_EQ(read.error().code, ErrorCode::kBadRequest);
}

// ---- batch items ----

TEST(TranscriptionRequestReader, TheItemPrefixAppearsInErrors) {
    const auto unknown = read_transcribe_object(json{{"callId", "c"}, {"colour", "red"}}, "items[2].");
    ASSERT_FALSE(unknown.ok());
    EXPECT_TRUE(mentions(unknown.error(), "items[2].colour")) << unknown.error().message;

    const auto wrong_type = read_transcribe_object(json{{"audioUrl", 1}}, "items[2].");
    ASSERT_FALSE(wrong_type.ok());
    EXPECT_TRUE(mentions(wrong_type.error(), "items[2].audioUrl")) << wrong_type.error().message;

    const auto unknown_option =
        read_transcribe_object(json{{"callId", "c"}, {"options", {{"colour", "red"}}}}, "items[2].");
    ASSERT_FALSE(unknown_option.ok());
    EXPECT_TRUE(mentions(unknown_option.error(), "items[2].options.colour")) << unknown_option.error().message;

    const auto redact = read_transcribe_object(json{{"callId", "c"}, {"options", {{"redact", 1}}}}, "items[2].");
    ASSERT_FALSE(redact.ok());
    EXPECT_TRUE(mentions(redact.error(), "items[2].options.redact")) << redact.error().message;

    const auto not_object = read_transcribe_object(json::array(), "items[2].");
    ASSERT_FALSE(not_object.ok());
    EXPECT_EQ(not_object.error().code, ErrorCode::kValidation);
    EXPECT_TRUE(mentions(not_object.error(), "items[2]")) << not_object.error().message;
}

TEST(TranscriptionRequestReader, AnItemIsReadLikeTheJsonBody) {
    const auto read = read_transcribe_object(
        json{{"recordingId", "r-1"}, {"options", {{"redact", json::array({"pii"})}, {"diarize", false}}}}, "items[0].");
    ASSERT_TRUE(read.ok()) << read.error().message;
    EXPECT_EQ(read->recording_id, "r-1");
    EXPECT_EQ(read->options.redact, (std::vector<std::string>{"pii"}));
    EXPECT_FALSE(read->options.diarize);
}

// ---- multipart ----

TEST(TranscriptionRequestReader, MultipartTakesTheFileAndTextFields) {
    for (const char* file_name : {"file", "audio"}) {
        const auto read = read_transcribe_request(multipart({
            part("language", "es"),
            part(file_name, "RIFF....WAVE", "call.wav", "audio/wav"),
            part("sessionId", "s-1"),
            part("callbackUrl", "https://hooks.test/cb"),
        }));
        ASSERT_TRUE(read.ok()) << file_name << ": " << read.error().message;
        ASSERT_TRUE(read->upload.has_value());
        EXPECT_EQ(read->upload->bytes, "RIFF....WAVE");
        EXPECT_EQ(read->upload->content_type, "audio/wav");
        EXPECT_FALSE(read->upload->raw.has_value()) << "a container format carries its own header";
        EXPECT_EQ(read->language, "es");
        EXPECT_EQ(read->session_id, "s-1");
        EXPECT_EQ(read->callback_url, "https://hooks.test/cb");
    }
}

TEST(TranscriptionRequestReader, MultipartOptionsAsJsonText) {
    const auto read = read_transcribe_request(multipart({
        part("file", "bytes", "a.mp3", "audio/mpeg"),
        part("options", R"({"diarize":false,"redact":["ssn"],"translateTo":"fr"})", "", "application/json"),
    }));
    ASSERT_TRUE(read.ok()) << read.error().message;
    EXPECT_FALSE(read->options.diarize);
    EXPECT_EQ(read->options.redact, (std::vector<std::string>{"ssn"}));
    EXPECT_EQ(read->options.translate_to, "fr");
}

TEST(TranscriptionRequestReader, MultipartOptionsAsIndividualFields) {
    const auto read = read_transcribe_request(multipart({
        part("file", "bytes", "a.wav"),
        part("diarize", "false"),
        part("multichannel", "true"),
        part("redact", "pci,ssn"),
        part("keywords", "refund, billing"),
        part("provider", "pocketsphinx"),
    }));
    ASSERT_TRUE(read.ok()) << read.error().message;
    EXPECT_FALSE(read->options.diarize);
    EXPECT_EQ(read->options.multichannel, true);
    EXPECT_EQ(read->options.redact, (std::vector<std::string>{"pci", "ssn"}));
    EXPECT_EQ(read->options.keywords, (std::vector<std::string>{"refund", "billing"}));
    EXPECT_EQ(read->options.provider, "pocketsphinx");
    EXPECT_TRUE(read->options.entities) << "fields not sent keep their defaults";
}

TEST(TranscriptionRequestReader, MultipartOptionFieldsThatAreNotBooleansAreRefused) {
    const auto read = read_transcribe_request(multipart({part("file", "bytes", "a.wav"), part("diarize", "yes")}));
    ASSERT_FALSE(read.ok());
    EXPECT_EQ(read.error().code, ErrorCode::kValidation);
    EXPECT_TRUE(mentions(read.error(), "diarize")) << read.error().message;
}

TEST(TranscriptionRequestReader, MultipartOptionsThatAreNotAJsonObjectAreRefused) {
    for (const char* text : {"diarize=false", "[1]", "{"}) {
        const auto read = read_transcribe_request(multipart({part("file", "bytes", "a.wav"), part("options", text)}));
        ASSERT_FALSE(read.ok()) << text;
        EXPECT_EQ(read.error().code, ErrorCode::kValidation);
        EXPECT_EQ(field_of(read.error()), "options");
    }
}

TEST(TranscriptionRequestReader, MultipartUnknownFieldIsRefused) {
    const auto read = read_transcribe_request(multipart({part("file", "bytes", "a.wav"), part("colour", "red")}));
    ASSERT_FALSE(read.ok());
    EXPECT_EQ(read.error().code, ErrorCode::kValidation);
    EXPECT_TRUE(mentions(read.error(), "colour")) << read.error().message;
}

TEST(TranscriptionRequestReader, MultipartWithTwoFilesIsRefused) {
    const auto read = read_transcribe_request(multipart({part("file", "one", "a.wav"), part("audio", "two", "b.wav")}));
    ASSERT_FALSE(read.ok());
    EXPECT_EQ(read.error().code, ErrorCode::kValidation);
    EXPECT_EQ(field_of(read.error()), "audio");
    EXPECT_TRUE(mentions(read.error(), "one audio file")) << read.error().message;
}

TEST(TranscriptionRequestReader, AFileInAnotherPartIsRefused) {
    const auto read =
        read_transcribe_request(multipart({part("file", "one", "a.wav"), part("attachment", "two", "b.wav")}));
    ASSERT_FALSE(read.ok());
    EXPECT_EQ(read.error().code, ErrorCode::kValidation);
    EXPECT_EQ(field_of(read.error()), "attachment");
}

TEST(TranscriptionRequestReader, MultipartWithoutAFileIsRefused) {
    const auto read = read_transcribe_request(multipart({part("language", "es")}));
    ASSERT_FALSE(read.ok());
    EXPECT_EQ(read.error().code, ErrorCode::kValidation);
    EXPECT_EQ(field_of(read.error()), "file");
    EXPECT_TRUE(mentions(read.error(), "file")) << read.error().message;
}

TEST(TranscriptionRequestReader, MalformedMultipartIsABadRequest) {
    const auto read = read_transcribe_request(
        with_body(crlf("--B0und\nContent-Disposition: form-data; name=\"file\"\n\nno closing boundary"),
                  "multipart/form-data; boundary=B0und"));
    ASSERT_FALSE(read.ok());
    EXPECT_EQ(read.error().code, ErrorCode::kBadRequest);

    const auto no_boundary = read_transcribe_request(with_body(part("file", "x", "a.wav"), "multipart/form-data"));
    ASSERT_FALSE(no_boundary.ok());
    EXPECT_EQ(no_boundary.error().code, ErrorCode::kBadRequest);
}

TEST(TranscriptionRequestReader, TheMediaTypeIsCaseInsensitive) {
    auto request = multipart({part("file", "bytes", "a.wav")});
    request.headers = {{"content-type", "Multipart/Form-Data; boundary=B0und"}};
    const auto read = read_transcribe_request(request);
    ASSERT_TRUE(read.ok()) << read.error().message;
    EXPECT_EQ(read->upload->bytes, "bytes");
}

// ---- raw audio bodies ----

TEST(TranscriptionRequestReader, ARawWavBodyTakesItsFieldsFromTheQuery) {
    const auto read = read_transcribe_request(
        with_body("RIFF....WAVE", "audio/wav",
                  "language=es&sessionId=s-2&callbackUrl=https%3A%2F%2Fhooks.test%2Fcb&diarize=false&redact=pci,ssn"
                  "&provider=deepgram&keywords=refund"));
    ASSERT_TRUE(read.ok()) << read.error().message;
    ASSERT_TRUE(read->upload.has_value());
    EXPECT_EQ(read->upload->bytes, "RIFF....WAVE");
    EXPECT_EQ(read->upload->content_type, "audio/wav");
    EXPECT_FALSE(read->upload->raw.has_value());
    EXPECT_EQ(read->language, "es");
    EXPECT_EQ(read->session_id, "s-2");
    EXPECT_EQ(read->callback_url, "https://hooks.test/cb");
    EXPECT_FALSE(read->options.diarize);
    EXPECT_EQ(read->options.redact, (std::vector<std::string>{"pci", "ssn"}));
    EXPECT_EQ(read->options.provider, "deepgram");
    EXPECT_EQ(read->options.keywords, (std::vector<std::string>{"refund"}));
    EXPECT_FALSE(read->audio_url.has_value()) << "a raw body is its own audio source";
}

TEST(TranscriptionRequestReader, AudioBasicIsRawMulawAt8kHz) {
    const auto read = read_transcribe_request(with_body("\xff\x7f", "audio/basic"));
    ASSERT_TRUE(read.ok()) << read.error().message;
    ASSERT_TRUE(read->upload.has_value());
    ASSERT_TRUE(read->upload->raw.has_value());
    EXPECT_EQ(read->upload->raw->encoding, core::ports::RawEncoding::kMulaw);
    EXPECT_EQ(read->upload->raw->sample_rate, 8'000);
    EXPECT_EQ(read->upload->raw->channels, 1);
}

TEST(TranscriptionRequestReader, AudioPcmaIsRawAlaw) {
    const auto read = read_transcribe_request(with_body("\xd5", "audio/PCMA"));
    ASSERT_TRUE(read.ok()) << read.error().message;
    ASSERT_TRUE(read->upload->raw.has_value());
    EXPECT_EQ(read->upload->raw->encoding, core::ports::RawEncoding::kAlaw);
}

TEST(TranscriptionRequestReader, AudioL16TakesRateAndChannelsFromTheQuery) {
    const auto read =
        read_transcribe_request(with_body(std::string(4, '\0'), "audio/L16", "sampleRate=16000&channels=2"));
    ASSERT_TRUE(read.ok()) << read.error().message;
    ASSERT_TRUE(read->upload->raw.has_value());
    EXPECT_EQ(read->upload->raw->encoding, core::ports::RawEncoding::kLinear16);
    EXPECT_EQ(read->upload->raw->sample_rate, 16'000);
    EXPECT_EQ(read->upload->raw->channels, 2);

    const auto defaults = read_transcribe_request(with_body(std::string(2, '\0'), "audio/l16"));
    ASSERT_TRUE(defaults.ok()) << defaults.error().message;
    EXPECT_EQ(defaults->upload->raw->sample_rate, 16'000);
    EXPECT_EQ(defaults->upload->raw->channels, 1);
}

TEST(TranscriptionRequestReader, AudioL16IsBigEndianAndAudioPcmLittleEndian) {
    const auto network_order = read_transcribe_request(with_body(std::string("\x01\x02\x03\x04", 4), "audio/L16"));
    ASSERT_TRUE(network_order.ok()) << network_order.error().message;
    EXPECT_EQ(network_order->upload->bytes, std::string("\x02\x01\x04\x03", 4)) << "swapped for the decoder";
    const auto little = read_transcribe_request(with_body(std::string("\x01\x02", 2), "audio/pcm", "sampleRate=8000"));
    ASSERT_TRUE(little.ok()) << little.error().message;
    EXPECT_EQ(little->upload->bytes, std::string("\x01\x02", 2));
    EXPECT_EQ(little->upload->raw->encoding, core::ports::RawEncoding::kLinear16);
    EXPECT_EQ(little->upload->raw->sample_rate, 8'000);
}

TEST(TranscriptionRequestReader, ABadQueryOptionOnARawBodyIsRefused) {
    const auto read = read_transcribe_request(with_body("RIFF", "audio/wav", "multichannel=sometimes"));
    ASSERT_FALSE(read.ok());
    EXPECT_EQ(read.error().code, ErrorCode::kValidation);
    EXPECT_TRUE(mentions(read.error(), "multichannel")) << read.error().message;
}

TEST(TranscriptionRequestReader, AnotherMediaTypeIsUnsupported) {
    for (const char* type : {"text/plain", "application/x-www-form-urlencoded", "video/mp4"}) {
        const auto read = read_transcribe_request(with_body("hello", type));
        ASSERT_FALSE(read.ok()) << type;
        EXPECT_EQ(read.error().code, ErrorCode::kUnsupportedMediaType) << type;
    }
}

}  // namespace
}  // namespace crossvoice::api
