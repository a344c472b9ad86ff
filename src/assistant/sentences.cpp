#include "assistant/sentences.hpp"

#include <algorithm>

#include "assistant/markdown_inline.hpp"

namespace crossvoice::assistant {
namespace {

bool starts_sentence(char ch) {
    return (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') || ch == '"' || ch == '\'' || ch == '(' ||
           static_cast<unsigned char>(ch) >= 0x80U;
}

std::string_view trim(std::string_view text) {
    const auto first = text.find_first_not_of(' ');
    if (first == std::string_view::npos) return {};
    return text.substr(first, text.find_last_not_of(' ') - first + 1);
}

bool is_url_start(std::string_view rest) {
    return rest.starts_with("http://") || rest.starts_with("https://") || rest.starts_with("www.");
}

bool trailing_punctuation(char ch) {
    return ch == '.' || ch == ',' || ch == ';' || ch == ':' || ch == '!' || ch == '?' || ch == ')';
}

}  // namespace

std::vector<std::string_view> split_sentences(std::string_view text) {
    std::vector<std::string_view> sentences;
    std::size_t start = 0;
    for (std::size_t i = 0; i < text.size(); ++i) {
        const char ch = text[i];
        if (ch != '.' && ch != '!' && ch != '?') continue;
        const bool at_end = i + 1 == text.size();
        const bool boundary = at_end || (i + 2 < text.size() && text[i + 1] == ' ' && starts_sentence(text[i + 2]));
        if (!boundary) continue;
        if (auto sentence = trim(text.substr(start, i + 1 - start)); !sentence.empty()) sentences.push_back(sentence);
        start = i + 1;
    }
    if (auto rest = trim(text.substr(std::min(start, text.size()))); !rest.empty()) sentences.push_back(rest);
    return sentences;
}

std::size_t count_words(std::string_view text) {
    std::size_t words = 0;
    bool in_word = false;
    for (const char ch : text) {
        const bool space = ch == ' ' || ch == '\n' || ch == '\t';
        if (!space && !in_word) ++words;
        in_word = !space;
    }
    return words;
}

std::string replace_urls(std::string_view text, std::string_view replacement) {
    std::string out;
    out.reserve(text.size());
    std::size_t i = 0;
    while (i < text.size()) {
        const bool word_start = i == 0 || text[i - 1] == ' ' || text[i - 1] == '(' || text[i - 1] == '\n';
        if (word_start && is_url_start(text.substr(i))) {
            std::size_t end = text.find_first_of(" \n\t", i);
            if (end == std::string_view::npos) end = text.size();
            while (end > i && trailing_punctuation(text[end - 1])) --end;
            out.append(replacement);
            i = end;
            continue;
        }
        out.push_back(text[i]);
        ++i;
    }
    return out;
}

std::string speakable(std::string_view text) {
    std::string plain = replace_urls(text, "our website");
    for (char& ch : plain) {
        if (ch == '*' || ch == '#' || ch == '`' || ch == '|' || ch == '_' || ch == '<' || ch == '>') ch = ' ';
    }
    return collapse_whitespace(plain);
}

std::string shorten_sentence(std::string_view sentence, std::size_t max_words) {
    if (count_words(sentence) <= max_words) return std::string(sentence);
    // The end of the last word that fits, and the last clause boundary before it.
    std::size_t words = 0;
    std::size_t limit = sentence.size();
    std::size_t clause = std::string_view::npos;
    bool in_word = false;
    for (std::size_t i = 0; i < sentence.size(); ++i) {
        const bool space = sentence[i] == ' ';
        if (!space && !in_word && ++words > max_words) {
            limit = i;
            break;
        }
        if ((sentence[i] == ',' || sentence[i] == ';') && words >= max_words / 3) clause = i;
        in_word = !space;
    }
    std::string cut(trim(sentence.substr(0, clause != std::string_view::npos ? clause : limit)));
    while (!cut.empty() && (cut.back() == ',' || cut.back() == ';' || cut.back() == ':')) cut.pop_back();
    cut.push_back('.');
    return cut;
}

}  // namespace crossvoice::assistant
