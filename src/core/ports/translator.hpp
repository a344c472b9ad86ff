#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/result.hpp"

namespace crossvoice::core::ports {

struct LanguagePair {
    std::string source;  // ISO 639-1: "en"
    std::string target;  // "es"
};

// Machine translation. Blocking; thread-safe.
class Translator {
  public:
    virtual ~Translator() = default;
    virtual std::string_view name() const = 0;  // "apertium", "libretranslate"
    // The pairs this engine translates. May be empty when the engine cannot be reached.
    virtual std::vector<LanguagePair> pairs() const = 0;
    // Errors: kValidation naming the supported pairs when (source, target) is not one of them; kVendor,
    // kTimeout or kUnavailable when the engine fails.
    virtual Result<std::string> translate(std::string_view text, std::string_view source, std::string_view target) = 0;
};

}  // namespace crossvoice::core::ports
