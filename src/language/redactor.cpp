#include "language/redactor.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "core/ports/transcript_pipeline.hpp"
#include "language/entity_extractor.hpp"

namespace crossvoice::language {
namespace {

// What can be redacted. The public classes are unions of these ("pii" is most of them).
enum Kind : std::uint8_t {
    kCard = 1U << 0U,
    kSsn = 1U << 1U,
    kPhone = 1U << 2U,
    kAccount = 1U << 3U,
    kOrder = 1U << 4U,
    kEmail = 1U << 5U,
    kNumber = 1U << 6U,
};
using KindMask = std::uint8_t;

struct KindInfo {
    Kind kind;
    std::string_view token;
};

// Order = specificity: when spans overlap, the earlier kind's token names the merged span.
constexpr std::array<KindInfo, 7> kKinds{{{kCard, "[CARD]"},
                                          {kSsn, "[SSN]"},
                                          {kPhone, "[PHONE]"},
                                          {kAccount, "[ACCOUNT]"},
                                          {kOrder, "[ORDER]"},
                                          {kEmail, "[EMAIL]"},
                                          {kNumber, "[NUMBER]"}}};

std::size_t rank_of(Kind kind) {
    for (std::size_t i = 0; i < kKinds.size(); ++i) {
        if (kKinds[i].kind == kind) return i;
    }
    return kKinds.size();
}

std::optional<KindMask> class_kinds(std::string_view name) {
    if (name == "pci") return kCard;
    if (name == "ssn") return kSsn;
    if (name == "phone") return kPhone;
    if (name == "email") return kEmail;
    if (name == "numbers") return kNumber;
    if (name == "pii") return static_cast<KindMask>(kCard | kSsn | kPhone | kEmail | kAccount | kOrder);
    return std::nullopt;
}

// Our entity types and the engine's (Deepgram's entity labels) that each kind covers.
std::optional<Kind> kind_of(std::string_view type) {
    static constexpr std::array<std::pair<std::string_view, Kind>, 14> kTypes{{
        {"card_number", kCard},
        {"credit_card", kCard},
        {"credit_card_number", kCard},
        {"credit_card_expiration", kCard},
        {"cvv", kCard},
        {"ssn", kSsn},
        {"social_security_number", kSsn},
        {"phone_number", kPhone},
        {"account_number", kAccount},
        {"bank_account", kAccount},
        {"routing_number", kAccount},
        {"order_number", kOrder},
        {"email", kEmail},
        {"email_address", kEmail},
    }};
    for (const auto& [name, kind] : kTypes) {
        if (type == name) return kind;
    }
    return std::nullopt;
}

std::string lower(std::string_view s) {
    std::string out(s);
    for (char& c : out) {
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    }
    return out;
}

struct Pending {
    std::size_t start;
    std::size_t end;
    Kind kind;
};

// The spans of `text` that `mask` covers, merged where they overlap.
std::vector<RedactedSpan> spans_of(std::string_view text, const std::vector<core::Entity>& entities, KindMask mask) {
    std::vector<Pending> pending;
    for (const core::Entity& entity : entities) {
        const auto kind = kind_of(lower(entity.type));
        if (!kind || (mask & *kind) == 0) continue;
        if (entity.start_char >= entity.end_char || entity.end_char > text.size()) continue;
        pending.push_back({entity.start_char, entity.end_char, *kind});
    }
    if ((mask & kNumber) != 0) {
        constexpr std::size_t kMinDigits = 3;
        for (const DigitRun& run : find_digit_runs(text)) {
            if (run.digits.size() >= kMinDigits) pending.push_back({run.start, run.end, kNumber});
        }
    }
    std::sort(pending.begin(), pending.end(), [](const Pending& a, const Pending& b) { return a.start < b.start; });

    std::vector<RedactedSpan> spans;
    Kind current = kNumber;
    for (const Pending& p : pending) {
        if (!spans.empty() && p.start < spans.back().end) {
            spans.back().end = std::max(spans.back().end, p.end);
            if (rank_of(p.kind) < rank_of(current)) {
                current = p.kind;
                spans.back().token = std::string(kKinds[rank_of(current)].token);
            }
            continue;
        }
        current = p.kind;
        spans.push_back({p.start, p.end, std::string(kKinds[rank_of(p.kind)].token)});
    }
    return spans;
}

std::string replace_spans(std::string_view text, const std::vector<RedactedSpan>& spans) {
    std::string out;
    out.reserve(text.size());
    std::size_t pos = 0;
    for (const RedactedSpan& span : spans) {
        out.append(text.substr(pos, span.start - pos));
        out.append(span.token);
        pos = span.end;
    }
    out.append(text.substr(pos));
    return out;
}

KindMask mask_of(const std::vector<std::string>& classes) {
    KindMask mask = 0;
    for (const std::string& name : classes) mask |= class_kinds(lower(name)).value_or(0);
    return mask;
}

std::string valid_classes() {
    std::string list;
    for (const char* name : core::ports::kRedactionClasses) {
        if (!list.empty()) list += ", ";
        list += name;
    }
    return list;
}

// --- Applying a redaction to the rest of a transcript ------------------------------------------------------------

// Strings the spans replaced, to find again in texts that repeat the transcript's words (utterances, segments,
// the engine's summary). Longest first, so a whole card number goes before one of its groups.
struct Secret {
    std::string text;
    std::string token;
};

std::vector<Secret> secrets_of(std::string_view original, const RedactionResult& redaction,
                               const std::vector<core::Entity>& entities) {
    std::vector<Secret> secrets;
    constexpr std::size_t kMinLength = 3;
    const auto add = [&](std::string_view text, const std::string& token) {
        if (text.size() >= kMinLength) secrets.push_back({std::string(text), token});
    };
    for (const RedactedSpan& span : redaction.spans) {
        const std::string_view text = original.substr(span.start, span.end - span.start);
        add(text, span.token);
        // A segment boundary may split a number: its written groups alone ("1111") are caught too.
        std::size_t from = 0;
        while (from < text.size()) {
            std::size_t to = text.find(' ', from);
            if (to == std::string_view::npos) to = text.size();
            const std::string_view group = text.substr(from, to - from);
            const auto digits = std::count_if(group.begin(), group.end(), [](char c) { return c >= '0' && c <= '9'; });
            if (digits >= 3 && group.size() < text.size()) add(group, span.token);
            from = to + 1;
        }
    }
    // Normalised values that are not in the text as such ("+14155550123").
    for (const core::Entity& entity : entities) {
        for (const RedactedSpan& span : redaction.spans) {
            if (entity.start_char >= span.start && entity.end_char <= span.end && entity.end_char > entity.start_char) {
                add(entity.value, span.token);
            }
        }
    }
    std::sort(secrets.begin(), secrets.end(),
              [](const Secret& a, const Secret& b) { return a.text.size() > b.text.size(); });
    return secrets;
}

class Scrubber {
  public:
    Scrubber(std::vector<Secret> secrets, KindMask mask, std::string_view redacted)
        : secrets_(std::move(secrets)), mask_(mask), redacted_(redacted) {}

