#include "services/transcript_json.hpp"

#include <cmath>

#include "core/time_format.hpp"

namespace crossvoice::services {
namespace {

using nlohmann::json;

// Times to the millisecond and scores to four places: enough for any player or analysis, and stable to compare.
double seconds(double value) { return std::round(value * 1000.0) / 1000.0; }
double score(double value) { return std::round(value * 10000.0) / 10000.0; }

template <typename T>
json optional(const std::optional<T>& value) {
    return value ? json(*value) : json();
}

json words_json(const core::Transcript& transcript) {
    json words = json::array();
    for (const auto& word : transcript.words) {
        words.push_back({{"word", word.word},
                         {"punctuatedWord", word.punctuated},
                         {"start", seconds(word.start)},
                         {"end", seconds(word.end)},
                         {"confidence", score(word.confidence)},
                         {"speaker", optional(word.speaker)},
                         {"channel", word.channel}});
    }
    return words;
}

json speakers_json(const core::Transcript& transcript) {
    json speakers = json::array();
    for (const auto& speaker : transcript.speakers) {
        json segments = json::array();
        for (const auto& segment : speaker.segments) {
            segments.push_back(
                {{"start", seconds(segment.start)}, {"end", seconds(segment.end)}, {"text", segment.text}});
        }
        speakers.push_back({{"id", speaker.id},
                            {"label", speaker.label},
                            {"channel", optional(speaker.channel)},
                            {"talkTime", seconds(speaker.talk_time)},
                            {"segments", std::move(segments)}});
    }
    return speakers;
}

json utterances_json(const core::Transcript& transcript) {
    json utterances = json::array();
    for (const auto& utterance : transcript.utterances) {
        utterances.push_back({{"start", seconds(utterance.start)},
                              {"end", seconds(utterance.end)},
                              {"confidence", score(utterance.confidence)},
                              {"channel", utterance.channel},
                              {"speaker", optional(utterance.speaker)},
                              {"text", utterance.text}});
    }
    return utterances;
}

json entities_json(const core::Transcript& transcript) {
    json entities = json::array();
    for (const auto& entity : transcript.entities) {
        entities.push_back({{"type", entity.type},
                            {"value", entity.value},
                            {"start", entity.start_char},
                            {"end", entity.end_char},
                            {"startWord", optional(entity.start_word)},
                            {"endWord", optional(entity.end_word)},
                            {"confidence", score(entity.confidence)},
                            {"source", entity.source}});
    }
    return entities;
}

json sentiment_json(const core::Sentiment& sentiment) {
    return {{"label", sentiment.label}, {"score", score(sentiment.score)}};
}

}  // namespace

json transcript_json(const core::Transcript& transcript, core::TimePoint timestamp) {
    json out{
        {"text", transcript.text},
        {"confidence", score(transcript.confidence)},
        {"language", optional(transcript.language)},
        {"languageConfidence", score(transcript.language_confidence)},
        {"languageSource", transcript.language_source.empty() ? json() : json(transcript.language_source)},
        {"timestamp", core::format_rfc3339(timestamp)},
        {"duration", seconds(transcript.duration)},
        {"channels", transcript.channels},
        {"provider", transcript.provider},
        {"model", transcript.model},
        {"requestId", optional(transcript.request_id)},
        {"words", words_json(transcript)},
        {"speakers", speakers_json(transcript)},
        {"utterances", utterances_json(transcript)},
        {"entities", entities_json(transcript)},
        {"redactedText", optional(transcript.redacted_text)},
        {"redactedClasses", transcript.redacted_classes},
        {"translation", json()},
        {"analysis", json()},
    };
    if (const auto& translation = transcript.translation) {
        out["translation"] = {{"originalText", translation->original_text},
                              {"translatedText", translation->translated_text},
                              {"sourceLanguage", translation->source_language},
                              {"targetLanguage", translation->target_language},
                              {"engine", translation->engine}};
    }
    if (const auto& analysis = transcript.analysis) {
        out["analysis"] = {{"intent", analysis->intent},
                           {"intentConfidence", score(analysis->intent_confidence)},
                           {"persona", optional(analysis->persona)},
                           {"sentiment", sentiment_json(analysis->sentiment)},
                           {"keywords", analysis->keywords},
                           {"summary", analysis->summary}};
    }
    json engine = json::object();
    if (transcript.engine_summary) engine["summary"] = *transcript.engine_summary;
    if (transcript.engine_sentiment) engine["sentiment"] = sentiment_json(*transcript.engine_sentiment);
    if (!transcript.engine_topics.empty()) engine["topics"] = transcript.engine_topics;
    if (!transcript.engine_intents.empty()) engine["intents"] = transcript.engine_intents;
    out["engineAnalysis"] = std::move(engine);
    json timings = json::object();
    for (const auto& timing : transcript.timings)
        timings[timing.stage] = std::round(timing.milliseconds * 100.0) / 100.0;
    out["timingsMs"] = std::move(timings);
    return out;
}

}  // namespace crossvoice::services
