#include "language/language_pipeline.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "language/context_analyzer.hpp"
#include "language/diarizer.hpp"
#include "language/entity_extractor.hpp"
#include "language/language_detector.hpp"
#include "language/redactor.hpp"

namespace crossvoice::language {
namespace {

using core::ports::LanguagePair;

std::string lower(std::string_view s) {
    std::string out(s);
    for (char& c : out) {
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    }
    return out;
}

// "en-US" → "en": translators know languages, not regions.
std::string primary_subtag(std::string_view tag) { return lower(tag.substr(0, tag.find_first_of("-_"))); }

std::string describe(const std::vector<LanguagePair>& pairs) {
    std::string list;
    for (const LanguagePair& pair : pairs) {
        if (!list.empty()) list += ", ";
        list += pair.source + "\u2192" + pair.target;
    }
    return list.empty() ? "none" : list;
}

// Runs `stage` and appends its wall time to the transcript's timings.
template <typename Stage>
void timed(core::Transcript& transcript, const char* name, Stage&& stage) {
    const auto started = std::chrono::steady_clock::now();
    std::forward<Stage>(stage)();
    const std::chrono::duration<double, std::milli> elapsed = std::chrono::steady_clock::now() - started;
    transcript.timings.push_back({name, elapsed.count()});
}

core::Error not_configured() {
    return core::Error::validation("translate_to",
                                   "translation is not configured: this service has no translation engine "
                                   "(Apertium or LibreTranslate), so translate_to cannot be used");
}

}  // namespace

LanguagePipeline::LanguagePipeline(core::ports::Translator* translator) : translator_(translator) {}

core::Status LanguagePipeline::check(const core::ports::PipelineOptions& options) const {
    if (auto status = check_redaction_classes(options.redact); !status) return status;
    if (!options.translate_to) return {};
    if (translator_ == nullptr) return not_configured();
    const std::string target = lower(*options.translate_to);
    // The source is only known after detection; a target no pair leads to can be refused now.
    const std::vector<LanguagePair> pairs = translator_->pairs();
    if (pairs.empty()) {
        return core::Error{
            core::ErrorCode::kUnavailable,
            fmt::format("the translation engine ({}) offers no language pairs right now", translator_->name()),
            {{"field", "translate_to"}}};
    }
    const bool reachable =
        std::any_of(pairs.begin(), pairs.end(), [&](const LanguagePair& pair) { return pair.target == target; });
    if (!reachable) {
        return core::Error::validation("translate_to", fmt::format("cannot translate to '{}'; supported pairs: {}",
                                                                   *options.translate_to, describe(pairs)));
    }
    return {};
}

core::Status LanguagePipeline::translate(core::Transcript& transcript, const std::string& target) const {
    const std::string text = transcript.redacted_text.value_or(transcript.text);
    if (!transcript.language || transcript.language->empty()) {
        return core::Error{core::ErrorCode::kUnprocessable,
                           "the transcript's language is unknown (none given, none detected), so it cannot be "
                           "translated",
                           {{"field", "translate_to"}}};
    }
    const std::string source = primary_subtag(*transcript.language);
    if (source == target || text.empty()) {
        transcript.translation = core::Translation{text, text, source, target, "none"};
        return {};
    }
    const std::vector<LanguagePair> pairs = translator_->pairs();
    const bool supported = std::any_of(pairs.begin(), pairs.end(), [&](const LanguagePair& pair) {
        return pair.source == source && pair.target == target;
    });
    if (!supported) {
        return core::Error::validation(
            "translate_to",
            fmt::format("cannot translate from '{}' to '{}'; supported pairs: {}", source, target, describe(pairs)));
    }
    auto translated = translator_->translate(text, source, target);
    if (!translated) return std::move(translated).error();
    transcript.translation =
        core::Translation{text, std::move(translated).value(), source, target, std::string(translator_->name())};
    return {};
}

core::Status LanguagePipeline::run(core::Transcript& transcript, const core::ports::PipelineOptions& options) {
    if (auto status = check_redaction_classes(options.redact); !status) return status;
    if (options.translate_to && translator_ == nullptr) return not_configured();

    if (options.detect_language && (!transcript.language || transcript.language->empty())) {
        timed(transcript, "language", [&] {
            if (auto detected = detect_language(transcript.text)) {
                transcript.language = std::move(detected->code);
                transcript.language_confidence = detected->confidence;
                transcript.language_source = "detected";
            }
        });
    }
    if (options.diarize) timed(transcript, "diarize", [&] { diarize(transcript); });

    // Ours, also when only redaction asks for them: an engine entity that overlaps one of ours keeps its place
    // in transcript.entities, but redaction must still see ours (the engine may have called a card "numerical").
    std::vector<core::Entity> found;
    bool extracted = false;
    if (options.entities) {
        timed(transcript, "entities", [&] {
            found = extract_entities(transcript);
            extracted = true;
            transcript.entities = merge_entities(transcript.entities, found);
        });
    }
    if (!options.redact.empty()) {
        timed(transcript, "redact", [&] {
            if (!extracted) found = extract_entities(transcript);
            std::vector<core::Entity> all = transcript.entities;
            all.insert(all.end(), found.begin(), found.end());
            // The classes were checked above, so redact() cannot refuse them.
            auto redaction = redact(transcript.text, all, options.redact);
            if (redaction) apply_redaction(transcript, *redaction);
        });
    }

    // A translator that fails leaves a usable transcript: analysis still runs, and the error is returned last.
    core::Status translation;
    if (options.translate_to) {
        timed(transcript, "translate", [&] { translation = translate(transcript, lower(*options.translate_to)); });
    }
    if (options.analyze) {
        timed(transcript, "analyze", [&] {
            transcript.analysis = analyze_context(transcript.redacted_text.value_or(transcript.text), options.intents);
        });
    }
    return translation;
}

}  // namespace crossvoice::language
