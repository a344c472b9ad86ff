#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <fstream>
#include <iterator>
#include <sstream>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/wav.hpp"

// pocketsphinx-testdata's recordings and transcripts, and the word error rate, for the local engine's tests.
namespace crossvoice::speech::test {

inline const std::string kTestData = "/usr/share/pocketsphinx/test/data";
inline const std::string kLibrivox = kTestData + "/librivox";

inline std::string read_file(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

// goforward.raw: 16 kHz 16-bit little-endian mono, "go forward ten meters".
inline core::PcmAudio read_raw_16k(const std::string& path) {
    const std::string bytes = read_file(path);
    core::PcmAudio audio;
    audio.sample_rate = 16'000;
    audio.channels = 1;
    audio.samples.resize(bytes.size() / 2);
    for (std::size_t i = 0; i < audio.samples.size(); ++i) {
        const auto low = static_cast<unsigned char>(bytes[2 * i]);
        const auto high = static_cast<unsigned char>(bytes[2 * i + 1]);
        audio.samples[i] = static_cast<std::int16_t>(static_cast<std::uint16_t>(low | (high << 8)));
    }
    return audio;
}

inline std::vector<std::string> split_words(std::string_view text) {
    std::istringstream in{std::string(text)};
    return {std::istream_iterator<std::string>(in), std::istream_iterator<std::string>()};
}

// The reference words of `id` in librivox/transcription ("<s> words </s> (id)"); empty when it is not there.
inline std::vector<std::string> librivox_reference(const std::string& id) {
    std::istringstream lines(read_file(kLibrivox + "/transcription"));
    for (std::string line; std::getline(lines, line);) {
        if (line.find("(" + id + ")") == std::string::npos) continue;
        std::vector<std::string> words;
        for (std::string& word : split_words(line)) {
            if (word != "<s>" && word != "</s>" && word.front() != '(') words.push_back(std::move(word));
        }
        return words;
    }
    return {};
}

// Substitutions + deletions + insertions: the word-level edit distance from `reference` to `hypothesis`.
inline std::size_t word_errors(const std::vector<std::string>& reference, const std::vector<std::string>& hypothesis) {
    std::vector<std::size_t> previous(hypothesis.size() + 1);
    std::vector<std::size_t> current(hypothesis.size() + 1);
    for (std::size_t j = 0; j <= hypothesis.size(); ++j) previous[j] = j;
    for (std::size_t i = 1; i <= reference.size(); ++i) {
        current[0] = i;
        for (std::size_t j = 1; j <= hypothesis.size(); ++j) {
            const std::size_t substitute = previous[j - 1] + (reference[i - 1] == hypothesis[j - 1] ? 0 : 1);
            current[j] = std::min({substitute, previous[j] + 1, current[j - 1] + 1});
        }
        std::swap(previous, current);
    }
    return previous[hypothesis.size()];
}

inline double word_error_rate(const std::vector<std::string>& reference, const std::vector<std::string>& hypothesis) {
    return reference.empty() ? 0 : static_cast<double>(word_errors(reference, hypothesis)) / reference.size();
}

}  // namespace crossvoice::speech::test
