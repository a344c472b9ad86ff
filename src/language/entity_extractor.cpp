#include "language/entity_extractor.hpp"

#include <phonenumbers/phonenumbermatch.h>
#include <phonenumbers/phonenumbermatcher.h>
#include <phonenumbers/phonenumberutil.h>

#include <algorithm>
#include <array>
#include <cstddef>
#include <functional>
#include <limits>
#include <string>
#include <string_view>
#include <utility>

namespace crossvoice::language {
namespace {

using i18n::phonenumbers::PhoneNumber;
using i18n::phonenumbers::PhoneNumberMatch;
using i18n::phonenumbers::PhoneNumberMatcher;
using i18n::phonenumbers::PhoneNumberUtil;

constexpr std::size_t kNone = std::numeric_limits<std::size_t>::max();
constexpr const char* kSource = "crossvoice";
// libphonenumber gives up after this many candidate spans that fail; bounds the work on long digit-heavy text.
constexpr int kPhoneMatcherMaxTries = 1000;

bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_alpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'; }
char to_lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }
bool all_digits(std::string_view s) { return !s.empty() && std::all_of(s.begin(), s.end(), is_digit); }

int to_int(std::string_view digits) {
    int value = 0;
    for (const char c : digits) value = value * 10 + (c - '0');
    return value;
}

bool overlaps(std::size_t a_start, std::size_t a_end, std::size_t b_start, std::size_t b_end) {
    return a_start < b_end && b_start < a_end;
}

// --- Tokens ----------------------------------------------------------------------------------------------------

// A whitespace-delimited word of the text, and its core without the punctuation around it ("(415)" → "415",
// "5th," → "5th"). '$', '#' and '@' are not stripped: they belong to money, order numbers and emails.
struct Token {
    std::size_t raw_start = 0;
    std::size_t raw_end = 0;
    std::size_t start = 0;
    std::size_t end = 0;
    std::string lower;  // the core, ASCII lower-cased
};

bool is_leading_punct(char c) { return c == '"' || c == '\'' || c == '(' || c == '[' || c == '{' || c == '<'; }
bool is_trailing_punct(char c) {
    return c == '.' || c == ',' || c == ';' || c == ':' || c == '!' || c == '?' || c == '"' || c == '\'' || c == ')' ||
           c == ']' || c == '}' || c == '>';
}

std::vector<Token> tokenize(std::string_view text) {
    std::vector<Token> tokens;
    std::size_t i = 0;
    while (i < text.size()) {
        while (i < text.size() && is_space(text[i])) ++i;
        if (i == text.size()) break;
        Token token;
        token.raw_start = i;
        while (i < text.size() && !is_space(text[i])) ++i;
        token.raw_end = i;
        token.start = token.raw_start;
        token.end = token.raw_end;
        while (token.start < token.end && is_leading_punct(text[token.start])) ++token.start;
        while (token.end > token.start && is_trailing_punct(text[token.end - 1])) --token.end;
        token.lower.reserve(token.end - token.start);
        for (std::size_t k = token.start; k < token.end; ++k) token.lower.push_back(to_lower(text[k]));
        tokens.push_back(std::move(token));
    }
    return tokens;
}

// The punctuation after a token's core: "" for "March", "," for "5th,".
std::string_view trailing(std::string_view text, const Token& token) {
    return text.substr(token.end, token.raw_end - token.end);
}

// --- Digit runs -------------------------------------------------------------------------------------------------

int digit_word(std::string_view word) {
    static constexpr std::array<std::pair<std::string_view, int>, 11> kWords{{{"zero", 0},
                                                                              {"oh", 0},
                                                                              {"one", 1},
                                                                              {"two", 2},
                                                                              {"three", 3},
                                                                              {"four", 4},
                                                                              {"five", 5},
                                                                              {"six", 6},
                                                                              {"seven", 7},
                                                                              {"eight", 8},
                                                                              {"nine", 9}}};
    for (const auto& [name, value] : kWords) {
        if (word == name) return value;
    }
    return -1;
}

// "four" → "4", "four-one-one" → "411"; "" when any part is not a digit word.
std::string spoken_digits(std::string_view word) {
    std::string digits;
    std::size_t from = 0;
    while (from <= word.size()) {
        const std::size_t dash = std::min(word.find('-', from), word.size());
        const int value = digit_word(word.substr(from, dash - from));
        if (value < 0) return {};
        digits.push_back(static_cast<char>('0' + value));
        from = dash + 1;
    }
    return digits;
}

void add_written_pieces(std::string_view text, std::vector<DigitPiece>& pieces) {
    std::size_t i = 0;
    while (i < text.size()) {
        if (!is_digit(text[i])) {
            ++i;
            continue;
        }
        DigitPiece piece;
        piece.start = i;
        std::size_t group = 0;
        while (true) {
            while (i < text.size() && is_digit(text[i])) {
                piece.digits.push_back(text[i]);
                ++group;
                ++i;
            }
            const bool separator = i + 1 < text.size() && is_digit(text[i + 1]) &&
                                   (text[i] == '-' || text[i] == '.' || text[i] == ',' || text[i] == '/');
            if (!separator) break;
            if (text[i] != '-') piece.plain = false;
            piece.groups.push_back(group);
            group = 0;
            ++i;
        }
        piece.groups.push_back(group);
        piece.end = i;
        pieces.push_back(std::move(piece));
    }
}

void add_spoken_pieces(std::string_view text, const std::vector<Token>& tokens, std::vector<DigitPiece>& pieces) {
    for (std::size_t i = 0; i < tokens.size(); ++i) {
        const Token& token = tokens[i];
        const int repeat = token.lower == "double" ? 2 : token.lower == "triple" ? 3 : 0;
        if (repeat > 0 && i + 1 < tokens.size() && trailing(text, token).empty()) {
            const std::string next = spoken_digits(tokens[i + 1].lower);
            if (next.size() == 1) {
                pieces.push_back(
                    DigitPiece{token.start, tokens[i + 1].end, std::string(repeat, next[0]), true, true, {}});
                ++i;
                continue;
            }
        }
        std::string digits = spoken_digits(token.lower);
        if (!digits.empty()) pieces.push_back(DigitPiece{token.start, token.end, std::move(digits), true, true, {}});
    }
}

// Whether two pieces belong to one run: only spaces between them, and at most one comma or dash.
bool joins(std::string_view gap) {
    if (gap.empty()) return false;
    int marks = 0;
    for (const char c : gap) {
        if (is_space(c)) continue;
        if ((c != ',' && c != '-') || ++marks > 1) return false;
    }
    return true;
}

std::vector<DigitRun> digit_runs(std::string_view text, const std::vector<Token>& tokens) {
    std::vector<DigitPiece> pieces;
    add_written_pieces(text, pieces);
    add_spoken_pieces(text, tokens, pieces);
    std::sort(pieces.begin(), pieces.end(), [](const DigitPiece& a, const DigitPiece& b) { return a.start < b.start; });

    std::vector<DigitRun> runs;
    for (DigitPiece& piece : pieces) {
        if (runs.empty() || !joins(text.substr(runs.back().end, piece.start - runs.back().end))) {
            runs.emplace_back();
            runs.back().start = piece.start;
        }
        DigitRun& run = runs.back();
        run.end = piece.end;
        run.digits += piece.digits;
        run.spoken = run.spoken || piece.spoken;
        run.plain = run.plain && piece.plain;
        run.pieces.push_back(std::move(piece));
    }
    return runs;
}

// Calls `accept(first, last, digits)` for spans of whole pieces of `run`, longest first from each starting piece;
// when it returns true the search goes on after `last`.
void for_each_span(const DigitRun& run, const std::function<bool(std::size_t, std::size_t, std::string_view)>& accept) {
    std::vector<std::size_t> offset(run.pieces.size() + 1, 0);
    for (std::size_t k = 0; k < run.pieces.size(); ++k) offset[k + 1] = offset[k] + run.pieces[k].digits.size();
    std::size_t first = 0;
    while (first < run.pieces.size()) {
        std::size_t next = first + 1;
        for (std::size_t last = run.pieces.size(); last-- > first;) {
            const std::string_view digits =
                std::string_view(run.digits).substr(offset[first], offset[last + 1] - offset[first]);
            if (accept(first, last, digits)) {
                next = last + 1;
                break;
            }
        }
        first = next;
    }
}

// --- Checks -----------------------------------------------------------------------------------------------------

bool passes_luhn(std::string_view digits) {
    int sum = 0;
    bool double_it = false;
    for (auto it = digits.rbegin(); it != digits.rend(); ++it) {
        int d = *it - '0';
        if (double_it) {
            d *= 2;
            if (d > 9) d -= 9;
        }
        sum += d;
        double_it = !double_it;
    }
    return sum % 10 == 0;
}

bool is_card_number(std::string_view digits) {
    if (digits.size() < 13 || digits.size() > 19) return false;
    // A run of one repeated digit passes Luhn for zeros and reads as anything but a card.
    if (digits.find_first_not_of(digits[0]) == std::string_view::npos) return false;
    return passes_luhn(digits);
}

// Area 000, 666 and 900-999, group 00 and serial 0000 were never issued.
bool is_valid_ssn(std::string_view digits) {
    if (digits.size() != 9) return false;
    const int area = to_int(digits.substr(0, 3));
    return area != 0 && area != 666 && area < 900 && to_int(digits.substr(3, 2)) != 0 &&
           to_int(digits.substr(5, 4)) != 0;
}

std::string format_ssn(std::string_view digits) {
    return std::string(digits.substr(0, 3)) + "-" + std::string(digits.substr(3, 2)) + "-" +
           std::string(digits.substr(5));
}

// --- Candidates -------------------------------------------------------------------------------------------------

// Lower rank wins an overlap: the more specific kind.
enum Rank { kCard, kSsn, kPhone, kAccount, kOrder, kEmail, kUrl, kMoney, kDate, kTime };

struct Candidate {
    Rank rank;
    int preference;  // among overlapping candidates of one rank, lower wins
    core::Entity entity;
};

class Collector {
  public:
    explicit Collector(std::string_view text) : text_(text) {}

