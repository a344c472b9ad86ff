#include "language/apertium_translator.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <filesystem>
#include <system_error>
#include <utility>

#include "language/child_process.hpp"
#include "language/language_codes.hpp"

namespace crossvoice::language {
namespace {

using core::ports::LanguagePair;

bool is_iso639_3(std::string_view code) {
    return code.size() == 3 && std::all_of(code.begin(), code.end(), [](char ch) { return ch >= 'a' && ch <= 'z'; });
}

bool is_blank(std::string_view text) {
    return std::all_of(text.begin(), text.end(),
                       [](char ch) { return ch == ' ' || ch == '\t' || ch == '\n' || ch == '\r' || ch == '\f'; });
}

std::string_view trim(std::string_view text) {
    constexpr std::string_view kSpace = " \t\r\n\f";
    const auto first = text.find_first_not_of(kSpace);
    if (first == std::string_view::npos) return {};
    return text.substr(first, text.find_last_not_of(kSpace) - first + 1);
}

// Apertium marks words it could not analyse ('*'), generate ('#') or translate ('@'). "-u" turns the marks off,
// but a mode file may still let one through; a mark is only ever at the start of a word.
std::string strip_marks(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    for (std::size_t i = 0; i < text.size(); ++i) {
        const char ch = text[i];
        const bool word_start = i == 0 || text[i - 1] == ' ' || text[i - 1] == '\n' || text[i - 1] == '\t' ||
                                text[i - 1] == '(' || text[i - 1] == '"';
        const bool next_is_word = i + 1 < text.size() && text[i + 1] != ' ' && text[i + 1] != '\n';
        if ((ch == '*' || ch == '#' || ch == '@') && word_start && next_is_word) continue;
        out.push_back(ch);
    }
    return std::string(trim(out));
}

std::string last_line(std::string_view text) {
    text = trim(text);
    const auto newline = text.rfind('\n');
    return std::string(newline == std::string_view::npos ? text : text.substr(newline + 1));
}

}  // namespace

ApertiumTranslator::ApertiumTranslator(ApertiumOptions options) : options_(std::move(options)) {
    // "eng-spa.mode" is a pair; "spa-eng_US.mode" is a variant of one, and "eng-spa-tagger.mode" a debugging
    // stage: only the plain <iso639-3>-<iso639-3> names are offered.
    // Iterated with error codes throughout: an unreadable directory means no pairs, never an exception.
    std::error_code error;
    std::vector<std::string> modes;
    for (std::filesystem::directory_iterator it(options_.modes_dir, error), end; !error && it != end;
         it.increment(error)) {
        const auto& path = it->path();
        if (path.extension() != ".mode") continue;
        const std::string stem = path.stem().string();
        if (stem.size() != 7 || stem[3] != '-') continue;
        if (!is_iso639_3(std::string_view(stem).substr(0, 3)) || !is_iso639_3(std::string_view(stem).substr(4))) {
            continue;
        }
        modes.push_back(stem);
    }
    std::sort(modes.begin(), modes.end());  // directory order is arbitrary; error messages should not be
    for (auto& mode : modes) {
        pairs_.push_back(LanguagePair{iso639_1(mode.substr(0, 3)), iso639_1(mode.substr(4))});
        mode_names_.push_back(std::move(mode));
    }
}

std::vector<LanguagePair> ApertiumTranslator::pairs() const { return pairs_; }

core::Result<std::string> ApertiumTranslator::translate(std::string_view text, std::string_view source,
                                                        std::string_view target) {
    const std::string from = iso639_1(source);
    const std::string to = iso639_1(target);
    const auto found = std::find_if(pairs_.begin(), pairs_.end(),
                                    [&](const LanguagePair& pair) { return pair.source == from && pair.target == to; });
    if (found == pairs_.end()) {
        const std::string installed = describe_pairs(pairs_);
        return core::Error{core::ErrorCode::kValidation,
                           fmt::format("no Apertium pair for {}→{}; installed: {}", from, to, installed),
                           {{"field", "target"}, {"source", from}, {"target", to}, {"supported", installed}}};
    }
    if (is_blank(text)) return std::string(text);
    const std::string& mode = mode_names_[static_cast<std::size_t>(found - pairs_.begin())];

    // Apertium looks for <dir>/modes/<pair>.mode; -u leaves unknown words unmarked.
    std::vector<std::string> argv{options_.program};
    const std::filesystem::path modes_dir(options_.modes_dir);
    if (modes_dir.filename() == "modes") {
        argv.push_back("-d");
        argv.push_back(modes_dir.parent_path().string());
    }
    argv.push_back("-u");
    argv.push_back(mode);

    ChildLimits limits;
    limits.timeout = options_.timeout;
    limits.max_output_bytes = std::max<std::size_t>(1024 * 1024, text.size() * 8);
    auto run = run_child(argv, text, limits);
    if (!run) {
        core::Error error = std::move(run).error();
        if (error.code == core::ErrorCode::kUnavailable) {
            error.message = "apertium is not installed (apt-get install apertium apertium-eng-spa)";
        }
        return std::move(error).with("engine", "apertium").with("pair", mode);
    }
    if (run->exit_code != 0) {
        const std::string reason = last_line(run->err);
        return core::Error{core::ErrorCode::kVendor,
                           fmt::format("apertium {} failed (exit {}): {}", mode, run->exit_code,
                                       reason.empty() ? "no message" : reason),
                           {{"engine", "apertium"},
                            {"pair", mode},
                            {"exit_code", std::to_string(run->exit_code)},
                            {"stderr", std::string(trim(run->err))}}};
    }
    return strip_marks(run->out);
}

}  // namespace crossvoice::language
