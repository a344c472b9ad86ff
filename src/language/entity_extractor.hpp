#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/transcript.hpp"

namespace crossvoice::language {

// One stretch of a DigitRun: a written group ("4111", "415-555-0123", "1,299.99") or spoken digit words
// ("four", "oh", "double five", "four-one-one").
struct DigitPiece {
    std::size_t start = 0;  // byte offsets into the text, [start, end)
    std::size_t end = 0;
    std::string digits;  // "4111", "0" for "oh", "55" for "double five"
    bool spoken = false;
    bool plain = true;                // written with no separator but '-' (no decimal point, comma or slash)
    std::vector<std::size_t> groups;  // written: the lengths of its '-'-separated digit groups
};

// Digits said or written one after another, the pieces separated by spaces and at most one comma or dash
// ("4111 1111 1111 1111", "four one one, five five five"). A sentence end ('.', '?', '!') ends a run.
struct DigitRun {
    std::size_t start = 0;
    std::size_t end = 0;
    std::string digits;   // "4111111111111111"
    bool spoken = false;  // at least one piece is spoken
    bool plain = true;    // every piece is plain: the run can be a card, phone, SSN or account number
    std::vector<DigitPiece> pieces;
};

// Every digit run of `text`, in order. Speech engines without number formatting (the local engine) write
// digits as words, so card, phone, SSN and account numbers are looked for in both forms.
std::vector<DigitRun> find_digit_runs(std::string_view text);

// The entities in a text: phone numbers (libphonenumber, region US, leniency VALID, and spoken 10-digit
// runs), emails, URLs, dates, times, money, card numbers (13-19 digits passing the Luhn check), SSNs
// (ddd-dd-dddd, or 9 digits after "social security number"; invalid areas refused), order and account numbers
// (after "order number", "account number" ...). Non-overlapping (the more specific kind wins: card > SSN >
// phone > account > order > the rest), sorted by offset, source "crossvoice", without word indices. Pure and
// thread-safe.
std::vector<core::Entity> find_entities(std::string_view text);

// find_entities over transcript.text, with start_word/end_word set when the text is the transcript's words
// (punctuated) joined by single spaces, and the confidence scaled by those words' mean confidence.
std::vector<core::Entity> extract_entities(const core::Transcript& transcript);

// The engine's entities of `existing` (those whose source is not "crossvoice": a previous run's own entities
// are replaced), then each of `found` that overlaps none of them; sorted by offset.
std::vector<core::Entity> merge_entities(const std::vector<core::Entity>& existing, std::vector<core::Entity> found);

// The byte range of each word in transcript.text when the text is exactly the words' punctuated forms joined by
// single spaces (how both engines build it); nullopt otherwise, and then nothing can be located word by word.
std::optional<std::vector<std::pair<std::size_t, std::size_t>>> word_ranges(const core::Transcript& transcript);

// A word's text as it appears in Transcript::text: its punctuated form, or the plain word when there is none.
const std::string& word_text(const core::TranscriptWord& word);

}  // namespace crossvoice::language