    void add(Rank rank, const char* type, std::size_t start, std::size_t end, std::string value,
             double confidence = 1.0, int preference = 0) {
        if (start >= end || end > text_.size()) return;
        core::Entity entity;
        entity.type = type;
        entity.value = std::move(value);
        entity.start_char = start;
        entity.end_char = end;
        entity.confidence = confidence;
        entity.source = kSource;
        candidates_.push_back(Candidate{rank, preference, std::move(entity)});
    }
    void add_text(Rank rank, const char* type, std::size_t start, std::size_t end, double confidence = 1.0) {
        add(rank, type, start, end, std::string(text_.substr(start, end - start)), confidence);
    }

    std::vector<core::Entity> resolve() && {
        std::stable_sort(candidates_.begin(), candidates_.end(), [](const Candidate& a, const Candidate& b) {
            if (a.rank != b.rank) return a.rank < b.rank;
            if (a.preference != b.preference) return a.preference < b.preference;
            if (a.entity.start_char != b.entity.start_char) return a.entity.start_char < b.entity.start_char;
            return a.entity.end_char > b.entity.end_char;
        });
        std::vector<core::Entity> kept;
        for (Candidate& candidate : candidates_) {
            const core::Entity& e = candidate.entity;
            const bool taken = std::any_of(kept.begin(), kept.end(), [&](const core::Entity& k) {
                return overlaps(e.start_char, e.end_char, k.start_char, k.end_char);
            });
            if (!taken) kept.push_back(std::move(candidate.entity));
        }
        std::sort(kept.begin(), kept.end(),
                  [](const core::Entity& a, const core::Entity& b) { return a.start_char < b.start_char; });
        return kept;
    }