    // The secrets replaced wherever they occur, then the same classes redacted in what is left.
    std::string scrub(std::string_view text) const {
        std::string out(text);
        for (const Secret& secret : secrets_) {
            for (std::size_t at = out.find(secret.text); at != std::string::npos;
                 at = out.find(secret.text, at + secret.token.size())) {
                out.replace(at, secret.text.size(), secret.token);
            }
        }
        // A stretch of the redacted text (a segment or utterance with its secrets replaced) was redacted with its
        // whole context already; extracting again, the costliest step, could only find less.
        if (redacted_.find(out) != std::string_view::npos) return out;
        return replace_spans(out, spans_of(out, find_entities(out), mask_));
    }
    void scrub_in_place(std::string& text) const { text = scrub(text); }

  private:
    std::vector<Secret> secrets_;
    KindMask mask_;
    std::string_view redacted_;
};

std::string strip_punctuation(std::string_view s) {
    const auto punct = [](char c) { return c == '.' || c == ',' || c == '?' || c == '!' || c == ';' || c == ':'; };
    std::size_t a = 0, b = s.size();
    while (a < b && punct(s[a])) ++a;
    while (b > a && punct(s[b - 1])) --b;
    return std::string(s.substr(a, b - a));
}

// Rebuilds `words` (at `ranges` of `text`) so that each span becomes part of one word: the word where the span
// starts gets the token, the words it goes on into are folded into that word. Returns old index → new index.
std::vector<std::size_t> redact_words(std::vector<core::TranscriptWord>& words,
                                      const std::vector<std::pair<std::size_t, std::size_t>>& ranges,
                                      std::string_view text, const std::vector<RedactedSpan>& spans) {
    std::vector<core::TranscriptWord> out;
    out.reserve(words.size());
    std::vector<std::size_t> index(words.size(), 0);
    std::size_t next_span = 0;
    for (std::size_t i = 0; i < words.size(); ++i) {
        const auto [start, end] = ranges[i];
        while (next_span < spans.size() && spans[next_span].end <= start) ++next_span;
        const bool continues = next_span < spans.size() && spans[next_span].start < start && !out.empty();
        std::string replaced;
        std::size_t pos = start;
        bool touched = false;
        for (std::size_t k = next_span; k < spans.size() && spans[k].start < end; ++k) {
            touched = true;
            const std::size_t from = std::max(spans[k].start, start);
            replaced.append(text.substr(pos, from - pos));
            if (spans[k].start >= start) replaced.append(spans[k].token);
            pos = std::min(spans[k].end, end);
        }
        replaced.append(text.substr(pos, end - pos));
        if (continues) {
            core::TranscriptWord& merged = out.back();
            merged.punctuated += replaced;
            merged.word = strip_punctuation(merged.punctuated);
            merged.end = std::max(merged.end, words[i].end);
            merged.confidence = std::min(merged.confidence, words[i].confidence);
        } else {
            out.push_back(std::move(words[i]));
            if (touched) {
                out.back().punctuated = replaced;
                out.back().word = strip_punctuation(replaced);
            }
        }
        index[i] = out.size() - 1;
    }
    words = std::move(out);
    return index;
}

// Where an offset of the original text lands in the redacted one. Strictly inside a span: the token's start, or
// its end for an end offset.
std::size_t moved_offset(std::size_t pos, const std::vector<RedactedSpan>& spans, bool is_end) {
    std::ptrdiff_t shift = 0;
    for (const RedactedSpan& span : spans) {
        const auto delta =
            static_cast<std::ptrdiff_t>(span.token.size()) - static_cast<std::ptrdiff_t>(span.end - span.start);
        if (pos >= span.end) {
            shift += delta;
            continue;
        }
        if (pos > span.start) {
            const std::size_t base = static_cast<std::size_t>(static_cast<std::ptrdiff_t>(span.start) + shift);
            return is_end ? base + span.token.size() : base;
        }
        break;
    }
    return static_cast<std::size_t>(static_cast<std::ptrdiff_t>(pos) + shift);
}

void redact_entities(std::vector<core::Entity>& entities, std::string_view original,
                     const std::vector<RedactedSpan>& spans, const Scrubber& scrubber) {
    for (core::Entity& entity : entities) {
        const bool located = entity.start_char < entity.end_char && entity.end_char <= original.size();
        std::vector<RedactedSpan> inside;
        if (located) {
            for (const RedactedSpan& span : spans) {
                if (span.start < entity.end_char && entity.start_char < span.end) inside.push_back(span);
            }
        }
        if (inside.empty()) {
            scrubber.scrub_in_place(entity.value);
        } else if (inside.size() == 1 && inside[0].start <= entity.start_char && entity.end_char <= inside[0].end) {
            entity.value = inside[0].token;
        } else {
            // Partly redacted: its own stretch of text with the spans in it replaced (a span crossing its edge
            // counts whole, so no piece of it is left behind).
            const std::size_t from = std::min(entity.start_char, inside.front().start);
            const std::size_t to = std::max(entity.end_char, inside.back().end);
            for (RedactedSpan& span : inside) {
                span.start -= from;
                span.end -= from;
            }
            entity.value = replace_spans(original.substr(from, to - from), inside);
        }
        if (located) {
            const std::size_t start = moved_offset(entity.start_char, spans, false);
            const std::size_t end = moved_offset(entity.end_char, spans, true);
            entity.start_char = start;
            entity.end_char = end;
        }
    }
}

void remap_word_indices(std::vector<core::Entity>& entities, const std::vector<std::size_t>& index) {
    for (core::Entity& entity : entities) {
        if (entity.start_word && *entity.start_word < index.size()) entity.start_word = index[*entity.start_word];
        if (entity.end_word && *entity.end_word < index.size()) entity.end_word = index[*entity.end_word];
    }
}

}  // namespace

core::Status check_redaction_classes(const std::vector<std::string>& classes) {
    for (const std::string& name : classes) {
        if (!class_kinds(lower(name))) {
            return core::Error::validation(
                "redact", fmt::format("unknown redaction class '{}'; valid classes are: {}", name, valid_classes()));
        }
    }
    return {};
}

core::Result<RedactionResult> redact(std::string_view text, const std::vector<core::Entity>& entities,
                                     const std::vector<std::string>& classes) {
    if (auto status = check_redaction_classes(classes); !status) return std::move(status).error();
    RedactionResult result;
    for (const std::string& name : classes) {
        std::string normalised = lower(name);
        if (std::find(result.classes.begin(), result.classes.end(), normalised) == result.classes.end()) {
            result.classes.push_back(std::move(normalised));
        }
    }
    result.spans = spans_of(text, entities, mask_of(result.classes));
    result.text = replace_spans(text, result.spans);
    return result;
}

void apply_redaction(core::Transcript& transcript, const RedactionResult& redaction) {
    const KindMask mask = mask_of(redaction.classes);
    const std::string original = transcript.text;
    const Scrubber scrubber(secrets_of(original, redaction, transcript.entities), mask, redaction.text);

    if (const auto ranges = word_ranges(transcript)) {
        const auto index = redact_words(transcript.words, *ranges, original, redaction.spans);
        remap_word_indices(transcript.entities, index);
    } else if (!transcript.words.empty()) {
        // The words are not the text (an engine that formats the text apart from them): redact their own text.
        std::string joined;
        std::vector<std::pair<std::size_t, std::size_t>> own_ranges;
        for (const core::TranscriptWord& word : transcript.words) {
            if (!joined.empty()) joined.push_back(' ');
            own_ranges.emplace_back(joined.size(), joined.size() + word_text(word).size());
            joined += word_text(word);
        }
        const auto spans = spans_of(joined, find_entities(joined), mask);
        redact_words(transcript.words, own_ranges, joined, spans);
        // Entity word indices refer to words that no longer line up with the text; they are dropped.
        for (core::Entity& entity : transcript.entities) {
            entity.start_word.reset();
            entity.end_word.reset();
        }
        for (core::TranscriptWord& word : transcript.words) {
            scrubber.scrub_in_place(word.punctuated);
            scrubber.scrub_in_place(word.word);
        }
    }

    redact_entities(transcript.entities, original, redaction.spans, scrubber);
    for (core::Utterance& utterance : transcript.utterances) scrubber.scrub_in_place(utterance.text);
    for (core::Speaker& speaker : transcript.speakers) {
        for (core::SpeakerSegment& segment : speaker.segments) scrubber.scrub_in_place(segment.text);
    }
    if (transcript.engine_summary) scrubber.scrub_in_place(*transcript.engine_summary);
    for (std::string& topic : transcript.engine_topics) scrubber.scrub_in_place(topic);
    for (std::string& intent : transcript.engine_intents) scrubber.scrub_in_place(intent);
    if (transcript.translation) {
        scrubber.scrub_in_place(transcript.translation->original_text);
        scrubber.scrub_in_place(transcript.translation->translated_text);
    }
    if (transcript.analysis) {
        scrubber.scrub_in_place(transcript.analysis->summary);
        for (std::string& keyword : transcript.analysis->keywords) scrubber.scrub_in_place(keyword);
    }

    transcript.text = redaction.text;
    transcript.redacted_text = redaction.text;
    transcript.redacted_classes = redaction.classes;
}

}  // namespace crossvoice::language
