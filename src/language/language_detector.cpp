#include "language/language_detector.hpp"

// compact_lang_det.h uses FILE without including <cstdio>.
#include <cstdio>

#include <cld2/public/compact_lang_det.h>
#include <cld2/public/encodings.h>

#include <cstddef>

namespace crossvoice::language {
namespace {

// CLD2 is sure of a call transcript long before this; the cap bounds the work and keeps the length in an int.
constexpr std::size_t kMaxDetectBytes = 64 * 1024;

// The longest prefix of at most `limit` bytes that does not end inside a UTF-8 sequence.
std::string_view prefix_on_boundary(std::string_view text, std::size_t limit) {
    if (text.size() <= limit) return text;
    std::size_t end = limit;
    // Continuation bytes are 10xxxxxx: back up to the lead byte of the sequence the cut would split.
    while (end > 0 && (static_cast<unsigned char>(text[end]) & 0xC0U) == 0x80U) --end;
    return text.substr(0, end);
}

}  // namespace

std::optional<DetectedLanguage> detect_language(std::string_view text) {
    const std::string_view sample = prefix_on_boundary(text, kMaxDetectBytes);
    if (sample.empty()) return std::nullopt;

    const CLD2::CLDHints hints{nullptr, nullptr, CLD2::UNKNOWN_ENCODING, CLD2::UNKNOWN_LANGUAGE};
    CLD2::Language top3[3];
    int percent3[3] = {0, 0, 0};
    double normalized_score3[3] = {0, 0, 0};
    int text_bytes = 0;
    bool is_reliable = false;
    int valid_prefix_bytes = 0;
    // The CheckUTF8 variant refuses invalid UTF-8 instead of reading past sequence ends.
    const CLD2::Language language = CLD2::ExtDetectLanguageSummaryCheckUTF8(
        sample.data(), static_cast<int>(sample.size()), /*is_plain_text=*/true, &hints, /*flags=*/0, top3, percent3,
        normalized_score3, /*resultchunkvector=*/nullptr, &text_bytes, &is_reliable, &valid_prefix_bytes);

    if (static_cast<std::size_t>(valid_prefix_bytes) < sample.size()) return std::nullopt;
    if (!is_reliable || language == CLD2::UNKNOWN_LANGUAGE || language == CLD2::TG_UNKNOWN_LANGUAGE) {
        return std::nullopt;
    }
    const char* code = CLD2::LanguageCode(language);
    if (code == nullptr || *code == '\0') return std::nullopt;

    // percent3[0] is the share of the text's letters in the top language; is_reliable already says the margin
    // over the runner-up is enough, so the share is what is left to tell.
    const int percent = language == top3[0] ? percent3[0] : 100;
    return DetectedLanguage{code, static_cast<double>(percent) / 100.0};
}

}  // namespace crossvoice::language
