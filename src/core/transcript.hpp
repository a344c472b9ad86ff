#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

namespace crossvoice::core {

// Times are seconds from the start of the audio; confidences are 0..1.

struct TranscriptWord {
    std::string word;        // as recognised, lower case ("hello")
    std::string punctuated;  // with case and punctuation when the engine gives them ("Hello,"); else == word
    double start = 0;
    double end = 0;
    double confidence = 0;
    std::optional<int> speaker;  // set by the engine (Deepgram diarize) or by the diarization stage
    int channel = 0;
};

// A stretch of speech by one speaker on one channel, as the engine split it (Deepgram utterances, the local
// engine's voice-activity regions).
struct Utterance {
    double start = 0;
    double end = 0;
    double confidence = 0;
    int channel = 0;
    std::optional<int> speaker;
    std::string text;
};

struct SpeakerSegment {
    double start = 0;
    double end = 0;
    std::string text;
};

struct Speaker {
    int id = 0;
    std::string label;  // "caller", "agent", "speaker 1"
    std::optional<int> channel;
    double talk_time = 0;  // seconds, the sum of its segments
    std::vector<SpeakerSegment> segments;
};

// Something found in the text. `start_char`/`end_char` are byte offsets into Transcript::text ([start, end));
// `start_word`/`end_word` index Transcript::words (inclusive) when the text was built from the words.
struct Entity {
    std::string type;  // "phone_number", "email", "url", "date", "time", "money", "card_number", "ssn",
                       // "order_number", "account_number", or the engine's own label (lower-cased)
    std::string value;
    std::size_t start_char = 0;
    std::size_t end_char = 0;
    std::optional<std::size_t> start_word;
    std::optional<std::size_t> end_word;
    double confidence = 1;
    std::string source;  // "crossvoice" or the engine's name
};

struct Sentiment {
    std::string label;  // "positive", "neutral", "negative"
    double score = 0;   // -1..1
};

struct Translation {
    std::string original_text;
    std::string translated_text;
    std::string source_language;  // ISO 639-1 ("en")
    std::string target_language;
    std::string engine;  // "apertium", "libretranslate"
};

struct Analysis {
    std::string intent;  // a vocabulary entry's name, or "unknown"
    double intent_confidence = 0;
    std::optional<std::string> persona;  // the SHANGO persona the intent belongs to
    Sentiment sentiment;
    std::vector<std::string> keywords;
    std::string summary;  // extractive: sentences of the text itself
};

struct StageTiming {
    std::string stage;  // "stt", "language", "diarize", "entities", "redact", "translate", "analyze"
    double milliseconds = 0;
};

// What an engine heard, and what the language pipeline made of it.
struct Transcript {
    std::string text;
    double confidence = 0;
    std::optional<std::string> language;  // BCP 47 or ISO 639-1 as given ("en", "en-US", "es")
    double language_confidence = 0;
    std::string language_source;  // "engine", "detected", "requested"
    double duration = 0;          // seconds of audio
    int channels = 1;
    std::vector<TranscriptWord> words;
    std::vector<Utterance> utterances;
    std::vector<Speaker> speakers;
    std::vector<Entity> entities;
    // Analysis the engine itself returned (Deepgram summarize / sentiment / topics / intents).
    std::optional<std::string> engine_summary;
    std::optional<Sentiment> engine_sentiment;
    std::vector<std::string> engine_topics;
    std::vector<std::string> engine_intents;
    // Set by the redaction stage: the text with chosen classes replaced by tokens ("[CARD]").
    std::optional<std::string> redacted_text;
    std::vector<std::string> redacted_classes;
    std::optional<Translation> translation;
    std::optional<Analysis> analysis;
    std::string provider;  // "deepgram", "pocketsphinx", "openai"
    std::string model;
    std::optional<std::string> request_id;  // the vendor's, for support tickets
    std::vector<StageTiming> timings;
};

}  // namespace crossvoice::core
