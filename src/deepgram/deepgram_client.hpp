#pragma once

#include <chrono>
#include <string>

#include "core/ports/http_client.hpp"
#include "core/ports/speech_to_text.hpp"

namespace crossvoice::deepgram {

struct DeepgramOptions {
    std::string base_url = "https://api.deepgram.com";  // no trailing slash; a loopback fake in tests
    std::string api_key;
    std::string model = "nova-3";
    std::chrono::milliseconds timeout{300'000};  // per attempt: long files take a while
    int max_attempts = 3;
};

// The SpeechToText port on Deepgram's pre-recorded API (POST {base}/v1/listen, options as query parameters).
class DeepgramClient final : public core::ports::SpeechToText {
  public:
    DeepgramClient(DeepgramOptions options, core::ports::HttpClient& http);
    std::string_view name() const override { return "deepgram"; }
    core::Result<core::Transcript> transcribe(const core::ports::SttRequest& request) override;

  private:
    DeepgramOptions options_;
    core::ports::HttpClient& http_;
};

}  // namespace crossvoice::deepgram
