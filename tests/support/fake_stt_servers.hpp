#pragma once

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace crossvoice::testing {

// A word a fake engine "hears". `word` is written as it should appear in the transcript ("Hello,"); the fake
// derives the lower-case bare form itself.
struct FakeWord {
    std::string word;
    double start = 0;
    double end = 0;
    int speaker = 0;
    int channel = 0;  // which audio channel says it (multichannel); all channels merge into one otherwise
    double confidence = 0.97;
};

// One request as the fake received it.
struct FakeSttRequest {
    std::string method;
    std::string target;                                        // path and query, as sent
    std::vector<std::pair<std::string, std::string>> headers;  // names in lower case
    std::size_t body_size = 0;
    std::string body;  // the first 64 KiB
    // FakeOpenAiTranscription only: the text fields of the form, in order, and the file part.
    std::vector<std::pair<std::string, std::string>> form_fields;
    std::optional<std::string> file_name;
    std::optional<std::string> file_content_type;

    std::optional<std::string> header(const std::string& name) const;  // `name` in lower case
};

// Deepgram's pre-recorded API on a loopback port (vendor-apis.md E): POST /v1/listen with
// `Authorization: Token <api_key>`, options as query parameters, a raw audio body (audio/* or
// application/octet-stream; a WAV is parsed for its channels and duration) or JSON {"url"}. Unknown query
// parameters, malformed booleans, `keywords` on a Nova-3 model or `keyterm` on another are refused with 400
// in Deepgram's {err_code, err_msg, request_id} shape; a missing or wrong key with 401. A good request gets
// the full response: metadata, one channel (or one per WAV channel with multichannel=true) with
// alternatives[0] words, and detected_language, speakers, utterances, entities, summary, sentiments, topics
// and intents when asked for.
//
// Thread-safe. The server runs until the object is destroyed; a delayed request is released then.
class FakeDeepgram {
  public:
    explicit FakeDeepgram(std::string api_key = "test-deepgram-key");
    ~FakeDeepgram();
    FakeDeepgram(const FakeDeepgram&) = delete;
    FakeDeepgram& operator=(const FakeDeepgram&) = delete;

    std::string base_url() const;  // "http://127.0.0.1:<port>"
    const std::string& api_key() const;

    // What the engine hears from now on. Default: channel 0 (speaker 0) "Hello, I need help with my order."
    // then channel 1 (speaker 1) "Sure, I can help with that."
    void set_words(std::vector<FakeWord> words);
    // The detected_language answered with detect_language=true (default "en").
    void set_detected_language(std::string language, double confidence = 0.98);

    // The next request (after it is logged) is answered with this status and body instead; queued in order.
    void fail_next(int status, std::string body);
    // The next request is answered only after this long (or when the fake is destroyed).
    void delay_next(std::chrono::milliseconds delay);

    std::vector<FakeSttRequest> requests() const;

    struct State;

  private:
    std::unique_ptr<State> state_;
};

// An OpenAI-compatible POST /v1/audio/transcriptions on a loopback port: a multipart form with a `file` part
// (with a filename) and a `model` field (400 in OpenAI's {"error":{message,type,param,code}} shape
// otherwise); `Authorization: Bearer <api_key>` when a key is set (401 otherwise). Answers verbose_json
// (text, language as Whisper names it, duration, words, segments) when asked for, {"text"} otherwise.
class FakeOpenAiTranscription {
  public:
    explicit FakeOpenAiTranscription(std::optional<std::string> api_key = std::nullopt);
    ~FakeOpenAiTranscription();
    FakeOpenAiTranscription(const FakeOpenAiTranscription&) = delete;
    FakeOpenAiTranscription& operator=(const FakeOpenAiTranscription&) = delete;

    std::string base_url() const;

    // Same defaults as FakeDeepgram's; channels are ignored (Whisper mixes them down).
    void set_words(std::vector<FakeWord> words);
    void set_language(std::string whisper_language);  // default "english"
    // Behave like a server that ignores response_format: always answer {"text": …}.
    void set_plain_text_replies(bool plain);

    void fail_next(int status, std::string body);
    void delay_next(std::chrono::milliseconds delay);

    std::vector<FakeSttRequest> requests() const;

    struct State;

  private:
    std::unique_ptr<State> state_;
};

}  // namespace crossvoice::testing
