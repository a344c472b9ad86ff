// Transcripts per second through the language pipeline (bench/pipeline.sh), on one fixed ~150-word call with
// words, one channel: the whole pipeline as the transcription job runs it (detection, diarization, entities,
// redaction of pii and numbers, context analysis; no translation, which is an external engine), each stage
// alone, and two ceilings measured in the same session: copying the transcript (what any stage costs at least,
// since the pipeline runs on a copy) and one plain std::regex scan of its text for digit runs.
#include <benchmark/benchmark.h>

#include <regex>
#include <string>
#include <string_view>
#include <vector>

#include "core/ports/transcript_pipeline.hpp"
#include "core/transcript.hpp"
#include "language/context_analyzer.hpp"
#include "language/diarizer.hpp"
#include "language/entity_extractor.hpp"
#include "language/language_detector.hpp"
#include "language/language_pipeline.hpp"
#include "language/redactor.hpp"

namespace {

using namespace crossvoice;

// A billing call as Deepgram returns it with smart_format and punctuation (155 words).
constexpr std::string_view kCall =
    "Thank you for calling Tetrix support, my name is Dana, how can I help you today? Hi Dana, I'm calling "
    "because I was charged twice for my internet bill this month and I would like a refund. I'm sorry to hear "
    "that, I can help with the billing issue. Can I have your account number please? Sure, my account number "
    "is 48213377. Thank you. And for verification, the last payment was made with which card? It was my Visa, "
    "4111 1111 1111 1111, on March 5th, 2025. I see two payments of $89.99 on that card. You can also reach me "
    "at (415) 555-0123 or by email at jordan.lee@example.com if anything else comes up. Great, I have issued a "
    "refund of $89.99, and it should arrive in three to five business days. Your confirmation is order number "
    "RF-220519. Is there anything else I can help you with today? No, that's everything, thank you so much "
    "for your help, you've been great. You're welcome, have a wonderful day.";

core::Transcript make_call() {
    core::Transcript transcript;
    transcript.text = std::string(kCall);
    transcript.provider = "deepgram";
    transcript.model = "nova-2";
    double at = 0;
    std::size_t from = 0;
    while (from < kCall.size()) {
        std::size_t to = kCall.find(' ', from);
        if (to == std::string_view::npos) to = kCall.size();
        core::TranscriptWord word;
        word.punctuated = std::string(kCall.substr(from, to - from));
        for (const char c : word.punctuated) {
            if (c != ',' && c != '.' && c != '?' && c != '!') word.word.push_back(c);
        }
        word.start = at;
        word.end = at + 0.3;
        word.confidence = 0.93;
        at += 0.35;
        transcript.words.push_back(std::move(word));
        from = to + 1;
    }
    transcript.duration = at;
    transcript.confidence = 0.93;
    return transcript;
}

const core::Transcript& call() {
    static const core::Transcript transcript = make_call();
    return transcript;
}

const std::vector<core::ports::IntentCandidate>& intents() {
    static const std::vector<core::ports::IntentCandidate> candidates{
        {"billing", {"bill", "charged", "refund", "payment", "invoice"}, "billing"},
        {"technical_support", {"internet is down", "router", "no signal", "slow connection"}, "technical"},
        {"sales", {"new plan", "upgrade", "pricing", "buy"}, "sales"},
        {"cancel", {"cancel", "close my account", "terminate"}, std::nullopt},
    };
    return candidates;
}

core::ports::PipelineOptions full_options() {
    core::ports::PipelineOptions options;
    options.redact = {"pii", "numbers"};
    options.intents = intents();
    return options;
}

void BM_Pipeline(benchmark::State& state) {
    language::LanguagePipeline pipeline(nullptr);
    const auto options = full_options();
    for (auto _ : state) {
        core::Transcript transcript = call();
        const auto status = pipeline.run(transcript, options);
        if (!status.ok()) state.SkipWithError(status.error().message.c_str());
        benchmark::DoNotOptimize(transcript);
    }
    state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_Pipeline);

void BM_Detect(benchmark::State& state) {
    for (auto _ : state) benchmark::DoNotOptimize(language::detect_language(call().text));
    state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_Detect);

void BM_Diarize(benchmark::State& state) {
    for (auto _ : state) {
        core::Transcript transcript = call();
        language::diarize(transcript);
        benchmark::DoNotOptimize(transcript);
    }
    state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_Diarize);

void BM_Entities(benchmark::State& state) {
    for (auto _ : state) benchmark::DoNotOptimize(language::extract_entities(call()));
    state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_Entities);

// Redaction given the entities (extracted once, outside the loop), applied to a copy.
void BM_Redact(benchmark::State& state) {
    const auto entities = language::extract_entities(call());
    const std::vector<std::string> classes{"pii", "numbers"};
    for (auto _ : state) {
        core::Transcript transcript = call();
        transcript.entities = entities;
        auto redaction = language::redact(transcript.text, transcript.entities, classes);
        language::apply_redaction(transcript, *redaction);
        benchmark::DoNotOptimize(transcript);
    }
    state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_Redact);

void BM_Analyze(benchmark::State& state) {
    for (auto _ : state) benchmark::DoNotOptimize(language::analyze_context(call().text, intents()));
    state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_Analyze);

// Ceiling: the copy every pipeline run starts from.
void BM_CopyTranscript(benchmark::State& state) {
    for (auto _ : state) {
        core::Transcript transcript = call();
        benchmark::DoNotOptimize(transcript);
    }
    state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_CopyTranscript);

// Ceiling: one plain regex pass over the text, finding digit runs (what a regex-only redactor does per class).
void BM_RegexScan(benchmark::State& state) {
    static const std::regex digits("[0-9][0-9 ,.-]*[0-9]");
    const std::string& text = call().text;
    for (auto _ : state) {
        std::size_t found = 0;
        for (auto it = std::sregex_iterator(text.begin(), text.end(), digits); it != std::sregex_iterator(); ++it) {
            ++found;
        }
        benchmark::DoNotOptimize(found);
    }
    state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_RegexScan);

}  // namespace

BENCHMARK_MAIN();
