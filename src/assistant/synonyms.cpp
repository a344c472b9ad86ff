#include "assistant/synonyms.hpp"

#include <algorithm>
#include <array>

#include "assistant/words.hpp"

namespace crossvoice::assistant {
namespace {

struct Paraphrase {
    std::string_view said;     // a word, or words in a row ("money back")
    std::string_view implies;  // space-separated words the documentation would use
};

// Generic support vocabulary, not any one knowledge base's: a paraphrase earns its place when callers commonly say
// it and documentation commonly does not.
constexpr std::array<Paraphrase, 54> kParaphrases{{
    {"money back", "refund"},
    {"reimburse", "refund"},
    {"overcharged", "charge dispute"},
    {"overcharge", "charge dispute"},
    {"cost", "price fee"},
    {"costs", "price fee"},
    {"price", "cost"},
    {"texts", "message sms"},
    {"text", "message sms"},
    {"texting", "message sms"},
    {"sms", "message text"},
    {"cell", "mobile"},
    {"cellphone", "mobile"},
    {"voice message", "voicemail"},
    {"voice messages", "voicemail"},
    {"sign up", "create account"},
    {"register", "create account"},
    {"registered", "sign"},
    {"log in", "sign"},
    {"login", "sign"},
    {"choices", "options"},
    {"choice", "option"},
    {"try", "trial"},
    {"test", "trial"},
    {"night", "after hours closed"},
    {"christmas", "holiday"},
    {"storm", "closure closed"},
    {"get rid", "release delete cancel"},
    {"admin", "role permission"},
    {"administrator", "role permission"},
    {"down", "outage status"},
    {"call me back", "callback"},
    {"call back", "callback"},
    {"open", "hours"},
    {"yearly", "annual"},
    {"annual", "yearly"},
    {"europe", "eu"},
    {"european", "eu"},
    {"upgrade", "change plan"},
    {"downgrade", "change plan"},
    {"unsubscribe", "opt stop"},
    {"unsubscribing", "opt stop"},
    {"permission", "consent"},
    {"credit card", "payment method"},
    {"reach", "contact"},
    {"customer service", "support"},
    {"colleague", "user member"},
    {"coworker", "user member"},
    {"employee", "user member"},
    {"ownership", "owner"},
    {"close my account", "delete cancel"},
    // What machine translation of a caller's question into English tends to say (Apertium es->en).
    {"repayment", "refund"},
    {"schedule", "hours"},
    {"attention", "support"},
}};

// `phrase` occurs in `words` as whole consecutive words.
bool says(const std::vector<std::string>& all_words, std::string_view phrase) {
    const auto wanted = split_words(phrase);
    if (wanted.empty() || wanted.size() > all_words.size()) return false;
    for (std::size_t i = 0; i + wanted.size() <= all_words.size(); ++i) {
        if (std::equal(wanted.begin(), wanted.end(), all_words.begin() + static_cast<std::ptrdiff_t>(i))) return true;
    }
    return false;
}

}  // namespace

std::vector<std::string> implied_words(std::string_view text, const std::vector<std::string>& words) {
    std::vector<std::string> implied;
    const auto all_words = split_words(text);
    for (const auto& paraphrase : kParaphrases) {
        if (!says(all_words, paraphrase.said)) continue;
        for (auto& word : split_words(paraphrase.implies)) {
            if (std::find(words.begin(), words.end(), word) != words.end()) continue;
            if (std::find(implied.begin(), implied.end(), word) != implied.end()) continue;
            implied.push_back(std::move(word));
        }
    }
    return implied;
}

}  // namespace crossvoice::assistant
