#pragma once

#include <deque>
#include <functional>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/ports/audio_decoder.hpp"
#include "core/ports/http_client.hpp"
#include "core/ports/speech_to_text.hpp"
#include "core/ports/transcript_pipeline.hpp"

// Scripted stand-ins for the vendors the transcription use-case talks to. They record what they were asked so
// that a test can assert on the request the service built, and answer what the test chose. Single-threaded: the
// tests call the service and the job handlers directly.
namespace crossvoice::services::transcription_testing {

class FakeSpeechToText final : public core::ports::SpeechToText {
  public:
    explicit FakeSpeechToText(std::string name) : name_(std::move(name)) { answer = default_transcript(name_); }

    std::string_view name() const override { return name_; }
    core::Result<core::Transcript> transcribe(const core::ports::SttRequest& request) override {
        requests.push_back(request);
        if (error) return *error;
        return answer;
    }

    static core::Transcript default_transcript(const std::string& provider) {
        core::Transcript transcript;
        transcript.text = "I want to pay my bill";
        transcript.confidence = 0.9;
        transcript.provider = provider;
        transcript.model = provider + "-model";
        transcript.words = {{"i", "I", 0.0, 0.2, 0.9, std::nullopt, 0}, {"bill", "bill.", 1.0, 1.4, 0.8, 0, 0}};
        return transcript;
    }

    core::Transcript answer;
    std::optional<core::Error> error;
    std::vector<core::ports::SttRequest> requests;

  private:
    std::string name_;
};

class FakeAudioDecoder final : public core::ports::AudioDecoder {
  public:
    FakeAudioDecoder() { set(2.0, 1); }

    // Answers `seconds` of silence-free audio with `channels` channels at 8 kHz, named audio/wav.
    void set(double seconds, int channels) {
        answer.pcm.sample_rate = 8'000;
        answer.pcm.channels = channels;
        answer.pcm.samples.assign(static_cast<std::size_t>(channels) * 16, 0);
        for (std::size_t i = 0; i < answer.pcm.samples.size(); ++i) {
            answer.pcm.samples[i] = static_cast<std::int16_t>(100 + i);
        }
        answer.container = "wav";
        answer.content_type = "audio/wav";
        answer.duration = seconds;
    }

    core::Result<core::ports::DecodedAudio> decode(std::string_view bytes,
                                                   const std::optional<core::ports::RawAudioFormat>& raw,
                                                   const core::ports::DecodeLimits&) const override {
        inputs.emplace_back(bytes);
        raws.push_back(raw);
        if (error) return *error;
        return answer;
    }

    core::ports::DecodedAudio answer;
    std::optional<core::Error> error;
    // decode() is const in the port; what it was given is still worth recording.
    mutable std::vector<std::string> inputs;
    mutable std::vector<std::optional<core::ports::RawAudioFormat>> raws;
};

class FakePipeline final : public core::ports::TranscriptPipeline {
  public:
    core::Status check(const core::ports::PipelineOptions& options) const override {
        checked.push_back(options);
        if (check_error) return *check_error;
        return {};
    }
    core::Status run(core::Transcript& transcript, const core::ports::PipelineOptions& options) override {
        ran.push_back(options);
        if (run_error) return *run_error;
        if (effect) effect(transcript);
        return {};
    }

    std::optional<core::Error> check_error;
    std::optional<core::Error> run_error;
    std::function<void(core::Transcript&)> effect;  // what the stages "did": redaction, translation, analysis
    mutable std::vector<core::ports::PipelineOptions> checked;
    std::vector<core::ports::PipelineOptions> ran;
};

class FakeHttpClient final : public core::ports::HttpClient {
  public:
    core::Result<core::ports::HttpResponse> send(const core::ports::HttpRequest& request) override {
        requests.push_back(request);
        if (replies.empty()) return ok("");
        auto reply = std::move(replies.front());
        replies.pop_front();
        return reply;
    }

    static core::ports::HttpResponse ok(std::string body, std::string content_type = "audio/wav") {
        core::ports::HttpResponse response;
        response.status = 200;
        response.headers = {{"content-type", std::move(content_type)}};
        response.body = std::move(body);
        return response;
    }
    static core::ports::HttpResponse status(int code) {
        core::ports::HttpResponse response;
        response.status = code;
        return response;
    }

    std::deque<core::Result<core::ports::HttpResponse>> replies;  // then 200 with an empty body
    std::vector<core::ports::HttpRequest> requests;
};

}  // namespace crossvoice::services::transcription_testing
