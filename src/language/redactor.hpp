#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.hpp"
#include "core/transcript.hpp"

namespace crossvoice::language {

// A stretch of the original text that was replaced by `token` ("[CARD]"). Offsets are bytes, [start, end).
struct RedactedSpan {
    std::size_t start = 0;
    std::size_t end = 0;
    std::string token;
};

struct RedactionResult {
    std::string text;                  // the text with every span replaced by its token
    std::vector<std::string> classes;  // the classes asked for, lower-cased, each once, in the order given
    std::vector<RedactedSpan> spans;   // sorted, non-overlapping, offsets into the original text
};

// kValidation naming the first class that is not one of core::ports::kRedactionClasses, listing those.
core::Status check_redaction_classes(const std::vector<std::string>& classes);

// Replaces what `classes` cover: "pci" card numbers → [CARD], "ssn" → [SSN], "phone" → [PHONE], "email" →
// [EMAIL], "pii" (all four, and account_number → [ACCOUNT], order_number → [ORDER]), "numbers" (any run of 3 or
// more digits, written or spoken, not already covered → [NUMBER]). The entities are the ones found in `text`
// (ours and the engine's: "credit_card", "email_address" and the like count too); overlapping ones are
// replaced as one span with the most specific token. Class names are case-insensitive. Pure and thread-safe.
core::Result<RedactionResult> redact(std::string_view text, const std::vector<core::Entity>& entities,
                                     const std::vector<std::string>& classes);

// Makes the whole transcript agree with `redaction`, computed by redact() over transcript.text, so that nothing
// stored keeps what was redacted:
// - text and redacted_text become the redacted text, redacted_classes the classes; entity offsets move with it;
// - the words inside a span become one word carrying the token (times from the first to the last; entity word
//   indices follow), so the words still join to the text;
// - utterance and speaker-segment texts, the engine's summary, topics and intents, and any translation or
//   analysis already present, are redacted by the same spans' contents and by the same classes found afresh;
// - entities inside a span take its token as their value (one partly inside, its span's redacted text).
// Words that do not join to the text are redacted by the same classes over their own joined text.
void apply_redaction(core::Transcript& transcript, const RedactionResult& redaction);

}  // namespace crossvoice::language
