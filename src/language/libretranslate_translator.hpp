#pragma once

#include <chrono>
#include <mutex>
#include <optional>
#include <string>

#include "core/ports/http_client.hpp"
#include "core/ports/translator.hpp"

namespace crossvoice::language {

struct LibreTranslateOptions {
    std::string base_url;  // "http://127.0.0.1:5000", no trailing slash
    std::optional<std::string> api_key;
    std::chrono::milliseconds timeout{15'000};
};

// The Translator port on any LibreTranslate-compatible server: GET /languages for the pairs (cached),
// POST /translate {q, source, target, format:"text", api_key?} → {translatedText}; {error} bodies become
// kVendor errors carrying the server's message.
class LibreTranslateTranslator final : public core::ports::Translator {
  public:
    LibreTranslateTranslator(LibreTranslateOptions options, core::ports::HttpClient& http);
    std::string_view name() const override { return "libretranslate"; }
    std::vector<core::ports::LanguagePair> pairs() const override;
    core::Result<std::string> translate(std::string_view text, std::string_view source,
                                        std::string_view target) override;

  private:
    LibreTranslateOptions options_;
    core::ports::HttpClient& http_;
    mutable std::mutex mutex_;
    mutable std::optional<std::vector<core::ports::LanguagePair>> pairs_;  // fetched on first use
};

}  // namespace crossvoice::language
