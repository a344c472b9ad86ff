#pragma once

#include <chrono>
#include <mutex>
#include <optional>
#include <string>
#include <utility>
#include <vector>

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

    // What GET /languages offers: the pairs in ISO 639-1, and the server's own spelling of each code
    // ("zh-Hans", "pt-BR"), which is what /translate must be sent.
    struct Catalog {
        std::vector<core::ports::LanguagePair> pairs;
        std::vector<std::pair<std::string, std::string>> server_codes;  // ISO 639-1 → server code
    };

  private:
    core::Result<Catalog> catalog() const;
    core::ports::HttpRequest request(std::string method, std::string path) const;

    LibreTranslateOptions options_;
    core::ports::HttpClient& http_;
    mutable std::mutex mutex_;
    mutable std::optional<Catalog> catalog_;  // fetched on first success, then kept
};

}  // namespace crossvoice::language
