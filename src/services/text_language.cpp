#include "services/text_language.hpp"

#include <algorithm>
#include <cctype>

#include "core/transcript.hpp"

namespace crossvoice::services {

bool is_language_tag(std::string_view tag) {
    if (tag.empty() || tag.size() > 35) return false;
    const auto letters = [](char c) { return std::isalpha(static_cast<unsigned char>(c)) != 0; };
    const auto letters_or_digits = [](char c) { return std::isalnum(static_cast<unsigned char>(c)) != 0; };
    std::size_t start = 0;
    bool first = true;
    while (true) {
        const auto dash = tag.find('-', start);
        const auto part = tag.substr(start, dash == std::string_view::npos ? std::string_view::npos : dash - start);
        const bool ok =
            first ? part.size() >= 2 && part.size() <= 3 && std::all_of(part.begin(), part.end(), letters)
                  : !part.empty() && part.size() <= 8 && std::all_of(part.begin(), part.end(), letters_or_digits);
        if (!ok) return false;
        if (dash == std::string_view::npos) return true;
        start = dash + 1;
        first = false;
    }
}

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
