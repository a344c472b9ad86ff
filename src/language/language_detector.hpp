#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace crossvoice::language {

struct DetectedLanguage {
    std::string code;       // ISO 639-1 where one exists ("en", "es"); CLD2's code otherwise ("zh-Hant")
    double confidence = 0;  // 0..1: the share of the text CLD2 assigned to this language
};

// The language of `text` by CLD2 (Compact Language Detector 2). nullopt when the text is not valid UTF-8, too
// short or too mixed for CLD2 to call its answer reliable, or in no language it knows. Pure and thread-safe.
std::optional<DetectedLanguage> detect_language(std::string_view text);

}  // namespace crossvoice::language
