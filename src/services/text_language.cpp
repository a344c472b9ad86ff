#include "services/text_language.hpp"

#include <cctype>

#include "core/transcript.hpp"

namespace crossvoice::services {

std::string base_language(std::string_view tag) {
    std::string out;
    for (const char c : tag) {
        if (c == '-' || c == '_') break;
        if (std::isalpha(static_cast<unsigned char>(c)) == 0) return {};
        out.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
    }
    return out.size() == 2 || out.size() == 3 ? out : std::string();
}

std::optional<std::string> detect_confident_language(core::ports::TranscriptPipeline& detector, std::string_view text) {
    constexpr double kConfident = 0.5;
    core::Transcript probe;
    probe.text = std::string(text);
    core::ports::PipelineOptions detect_only;
    detect_only.diarize = false;
    detect_only.entities = false;
    detect_only.analyze = false;
    if (detector.run(probe, detect_only) && probe.language && probe.language_confidence >= kConfident) {
        return base_language(*probe.language);
    }
    return std::nullopt;
}

}  // namespace crossvoice::services
