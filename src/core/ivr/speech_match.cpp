#include <algorithm>
#include <array>
#include <cctype>
#include <string>
#include <vector>

#include "core/ivr/engine.hpp"

// Matching what a caller said against a menu's options. Recognizers return free text ("uh, billing please",
// "Bill ing", "option two"), so the match is by words, not by string equality: an option wins when one of its
// phrases or synonyms appears in the answer as whole words, a short answer names its digit, or a phrase is
// within a small edit distance of the words said (recognition errors: "sails" for "sales").
namespace crossvoice::core::ivr {

namespace {

using Words = std::vector<std::string>;

Words words_of(std::string_view text) {
    Words out;
    std::string current;
    for (const char raw : text) {
        const auto c = static_cast<unsigned char>(raw);
        if (std::isalnum(c) != 0) {
            current.push_back(static_cast<char>(std::tolower(c)));
        } else if (c >= 0x80) {
            current.push_back(raw);  // keep UTF-8 letters as they are: "línea"
        } else if (!current.empty()) {
            out.push_back(std::move(current));
            current.clear();
        }
    }
    if (!current.empty()) out.push_back(std::move(current));
    return out;
}

std::string join(const Words& words, std::size_t from, std::size_t count) {
    std::string out;
    for (std::size_t i = from; i < from + count; ++i) {
        if (!out.empty()) out.push_back(' ');
        out += words[i];
    }
    return out;
}

std::size_t edit_distance(std::string_view a, std::string_view b) {
    std::vector<std::size_t> row(b.size() + 1);
    for (std::size_t j = 0; j <= b.size(); ++j) row[j] = j;
    for (std::size_t i = 1; i <= a.size(); ++i) {
        std::size_t diagonal = row[0];
        row[0] = i;
        for (std::size_t j = 1; j <= b.size(); ++j) {
            const std::size_t above = row[j];
            row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
            diagonal = above;
        }
    }
    return row[b.size()];
}

// How many edits a phrase of this length tolerates: none for short words, where one letter changes the word.
std::size_t tolerance(std::size_t length) {
    if (length <= 3) return 0;
    if (length <= 6) return 1;
    if (length <= 10) return 2;
    return 3;
}

bool contains_words(const Words& said, const Words& phrase) {
    if (phrase.empty() || phrase.size() > said.size()) return false;
    for (std::size_t i = 0; i + phrase.size() <= said.size(); ++i) {
        if (std::equal(phrase.begin(), phrase.end(), said.begin() + static_cast<std::ptrdiff_t>(i))) return true;
    }
    return false;
}

std::size_t closest_window(const Words& said, const Words& phrase) {
    std::size_t best = std::string::npos;
    if (phrase.empty() || phrase.size() > said.size()) return best;
    const std::string target = join(phrase, 0, phrase.size());
    for (std::size_t i = 0; i + phrase.size() <= said.size(); ++i) {
        best = std::min(best, edit_distance(join(said, i, phrase.size()), target));
    }
    return best;
}

// Spoken names of the keypad keys.
std::string digit_word(std::string_view digit) {
    static constexpr std::array<std::string_view, 10> kNames{"zero", "one", "two",   "three", "four",
                                                             "five", "six", "seven", "eight", "nine"};
    if (digit.size() != 1) return {};
    if (digit[0] >= '0' && digit[0] <= '9') return std::string(kNames[static_cast<std::size_t>(digit[0] - '0')]);
    if (digit[0] == '*') return "star";
    if (digit[0] == '#') return "pound";
    return {};
}

bool names_digit(const Words& said, std::string_view digit) {
    if (digit.empty()) return false;
    const std::string word = digit_word(digit);
    const std::string numeral(digit);
    // A bare answer ("two", "2", "number two") or an explicit one anywhere ("press 2", "option two").
    static constexpr std::array<std::string_view, 4> kLeads{"option", "press", "number", "choice"};
    for (std::size_t i = 0; i < said.size(); ++i) {
        if (said[i] != word && said[i] != numeral) continue;
        if (said.size() <= 2) return true;
        if (i > 0 && std::find(kLeads.begin(), kLeads.end(), said[i - 1]) != kLeads.end()) return true;
    }
    return false;
}

// Picks the single best option by score; a tie between different options is no match (better to ask again
// than to send the caller to the wrong department).
struct Best {
    std::optional<std::size_t> option;
    long score = 0;
    bool tied = false;

    void offer(std::size_t index, long candidate) {
        if (!option || candidate > score) {
            option = index;
            score = candidate;
            tied = false;
        } else if (candidate == score && option != index) {
            tied = true;
        }
    }
    std::optional<std::size_t> result() const { return tied ? std::nullopt : option; }
};

}  // namespace

std::optional<std::size_t> match_speech(const MenuNode& menu, std::string_view speech) {
    const Words said = words_of(speech);
    if (said.empty()) return std::nullopt;

    Best exact;  // whole phrases present in the answer; longer phrases are more specific
    for (std::size_t i = 0; i < menu.options.size(); ++i) {
        const auto& option = menu.options[i];
        for (const auto* list : {&option.phrases, &option.synonyms}) {
            for (const auto& phrase : *list) {
                const Words words = words_of(phrase);
                if (contains_words(said, words)) exact.offer(i, static_cast<long>(join(words, 0, words.size()).size()));
            }
        }
    }
    if (exact.option) return exact.result();

    Best digit;
    for (std::size_t i = 0; i < menu.options.size(); ++i) {
        if (names_digit(said, menu.options[i].digit)) digit.offer(i, 1);
    }
    if (digit.option) return digit.result();

    Best close;  // fewest edits relative to what the phrase tolerates
    for (std::size_t i = 0; i < menu.options.size(); ++i) {
        const auto& option = menu.options[i];
        for (const auto* list : {&option.phrases, &option.synonyms}) {
            for (const auto& phrase : *list) {
                const Words words = words_of(phrase);
                const std::size_t distance = closest_window(said, words);
                const std::size_t allowed = tolerance(join(words, 0, words.size()).size());
                if (distance <= allowed) close.offer(i, -static_cast<long>(distance));
            }
        }
    }
    return close.result();
}

bool luhn_valid(std::string_view digits) {
    if (digits.size() < 2) return false;
    int sum = 0;
    bool twice = false;
    for (auto it = digits.rbegin(); it != digits.rend(); ++it) {
        if (*it < '0' || *it > '9') return false;
        int value = *it - '0';
        if (twice) {
            value *= 2;
            if (value > 9) value -= 9;
        }
        sum += value;
        twice = !twice;
    }
    return sum % 10 == 0;
}

}  // namespace crossvoice::core::ivr