  private:
    std::string_view text_;
    std::vector<Candidate> candidates_;
};

struct Scan {
    std::string_view text;
    std::vector<Token> tokens;
    std::vector<DigitRun> runs;

    // The run that starts inside token `index`'s core, if any.
    const DigitRun* run_in(std::size_t index) const {
        const Token& token = tokens[index];
        const auto it = std::lower_bound(runs.begin(), runs.end(), token.start,
                                         [](const DigitRun& r, std::size_t pos) { return r.start < pos; });
        return it != runs.end() && it->start < token.end ? &*it : nullptr;
    }
};

// How usual a card number's length is: 16 (Visa, Mastercard, Discover), 15 (Amex), then the rarer ones. A stray
// number said next to a card ("I am 42, 4111 ...") can make a longer run that passes Luhn by chance.
int card_length_preference(std::size_t length) {
    static constexpr std::array<std::size_t, 7> kOrder{16, 15, 19, 14, 13, 18, 17};
    return static_cast<int>(std::find(kOrder.begin(), kOrder.end(), length) - kOrder.begin());
}

void find_cards(const Scan& scan, Collector& out) {
    for (const DigitRun& run : scan.runs) {
        if (!run.plain || run.digits.size() < 13) continue;
        // Every span of whole pieces that is a card; the collector keeps the likeliest of overlapping ones.
        std::size_t offset = 0;
        for (std::size_t first = 0; first < run.pieces.size(); ++first) {
            std::size_t length = 0;
            for (std::size_t last = first; last < run.pieces.size() && length <= 19; ++last) {
                length += run.pieces[last].digits.size();
                const std::string_view digits = std::string_view(run.digits).substr(offset, length);
                if (is_card_number(digits)) {
                    out.add(kCard, "card_number", run.pieces[first].start, run.pieces[last].end, std::string(digits),
                            1.0, card_length_preference(length));
                }
            }
            offset += run.pieces[first].digits.size();
        }
    }
}

// The first token after `keyword` (within a few) that is not a filler word like "number" or "is".
std::size_t identifier_after(const Scan& scan, std::size_t keyword) {
    static constexpr std::array<std::string_view, 20> kFillers{
        "number", "no", "num", "nr", "#", "is",     "was", "it's", "its",      "it",
        "of",     "my", "the", ":",  "-", "ending", "in",  "id",   "security", "being"};
    constexpr std::size_t kMaxFillers = 4;
    if (trailing(scan.text, scan.tokens[keyword]).find_first_of(".?!") != std::string_view::npos) return kNone;
    for (std::size_t i = keyword + 1; i < scan.tokens.size() && i <= keyword + 1 + kMaxFillers; ++i) {
        const std::string& word = scan.tokens[i].lower;
        if (std::find(kFillers.begin(), kFillers.end(), word) == kFillers.end()) return i;
        // A sentence end between the keyword and the number breaks the link.
        const std::string_view after = trailing(scan.text, scan.tokens[i]);
        if (after.find_first_of(".?!") != std::string_view::npos) return kNone;
    }
    return kNone;
}

void find_ssns(const Scan& scan, Collector& out) {
    // Written the usual way: ddd-dd-dddd, with or without anything said around it.
    for (const DigitRun& run : scan.runs) {
        for (const DigitPiece& piece : run.pieces) {
            const bool shaped = !piece.spoken && piece.plain && piece.groups == std::vector<std::size_t>{3, 2, 4};
            if (shaped && is_valid_ssn(piece.digits)) {
                out.add(kSsn, "ssn", piece.start, piece.end, format_ssn(piece.digits));
            }
        }
    }
    // Nine digits in any form right after "social security number" / "SSN".
    for (std::size_t i = 0; i < scan.tokens.size(); ++i) {
        const std::string& word = scan.tokens[i].lower;
        const bool keyword = word == "ssn" || word == "s.s.n" ||
                             (word == "social" && i + 1 < scan.tokens.size() && scan.tokens[i + 1].lower == "security");
        if (!keyword) continue;
        const std::size_t at = identifier_after(scan, i);
        if (at == kNone) continue;
        const DigitRun* run = scan.run_in(at);
        if (run == nullptr || !run->plain) continue;
        std::size_t count = 0;
        for (std::size_t k = 0; k < run->pieces.size(); ++k) {
            count += run->pieces[k].digits.size();
            if (count > 9) break;
            if (count == 9) {
                const std::string_view digits = std::string_view(run->digits).substr(0, 9);
                if (is_valid_ssn(digits)) out.add(kSsn, "ssn", run->start, run->pieces[k].end, format_ssn(digits));
                break;
            }
        }
    }
}

void find_phones(const Scan& scan, Collector& out) {
    const PhoneNumberUtil& util = *PhoneNumberUtil::GetInstance();
    PhoneNumberMatcher matcher(util, std::string(scan.text), "US", PhoneNumberMatcher::VALID, kPhoneMatcherMaxTries);
    PhoneNumberMatch match;
    while (matcher.HasNext() && matcher.Next(&match)) {
        std::string e164;
        util.Format(match.number(), PhoneNumberUtil::E164, &e164);
        out.add(kPhone, "phone_number", static_cast<std::size_t>(match.start()), static_cast<std::size_t>(match.end()),
                std::move(e164));
    }
    // libphonenumber reads written numbers only; a number said digit by digit is a 10-digit run (11 with the
    // country code 1) that it then checks.
    for (const DigitRun& run : scan.runs) {
        if (!run.spoken || !run.plain || run.digits.size() < 10) continue;
        for_each_span(run, [&](std::size_t first, std::size_t last, std::string_view digits) {
            if (digits.size() != 10 && !(digits.size() == 11 && digits[0] == '1')) return false;
            PhoneNumber number;
            if (util.Parse(std::string(digits), "US", &number) != PhoneNumberUtil::NO_PARSING_ERROR ||
                !util.IsValidNumber(number)) {
                return false;
            }
            std::string e164;
            util.Format(number, PhoneNumberUtil::E164, &e164);
            out.add(kPhone, "phone_number", run.pieces[first].start, run.pieces[last].end, std::move(e164));
            return true;
        });
    }
}

// "order number ABC-12345", "account number 12345678", "order #12345", "account number four four one ...".
void find_reference_numbers(const Scan& scan, Collector& out) {
    for (std::size_t i = 0; i < scan.tokens.size(); ++i) {
        const std::string& word = scan.tokens[i].lower;
        const bool account = word == "account" || word == "acct";
        if (!account && word != "order") continue;
        const Rank rank = account ? kAccount : kOrder;
        const char* type = account ? "account_number" : "order_number";
        const std::size_t min_digits = account ? 4 : 3;
        const std::size_t at = identifier_after(scan, i);
        if (at == kNone) continue;
        const Token& token = scan.tokens[at];
        std::size_t start = token.start;
        if (start < token.end && scan.text[start] == '#') ++start;
        const std::string_view core = scan.text.substr(start, token.end - start);
        const auto digit_count = static_cast<std::size_t>(std::count_if(core.begin(), core.end(), is_digit));
        const bool letters = std::any_of(core.begin(), core.end(), is_alpha);
        const bool id_chars = std::all_of(core.begin(), core.end(), [](char c) {
            return is_digit(c) || is_alpha(c) || c == '-' || c == '_' || c == '/';
        });
        if (letters && id_chars && digit_count >= 1 && core.size() >= min_digits) {
            out.add_text(rank, type, start, token.end, 0.9);
            continue;
        }
        const DigitRun* run = scan.run_in(at);
        if (run != nullptr && run->plain && run->digits.size() >= min_digits) {
            out.add(rank, type, run->start, run->end, run->digits, 0.9);
        }
    }
}

bool is_email_local_char(char c) {
    return is_alpha(c) || is_digit(c) || c == '.' || c == '_' || c == '%' || c == '+' || c == '-';
}
bool is_domain_char(char c) { return is_alpha(c) || is_digit(c) || c == '.' || c == '-'; }

void find_emails(std::string_view text, Collector& out) {
    for (std::size_t at = text.find('@'); at != std::string_view::npos; at = text.find('@', at + 1)) {
        std::size_t start = at;
        while (start > 0 && is_email_local_char(text[start - 1])) --start;
        while (start < at && text[start] == '.') ++start;
        std::size_t end = at + 1;
        while (end < text.size() && is_domain_char(text[end])) ++end;
        while (end > at + 1 && (text[end - 1] == '.' || text[end - 1] == '-')) --end;
        if (start == at) continue;
        const std::string_view domain = text.substr(at + 1, end - at - 1);
        const std::size_t dot = domain.rfind('.');
        if (dot == std::string_view::npos || dot == 0) continue;
        const std::string_view tld = domain.substr(dot + 1);
        if (tld.size() < 2 || !std::all_of(tld.begin(), tld.end(), is_alpha)) continue;
        out.add_text(kEmail, "email", start, end);
    }
}

void find_urls(const Scan& scan, Collector& out) {
    for (const Token& token : scan.tokens) {
        const std::string_view word = token.lower;
        std::size_t prefix = 0;
        if (word.rfind("http://", 0) == 0) prefix = 7;
        if (word.rfind("https://", 0) == 0) prefix = 8;
        if (word.rfind("www.", 0) == 0) prefix = 4;
        if (prefix == 0 || word.size() <= prefix) continue;
        if (prefix == 4 && word.find('.', prefix) == std::string_view::npos) continue;
        out.add_text(kUrl, "url", token.start, token.end);
    }
}

// "1,299.99", "25": digits first, then digits and thousands commas, and at most a decimal point with 1-2 digits.
bool is_amount(std::string_view s) {
    if (s.empty() || !is_digit(s[0])) return false;
    const std::size_t point = s.find('.');
    const std::string_view whole = s.substr(0, point);
    if (!std::all_of(whole.begin(), whole.end(), [](char c) { return is_digit(c) || c == ','; })) return false;
    if (whole.back() == ',') return false;
    if (point == std::string_view::npos) return true;
    const std::string_view cents = s.substr(point + 1);
    return !cents.empty() && cents.size() <= 2 && all_digits(cents);
}

void find_money(const Scan& scan, Collector& out) {
    static constexpr std::array<std::string_view, 3> kSymbols{"$", "\xE2\x82\xAC", "\xC2\xA3"};  // $ € £
    static constexpr std::array<std::string_view, 14> kUnits{"dollar", "dollars", "buck",   "bucks", "euro",
                                                             "euros",  "pound",   "pounds", "cent",  "cents",
                                                             "usd",    "eur",     "gbp",    "pesos"};
    for (std::size_t i = 0; i < scan.tokens.size(); ++i) {
        const Token& token = scan.tokens[i];
        const std::string_view word = token.lower;
        bool prefixed = false;
        for (const std::string_view symbol : kSymbols) {
            if (word.rfind(symbol, 0) == 0 && is_amount(word.substr(symbol.size()))) prefixed = true;
        }
        if (prefixed) {
            out.add_text(kMoney, "money", token.start, token.end, 0.9);
            continue;
        }
        if (is_amount(word) && i + 1 < scan.tokens.size() && trailing(scan.text, token).empty()) {
            const std::string& unit = scan.tokens[i + 1].lower;
            if (std::find(kUnits.begin(), kUnits.end(), unit) != kUnits.end()) {
                out.add_text(kMoney, "money", token.start, scan.tokens[i + 1].end, 0.9);
            }
        }
    }
}

int month_of(std::string_view word) {
    static constexpr std::array<std::string_view, 12> kMonths{"january",   "february", "march",    "april",
                                                              "may",       "june",     "july",     "august",
                                                              "september", "october",  "november", "december"};
    for (std::size_t m = 0; m < kMonths.size(); ++m) {
        if (word == kMonths[m]) return static_cast<int>(m) + 1;
        // Abbreviations ("Jan", "Sept"), but not "may", which is only ever the full name.
        if (word.size() >= 3 && m != 4 && kMonths[m].rfind(word, 0) == 0 && word.size() <= 4) {
            return static_cast<int>(m) + 1;
        }
    }
    return 0;
}

int ordinal_word(std::string_view word) {
    static constexpr std::array<std::string_view, 19> kOrdinals{
        "first",     "second",    "third",       "fourth",     "fifth",     "sixth",      "seventh",
        "eighth",    "ninth",     "tenth",       "eleventh",   "twelfth",   "thirteenth", "fourteenth",
        "fifteenth", "sixteenth", "seventeenth", "eighteenth", "nineteenth"};
    for (std::size_t k = 0; k < kOrdinals.size(); ++k) {
        if (word == kOrdinals[k]) return static_cast<int>(k) + 1;
    }
    if (word == "twentieth") return 20;
    if (word == "thirtieth") return 30;
    for (const auto& [tens, value] : {std::pair<std::string_view, int>{"twenty-", 20}, {"thirty-", 30}}) {
        if (word.rfind(tens, 0) == 0) {
            const int unit = ordinal_word(word.substr(tens.size()));
            if (unit >= 1 && unit <= 9) return value + unit;
        }
    }
    return 0;
}

// A day of the month at token `i` ("5", "5th", "fifth", "twenty first"): the day and the index of its last
// token, or {0, kNone}.
std::pair<int, std::size_t> day_at(const Scan& scan, std::size_t i) {
    if (i >= scan.tokens.size()) return {0, kNone};
    std::string_view word = scan.tokens[i].lower;
    int day = 0;
    std::size_t digits = 0;
    while (digits < word.size() && is_digit(word[digits])) ++digits;
    if (digits >= 1 && digits <= 2) {
        const std::string_view suffix = word.substr(digits);
        if (suffix.empty() || suffix == "st" || suffix == "nd" || suffix == "rd" || suffix == "th") {
            day = to_int(word.substr(0, digits));
        }
    } else if (digits == 0) {
        day = ordinal_word(word);
        if ((word == "twenty" || word == "thirty") && i + 1 < scan.tokens.size() &&
            trailing(scan.text, scan.tokens[i]).empty()) {
            const int unit = ordinal_word(scan.tokens[i + 1].lower);
            if (unit >= 1 && unit <= 9) return {(word == "twenty" ? 20 : 30) + unit, i + 1};
        }
    }
    if (day < 1 || day > 31) return {0, kNone};
    return {day, i};
}

bool is_year(std::string_view word) {
    if (word.size() != 4 || !all_digits(word)) return false;
    const int year = to_int(word);
    return year >= 1900 && year <= 2099;
}

// "2025-03-05" and "03/05/2025", "3/5/25".
bool is_numeric_date(std::string_view word) {
    if (word.size() == 10 && word[4] == '-' && word[7] == '-') {
        const std::string_view y = word.substr(0, 4), m = word.substr(5, 2), d = word.substr(8, 2);
        return is_year(y) && all_digits(m) && all_digits(d) && to_int(m) >= 1 && to_int(m) <= 12 && to_int(d) >= 1 &&
               to_int(d) <= 31;
    }
    const std::size_t a = word.find('/');
    const std::size_t b = a == std::string_view::npos ? a : word.find('/', a + 1);
    if (b == std::string_view::npos) return false;
    const std::string_view p = word.substr(0, a), q = word.substr(a + 1, b - a - 1), y = word.substr(b + 1);
    if (p.empty() || p.size() > 2 || q.empty() || q.size() > 2 || !all_digits(p) || !all_digits(q)) return false;
    if (!(y.size() == 2 && all_digits(y)) && !is_year(y)) return false;
    const int first = to_int(p), second = to_int(q);
    return first >= 1 && second >= 1 && first <= 31 && second <= 31 && (first <= 12 || second <= 12);
}

void find_dates(const Scan& scan, Collector& out) {
    static constexpr std::array<std::string_view, 10> kRelative{
        "today", "tomorrow", "yesterday", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"};
    const auto& tokens = scan.tokens;
    const auto year_after = [&](std::size_t last) {
        // "March 5th, 2025": a comma may separate the year; a sentence end may not.
        const std::string_view after = trailing(scan.text, tokens[last]);
        if ((after.empty() || after == ",") && last + 1 < tokens.size() && is_year(tokens[last + 1].lower)) {
            return last + 1;
        }
        return last;
    };
    for (std::size_t i = 0; i < tokens.size(); ++i) {
        const std::string& word = tokens[i].lower;
        if (is_numeric_date(word)) {
            out.add_text(kDate, "date", tokens[i].start, tokens[i].end, 0.9);
            continue;
        }
        const std::string_view after = trailing(scan.text, tokens[i]);
        if (month_of(word) > 0 && (after.empty() || after == ".")) {
            const auto [day, last] = day_at(scan, i + 1);
            if (day > 0) {
                const std::size_t end = year_after(last);
                out.add_text(kDate, "date", tokens[i].start, tokens[end].end, 0.9);
                continue;
            }
        }
        if (after.empty()) {
            const auto [day, last] = day_at(scan, i);
            if (day > 0 && last + 1 < tokens.size() && trailing(scan.text, tokens[last]).empty()) {
                std::size_t month = last + 1;
                if (tokens[month].lower == "of" && month + 1 < tokens.size()) ++month;
                if (month_of(tokens[month].lower) > 0 && tokens[month].lower.size() >= 3) {
                    const std::size_t end = year_after(month);
                    out.add_text(kDate, "date", tokens[i].start, tokens[end].end, 0.9);
                    continue;
                }
            }
        }
        if (std::find(kRelative.begin(), kRelative.end(), word) != kRelative.end()) {
            std::size_t start = i;
            if (i > 0 && trailing(scan.text, tokens[i - 1]).empty()) {
                const std::string& before = tokens[i - 1].lower;
                if (before == "next" || before == "last" || before == "this") start = i - 1;
            }
            out.add_text(kDate, "date", tokens[start].start, tokens[i].end, 0.8);
        }
    }
}

bool is_meridiem(std::string_view word) { return word == "am" || word == "pm" || word == "a.m" || word == "p.m"; }

// "15:30", "3:30pm", "3pm": the hour and minutes, and any glued am/pm; false when not a clock time.
bool is_clock(std::string_view word) {
    std::size_t digits = 0;
    while (digits < word.size() && is_digit(word[digits])) ++digits;
    if (digits < 1 || digits > 2) return false;
    const int hour = to_int(word.substr(0, digits));
    std::string_view rest = word.substr(digits);
    bool minutes = false;
    if (rest.size() >= 3 && rest[0] == ':' && all_digits(rest.substr(1, 2))) {
        if (to_int(rest.substr(1, 2)) > 59) return false;
        minutes = true;
        rest = rest.substr(3);
    }
    if (rest.empty()) return minutes && hour <= 23;
    return is_meridiem(rest) && hour >= 1 && hour <= 12;
}

int clock_word(std::string_view word) {
    const int digit = digit_word(word);
    if (digit >= 1) return digit;
    if (word == "ten") return 10;
    if (word == "eleven") return 11;
    if (word == "twelve") return 12;
    return 0;
}

void find_times(const Scan& scan, Collector& out) {
    const auto& tokens = scan.tokens;
    for (std::size_t i = 0; i < tokens.size(); ++i) {
        const std::string& word = tokens[i].lower;
        // Only a token with nothing after it ("3", not "3.") joins the next one ("3 pm").
        const bool joined = trailing(scan.text, tokens[i]).empty() && i + 1 < tokens.size();
        const std::string_view next = joined ? std::string_view(tokens[i + 1].lower) : std::string_view();
        if (is_clock(word)) {
            // "3:30 p.m." but not "3:30pm pm".
            const bool meridiem_after = is_digit(word.back()) && is_meridiem(next);
            out.add_text(kTime, "time", tokens[i].start, meridiem_after ? tokens[i + 1].end : tokens[i].end, 0.9);
            if (meridiem_after) ++i;
            continue;
        }
        if (!joined) continue;
        const bool hour_digits = all_digits(word) && word.size() <= 2 && to_int(word) >= 1 && to_int(word) <= 12;
        // Spelled hours only with "o'clock": "one am" is too often "... one. Am I ...".
        if ((hour_digits && (is_meridiem(next) || next == "o'clock")) || (clock_word(word) > 0 && next == "o'clock")) {
            out.add_text(kTime, "time", tokens[i].start, tokens[i + 1].end, 0.9);
            ++i;
        }
    }
}

}  // namespace

std::vector<DigitRun> find_digit_runs(std::string_view text) { return digit_runs(text, tokenize(text)); }

std::vector<core::Entity> find_entities(std::string_view text) {
    Scan scan{text, tokenize(text), {}};
    scan.runs = digit_runs(text, scan.tokens);
    Collector out(text);
    find_cards(scan, out);
    find_ssns(scan, out);
    find_phones(scan, out);
    find_reference_numbers(scan, out);
    find_emails(text, out);
    find_urls(scan, out);
    find_money(scan, out);
    find_dates(scan, out);
    find_times(scan, out);
    return std::move(out).resolve();
}

const std::string& word_text(const core::TranscriptWord& word) {
    return word.punctuated.empty() ? word.word : word.punctuated;
}

std::optional<std::vector<std::pair<std::size_t, std::size_t>>> word_ranges(const core::Transcript& transcript) {
    if (transcript.words.empty()) return std::nullopt;
    const std::string& text = transcript.text;
    std::vector<std::pair<std::size_t, std::size_t>> ranges;
    ranges.reserve(transcript.words.size());
    std::size_t pos = 0;
    for (const core::TranscriptWord& word : transcript.words) {
        if (!ranges.empty()) {
            if (pos >= text.size() || text[pos] != ' ') return std::nullopt;
            ++pos;
        }
        const std::string& w = word_text(word);
        if (text.compare(pos, w.size(), w) != 0) return std::nullopt;
        ranges.emplace_back(pos, pos + w.size());
        pos += w.size();
    }
    if (pos != text.size()) return std::nullopt;
    return ranges;
}

std::vector<core::Entity> extract_entities(const core::Transcript& transcript) {
    std::vector<core::Entity> entities = find_entities(transcript.text);
    const auto ranges = word_ranges(transcript);
    if (!ranges) return entities;
    for (core::Entity& entity : entities) {
        // First word ending after the entity's start, last word starting before its end.
        const auto first = std::upper_bound(ranges->begin(), ranges->end(), entity.start_char,
                                            [](std::size_t pos, const auto& r) { return pos < r.second; });
        const auto past = std::lower_bound(ranges->begin(), ranges->end(), entity.end_char,
                                           [](const auto& r, std::size_t pos) { return r.first < pos; });
        if (first == ranges->end() || past == ranges->begin() || first >= past) continue;
        const auto start_word = static_cast<std::size_t>(first - ranges->begin());
        const auto end_word = static_cast<std::size_t>(past - ranges->begin()) - 1;
        entity.start_word = start_word;
        entity.end_word = end_word;
        double sum = 0;
        for (std::size_t w = start_word; w <= end_word; ++w) sum += transcript.words[w].confidence;
        const double mean = sum / static_cast<double>(end_word - start_word + 1);
        // Engines that give no word confidence leave 0: then the pattern's own confidence stands.
        if (mean > 0) entity.confidence *= mean;
    }
    return entities;
}

std::vector<core::Entity> merge_entities(const std::vector<core::Entity>& existing, std::vector<core::Entity> found) {
    std::vector<core::Entity> merged;
    for (const core::Entity& entity : existing) {
        if (entity.source != kSource) merged.push_back(entity);
    }
    const std::size_t engine_count = merged.size();
    for (core::Entity& entity : found) {
        const bool clash = std::any_of(
            merged.begin(), merged.begin() + static_cast<std::ptrdiff_t>(engine_count), [&](const core::Entity& e) {
                return overlaps(entity.start_char, entity.end_char, e.start_char, e.end_char);
            });
        if (!clash) merged.push_back(std::move(entity));
    }
    std::stable_sort(merged.begin(), merged.end(),
                     [](const core::Entity& a, const core::Entity& b) { return a.start_char < b.start_char; });
    return merged;
}

}  // namespace crossvoice::language
