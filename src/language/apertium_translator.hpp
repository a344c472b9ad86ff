#pragma once

#include <chrono>
#include <string>

#include "core/ports/translator.hpp"

namespace crossvoice::language {

struct ApertiumOptions {
    std::string program = "apertium";                     // on PATH
    std::string modes_dir = "/usr/share/apertium/modes";  // one <src>-<dst>.mode file per installed pair
    std::chrono::milliseconds timeout{30'000};
};

// The Translator port on the Apertium command-line pipeline (Debian packages apertium, apertium-eng-spa):
// pairs are the installed modes with ISO 639-3 names mapped to ISO 639-1 ("eng-spa" → en→es).
class ApertiumTranslator final : public core::ports::Translator {
  public:
    explicit ApertiumTranslator(ApertiumOptions options = {});
    std::string_view name() const override { return "apertium"; }
    std::vector<core::ports::LanguagePair> pairs() const override;
    core::Result<std::string> translate(std::string_view text, std::string_view source,
                                        std::string_view target) override;

  private:
    ApertiumOptions options_;
    std::vector<core::ports::LanguagePair> pairs_;  // read once at construction
    std::vector<std::string> mode_names_;           // parallel to pairs_: "eng-spa"
};

}  // namespace crossvoice::language
