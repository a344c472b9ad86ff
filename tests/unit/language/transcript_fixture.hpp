#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/transcript.hpp"

namespace crossvoice::language::testing {

// A transcript whose text is `words` joined by single spaces (as both engines build it): each word half a
// second long, confidence 0.9, lower-cased and unpunctuated in `word`.
inline core::Transcript transcript_of(const std::vector<std::string>& words, int channel = 0) {
    core::Transcript transcript;
    double at = 0;
    for (const std::string& punctuated : words) {
        core::TranscriptWord word;
        word.punctuated = punctuated;
        for (const char c : punctuated) {
            if (c == ',' || c == '.' || c == '?' || c == '!') continue;
            word.word.push_back(c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c);
        }
        word.start = at;
        word.end = at + 0.4;
        word.confidence = 0.9;
        word.channel = channel;
        at += 0.5;
        if (!transcript.text.empty()) transcript.text.push_back(' ');
        transcript.text += punctuated;
        transcript.words.push_back(std::move(word));
    }
    transcript.duration = at;
    return transcript;
}

// "My card is 4111" → {"My", "card", "is", "4111"}.
inline std::vector<std::string> split(std::string_view text) {
    std::vector<std::string> words;
    std::size_t from = 0;
    while (from < text.size()) {
        std::size_t to = text.find(' ', from);
        if (to == std::string_view::npos) to = text.size();
        if (to > from) words.emplace_back(text.substr(from, to - from));
        from = to + 1;
    }
    return words;
}

inline std::string_view covered(const core::Transcript& transcript, const core::Entity& entity) {
    return std::string_view(transcript.text).substr(entity.start_char, entity.end_char - entity.start_char);
}

}  // namespace crossvoice::language::testing
