#pragma once

#include <chrono>
#include <optional>
#include <string>

#include "core/ports/http_client.hpp"
#include "core/ports/speech_to_text.hpp"

namespace crossvoice::openai {

struct TranscriptionOptions {
    std::string base_url;  // "http://127.0.0.1:8080" (whisper.cpp server, faster-whisper, vLLM, OpenAI), no trailing /
    std::optional<std::string> api_key;
    std::string model = "whisper-1";
    std::chrono::milliseconds timeout{300'000};
    int max_attempts = 2;
};

// The SpeechToText port on OpenAI-compatible POST {base}/v1/audio/transcriptions (multipart upload,
// response_format=verbose_json with word and segment timestamps).
class TranscriptionClient final : public core::ports::SpeechToText {
  public:
    TranscriptionClient(TranscriptionOptions options, core::ports::HttpClient& http);
    std::string_view name() const override { return "openai"; }
    core::Result<core::Transcript> transcribe(const core::ports::SttRequest& request) override;

  private:
    TranscriptionOptions options_;
    core::ports::HttpClient& http_;
};

}  // namespace crossvoice::openai
