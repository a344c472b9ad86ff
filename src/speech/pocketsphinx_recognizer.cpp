#include "speech/pocketsphinx_recognizer.hpp"

#include <pocketsphinx.h>
#include <sphinxbase/ckd_alloc.h>
#include <sphinxbase/cmd_ln.h>
#include <sphinxbase/err.h>
#include <sphinxbase/fsg_model.h>
#include <sphinxbase/logmath.h>

#include <algorithm>
#include <cctype>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <span>
#include <string>
#include <string_view>
#include <thread>
#include <utility>
#include <vector>

#include "speech/channels.hpp"
#include "speech/resampler.hpp"
#include "speech/voice_activity.hpp"

// How audio becomes a transcript here:
//  1. The audio is decoded (unless the caller already did), then per channel (multichannel) or mixed to mono,
//     resampled to the 16 kHz the en-US acoustic model was trained on.
//  2. Our voice-activity detector cuts it into speech regions, and each region is one PocketSphinx utterance:
//     PocketSphinx's n-gram search degrades on long stretches of silence and noise, batch cepstral mean
//     normalisation (the model's `-cmn batch`) wants one utterance per stretch of speech, and the regions are
//     the utterances of the transcript. PocketSphinx's own silence removal is off, so its frame numbers are
//     plain 10 ms steps from the start of the region.
//  3. With hints (SttRequest::keywords: the expected answers of a short menu), the decoder uses a grammar (the
//     finite-state form of a JSGF `public <hint> = a | b | c;`) whose alternatives are exactly the hints, instead of
//     the 130 000-word language model. A short answer out of context ("billing") is what an n-gram model mishears most;
//     a grammar cannot, and keyword spotting would need a detection threshold tuned per phrase. The price: whatever is
//     said comes out as one of the hints, which is right for a menu answer and is why hints only ever come from menus
//     (audio that reaches no end of the grammar gives no words). With hints the speech from the first region to the
//     last is one utterance, so a pause inside "technical ... support" does not split it.

namespace crossvoice::speech {
namespace {

constexpr int kEngineRate = 16'000;  // the en-US acoustic model's sample rate
constexpr std::string_view kLanguage = "en-US";
constexpr std::string_view kProvider = "pocketsphinx";
constexpr std::string_view kModel = "en-us (cmusphinx)";
constexpr const char* kHintSearch = "crossvoice_hints";
// A decoder holds the acoustic model, the dictionary and the language model (some 60 MB) and takes a second to
// load: a few are enough, as recognition is CPU-bound and the callers' worker pool is small.
constexpr unsigned kMaxDecoders = 4;

struct Word {
    std::string text;
    double start = 0;
    double end = 0;
    double confidence = 0;
    int channel = 0;
};

// PocketSphinx and sphinxbase log through one process-wide hook, to stderr by default.
void silence_sphinx_logging() {
    static std::once_flag once;
    std::call_once(once, [] { err_set_logfp(nullptr); });
}

struct ModelPaths {
    std::string acoustic;
    std::string language_model;
    std::string dictionary;
};

ModelPaths model_paths(const std::string& dir) {
    const std::filesystem::path root(dir);
    return {(root / "en-us").string(), (root / "en-us.lm.bin").string(), (root / "cmudict-en-us.dict").string()};
}

core::Error model_missing(const std::string& path, const std::string& dir) {
    return core::Error{core::ErrorCode::kUnavailable,
                       "the PocketSphinx en-US model is not at " + path + " (apt-get install pocketsphinx-en-us)",
                       {{"model_dir", dir}, {"missing", path}}};
}

// One PocketSphinx decoder: not thread-safe, so used by one request at a time.
class Decoder {
  public:
    Decoder(ps_decoder_t* ps, cmd_ln_t* config) : ps_(ps), config_(config), lm_search_(language_model_search(ps)) {
        frame_seconds_ = 1.0 / static_cast<double>(cmd_ln_int_r(config, "-frate"));
    }
    ~Decoder() {
        ps_free(ps_);
        cmd_ln_free_r(config_);
    }
    Decoder(const Decoder&) = delete;
    Decoder& operator=(const Decoder&) = delete;

    static core::Result<std::unique_ptr<Decoder>> load(const std::string& model_dir) {
        silence_sphinx_logging();
        const ModelPaths paths = model_paths(model_dir);
        for (const std::string& path : {paths.acoustic, paths.language_model, paths.dictionary}) {
            std::error_code ignored;
            if (!std::filesystem::exists(path, ignored)) return model_missing(path, model_dir);
        }
        // Each decoder gets its own configuration: ps_init writes the model's feat.params into it.
        cmd_ln_t* config =
            cmd_ln_init(nullptr, ps_args(), 1, "-hmm", paths.acoustic.c_str(), "-lm", paths.language_model.c_str(),
                        "-dict", paths.dictionary.c_str(), "-remove_silence", "no", "-cmn", "batch", nullptr);
        if (config == nullptr) return core::Error::internal("PocketSphinx refused its configuration");
        ps_decoder_t* ps = ps_init(config);
        if (ps == nullptr) {
            cmd_ln_free_r(config);
            return core::Error{core::ErrorCode::kUnavailable,
                               "PocketSphinx could not load the en-US model from " + model_dir +
                                   " (reinstall it: apt-get install --reinstall pocketsphinx-en-us)",
                               {{"model_dir", model_dir}}};
        }
        return std::make_unique<Decoder>(ps, config);
    }

    bool knows(const std::string& word) const {
        char* pronunciation = ps_lookup_word(ps_, word.c_str());
        if (pronunciation == nullptr) return false;
        ckd_free(pronunciation);
        return true;
    }

    // Decodes with a grammar whose alternatives are `phrases` (lower case, known words, single spaces); false
    // when PocketSphinx refuses it. The grammar is built as a finite-state graph (what PocketSphinx turns JSGF
    // into) rather than parsed from JSGF text: sphinxbase 5prealpha's JSGF parser leaks on every call, and a graph
    // needs no escaping. One path per phrase from the start state to the final state, all equally likely;
    // PocketSphinx adds the optional silences and fillers between words itself (-fsgusefiller).
    bool use_grammar(const std::vector<std::string>& phrases) {
        std::vector<std::vector<std::string>> paths;
        int32 states = 2;  // 0: start, 1: final
        for (const std::string& phrase : phrases) {
            paths.push_back(split(phrase));
            states += static_cast<int32>(paths.back().size()) - 1;
        }
        const auto weight = static_cast<float32>(cmd_ln_float_r(config_, "-lw"));
        logmath_t* logmath = ps_get_logmath(ps_);
        fsg_model_t* fsg = fsg_model_init(kHintSearch, logmath, weight, states);
        fsg->start_state = 0;
        fsg->final_state = 1;
        const auto choose = static_cast<int32>(logmath_log(logmath, 1.0 / static_cast<double>(paths.size())) * weight);
        int32 next_state = 2;
        for (const auto& path : paths) {
            int32 from = 0;
            for (std::size_t i = 0; i < path.size(); ++i) {
                const int32 to = i + 1 == path.size() ? 1 : next_state++;
                fsg_model_trans_add(fsg, from, to, i == 0 ? choose : 0, fsg_model_word_add(fsg, path[i].c_str()));
                from = to;
            }
        }
        const bool set = ps_set_fsg(ps_, kHintSearch, fsg) >= 0;  // the search keeps its own reference
        fsg_model_free(fsg);
        if (!set || ps_set_search(ps_, kHintSearch) < 0) return false;
        grammar_active_ = true;
        return true;
    }

    // Back to the language model, and the grammar dropped, so it cannot leak into the next request.
    // (The active search is tracked here: ps_get_search leaks an iterator on every call in 5prealpha.)
    void use_language_model() {
        if (!grammar_active_ && ps_get_fsg(ps_, kHintSearch) == nullptr) return;
        ps_set_search(ps_, lm_search_.c_str());
        if (ps_get_fsg(ps_, kHintSearch) != nullptr) ps_unset_search(ps_, kHintSearch);
        grammar_active_ = false;
    }

    // One utterance; word times are seconds from `offset`.
    core::Result<std::vector<Word>> recognise(std::span<const std::int16_t> samples, double offset, int channel) {
        if (ps_start_utt(ps_) < 0) return core::Error::internal("PocketSphinx could not start an utterance");
        // full_utt: the whole region at once, which batch cepstral mean normalisation needs.
        const int processed = ps_process_raw(ps_, samples.data(), samples.size(), 0, 1);
        if (ps_end_utt(ps_) < 0 || processed < 0) return core::Error::internal("PocketSphinx failed to decode");

        std::vector<Word> words;
        logmath_t* logmath = ps_get_logmath(ps_);
        for (ps_seg_t* seg = ps_seg_iter(ps_); seg != nullptr; seg = ps_seg_next(seg)) {
            const char* text = ps_seg_word(seg);
            if (text == nullptr || filler(text)) continue;
            int first_frame = 0;
            int last_frame = 0;
            ps_seg_frames(seg, &first_frame, &last_frame);
            int32 acoustic = 0;
            int32 language = 0;
            int32 backoff = 0;
            const int32 log_posterior = ps_seg_prob(seg, &acoustic, &language, &backoff);
            Word word;
            word.text = without_alternate_marker(text);
            word.start = offset + first_frame * frame_seconds_;
            word.end = offset + (last_frame + 1) * frame_seconds_;
            word.confidence = std::clamp(logmath_exp(logmath, log_posterior), 0.0, 1.0);
            word.channel = channel;
            words.push_back(std::move(word));
        }
        return words;
    }

  private:
    // The name of the n-gram search ps_init made from -lm ("_default" in 5prealpha), the only search there then.
    static std::string language_model_search(ps_decoder_t* ps) {
        std::string name;
        for (ps_search_iter_t* it = ps_search_iter(ps); it != nullptr; it = ps_search_iter_next(it)) {
            const char* candidate = ps_search_iter_val(it);
            if (candidate != nullptr && ps_get_lm(ps, candidate) != nullptr) name = candidate;
        }
        return name;
    }

    static std::vector<std::string> split(const std::string& phrase) {
        std::vector<std::string> words;
        std::size_t at = 0;
        while (at < phrase.size()) {
            const std::size_t space = std::min(phrase.find(' ', at), phrase.size());
            if (space > at) words.push_back(phrase.substr(at, space - at));
            at = space + 1;
        }
        return words;
    }

    // <s>, </s>, <sil>, [NOISE], ++BREATH++ and the like: sounds, not words.
    static bool filler(std::string_view word) {
        return word.empty() || word.front() == '<' || word.front() == '[' || word.front() == '+';
    }

    // "read(2)" is the dictionary's second pronunciation of "read".
    static std::string without_alternate_marker(std::string_view word) {
        const auto open = word.find('(');
        if (open != std::string_view::npos && open > 0 && word.back() == ')') word = word.substr(0, open);
        return std::string(word);
    }

    ps_decoder_t* ps_;
    cmd_ln_t* config_;
    std::string lm_search_;
    bool grammar_active_ = false;
    double frame_seconds_ = 0.01;
};

// Decoders are made on demand up to a limit, and handed out one request at a time.
class DecoderPool {
  public:
    DecoderPool(std::string model_dir, std::unique_ptr<Decoder> first, unsigned limit)
        : model_dir_(std::move(model_dir)), limit_(limit), created_(1) {
        idle_.push_back(std::move(first));
    }

    class Lease {
      public:
        Lease(DecoderPool& pool, std::unique_ptr<Decoder> decoder) : pool_(pool), decoder_(std::move(decoder)) {}
        ~Lease() { pool_.give_back(std::move(decoder_)); }
        Lease(const Lease&) = delete;
        Lease& operator=(const Lease&) = delete;
        Decoder& operator*() const { return *decoder_; }
        Decoder* operator->() const { return decoder_.get(); }

      private:
        DecoderPool& pool_;
        std::unique_ptr<Decoder> decoder_;
    };

    core::Result<std::unique_ptr<Lease>> take() {
        std::unique_lock lock(mutex_);
        available_.wait(lock, [&] { return !idle_.empty() || created_ < limit_; });
        if (!idle_.empty()) {
            auto decoder = std::move(idle_.back());
            idle_.pop_back();
            return std::make_unique<Lease>(*this, std::move(decoder));
        }
        ++created_;
        lock.unlock();  // loading takes a second; other requests may take returned decoders meanwhile
        auto loaded = Decoder::load(model_dir_);
        if (!loaded) {
            lock.lock();
            --created_;
            available_.notify_one();
            return std::move(loaded).error();
        }
        return std::make_unique<Lease>(*this, std::move(loaded).value());
    }

  private:
    void give_back(std::unique_ptr<Decoder> decoder) {
        decoder->use_language_model();
        {
            std::lock_guard lock(mutex_);
            idle_.push_back(std::move(decoder));
        }
        available_.notify_one();
    }

    const std::string model_dir_;
    const unsigned limit_;
    std::mutex mutex_;
    std::condition_variable available_;
    std::vector<std::unique_ptr<Decoder>> idle_;
    unsigned created_;
};

std::string lower(std::string_view text) {
    std::string out(text);
    std::transform(out.begin(), out.end(), out.begin(),
                   [](unsigned char ch) { return static_cast<char>(std::tolower(ch)); });
    return out;
}

bool english(std::string_view tag) {
    const std::string primary = lower(tag.substr(0, tag.find_first_of("-_")));
    return primary == "en";
}

// A hint as a grammar alternative: its words lower-cased and single-spaced; empty when a word is not in the
// dictionary (or is a filler such as "<sil>" or "[noise]").
std::string grammar_phrase(const Decoder& decoder, std::string_view hint) {
    static constexpr std::string_view kNotInWords = "<>[]()+";
    std::string phrase;
    std::size_t at = 0;
    while (at < hint.size()) {
        const std::size_t begin = hint.find_first_not_of(" \t\r\n", at);
        if (begin == std::string_view::npos) break;
        const std::size_t end = std::min(hint.find_first_of(" \t\r\n", begin), hint.size());
        const std::string word = lower(hint.substr(begin, end - begin));
        at = end;
        if (word.find_first_of(kNotInWords) != std::string::npos || !decoder.knows(word)) return {};
        phrase += (phrase.empty() ? "" : " ") + word;
    }
    return phrase;
}

std::vector<std::string> grammar_phrases(const Decoder& decoder, const std::vector<std::string>& hints) {
    std::vector<std::string> phrases;
    std::set<std::string> seen;
    for (const std::string& hint : hints) {
        std::string phrase = grammar_phrase(decoder, hint);
        if (!phrase.empty() && seen.insert(phrase).second) phrases.push_back(std::move(phrase));
    }
    return phrases;
}

// Headerless telephone audio is only recognisable from its content type; everything else from its bytes.
std::optional<core::ports::RawAudioFormat> raw_format(std::string_view content_type) {
    const std::string type = lower(content_type.substr(0, content_type.find(';')));
    using core::ports::RawEncoding;
    if (type == "audio/basic" || type == "audio/pcmu" || type == "audio/x-mulaw" || type == "audio/mulaw") {
        return core::ports::RawAudioFormat{RawEncoding::kMulaw, 8'000, 1};
    }
    if (type == "audio/pcma" || type == "audio/x-alaw" || type == "audio/alaw") {
        return core::ports::RawAudioFormat{RawEncoding::kAlaw, 8'000, 1};
    }
    return std::nullopt;
}

std::string join(const std::vector<Word>& words, std::size_t from, std::size_t to) {
    std::string text;
    for (std::size_t i = from; i < to; ++i) text += (i == from ? "" : " ") + words[i].text;
    return text;
}

double mean_confidence(const std::vector<Word>& words, std::size_t from, std::size_t to) {
    if (from >= to) return 0;
    double sum = 0;
    for (std::size_t i = from; i < to; ++i) sum += words[i].confidence;
    return sum / static_cast<double>(to - from);
}

}  // namespace

struct PocketsphinxRecognizer::Impl {
    Impl(const core::ports::AudioDecoder& decoder_port, std::string model_dir, std::unique_ptr<Decoder> first,
         unsigned limit)
        : audio_decoder(decoder_port), pool(std::move(model_dir), std::move(first), limit) {}

    core::Result<core::PcmAudio> audio_of(const core::ports::SttRequest& request) const;
    core::Result<core::Transcript> transcribe(const core::ports::SttRequest& request);

    const core::ports::AudioDecoder& audio_decoder;
    DecoderPool pool;
};

core::Result<core::PcmAudio> PocketsphinxRecognizer::Impl::audio_of(const core::ports::SttRequest& request) const {
    if (request.decoded) return *request.decoded;
    if (request.audio.empty() && request.url) {
        return core::Error::validation("url", "the local engine needs the audio itself, not a URL");
    }
    auto decoded = audio_decoder.decode(request.audio, raw_format(request.content_type), {});
    if (!decoded) return std::move(decoded).error();
    return std::move(decoded->pcm);
}

core::Result<core::Transcript> PocketsphinxRecognizer::Impl::transcribe(const core::ports::SttRequest& request) {
    if (request.language && !english(*request.language)) {
        return core::Error::validation("language",
                                       "the local engine only has en-US; set DEEPGRAM_API_KEY or an "
                                       "OpenAI-compatible server for " +
                                           *request.language);
    }
    core::Transcript transcript;
    transcript.language = std::string(kLanguage);
    transcript.language_confidence = 1;
    transcript.language_source = "engine";
    transcript.provider = std::string(kProvider);
    transcript.model = std::string(kModel);

    // Per channel when asked (a call recording: caller and agent apart); otherwise the channels mixed.
    std::vector<core::PcmAudio> channels;
    {
        auto audio = audio_of(request);
        if (!audio) return std::move(audio).error();
        if (audio->channels <= 0 || audio->sample_rate <= 0) {
            return core::Error{core::ErrorCode::kUnprocessable, "the audio has no channels or no sample rate", {}};
        }
        transcript.duration = static_cast<double>(audio->frames()) / audio->sample_rate;
        if (request.multichannel && audio->channels >= 2) {
            channels = split_channels(*audio);
        } else {
            channels.push_back(mix_to_mono(*audio));
        }
    }
    transcript.channels = static_cast<int>(channels.size());

    auto lease = pool.take();
    if (!lease) return std::move(lease).error();
    Decoder& decoder = ***lease;
    decoder.use_language_model();
    if (!request.keywords.empty()) {
        const auto phrases = grammar_phrases(decoder, request.keywords);
        if (!phrases.empty() && !decoder.use_grammar(phrases)) decoder.use_language_model();
    }

    std::vector<Word> words;
    for (std::size_t channel = 0; channel < channels.size(); ++channel) {
        auto mono = resample(channels[channel], kEngineRate);
        if (!mono) return std::move(mono).error();
        channels[channel] = core::PcmAudio{};
        std::vector<SpeechRegion> regions = find_speech(*mono);
        if (!request.keywords.empty() && regions.size() > 1) regions = {{regions.front().start, regions.back().end}};
        const std::size_t total = mono->samples.size();
        for (const SpeechRegion& region : regions) {
            const auto begin = std::min(total, static_cast<std::size_t>(std::max(0.0, region.start) * kEngineRate));
            const auto end = std::min(total, static_cast<std::size_t>(std::max(0.0, region.end) * kEngineRate));
            if (end <= begin) continue;
            const double offset = static_cast<double>(begin) / kEngineRate;
            auto heard = decoder.recognise(std::span(mono->samples).subspan(begin, end - begin), offset,
                                           static_cast<int>(channel));
            if (!heard) return std::move(heard).error();
            if (heard->empty()) continue;
            const std::size_t first = words.size();
            for (Word& word : *heard) {
                word.start = std::min(word.start, transcript.duration);
                word.end = std::clamp(word.end, word.start, transcript.duration);
                words.push_back(std::move(word));
            }
            core::Utterance utterance;
            utterance.start = offset;
            utterance.end = std::min(static_cast<double>(end) / kEngineRate, transcript.duration);
            utterance.channel = static_cast<int>(channel);
            utterance.text = join(words, first, words.size());
            utterance.confidence = mean_confidence(words, first, words.size());
            transcript.utterances.push_back(std::move(utterance));
        }
    }

    // Channels were decoded one after the other; the transcript reads in time order.
    std::stable_sort(words.begin(), words.end(), [](const Word& a, const Word& b) { return a.start < b.start; });
    std::stable_sort(transcript.utterances.begin(), transcript.utterances.end(),
                     [](const core::Utterance& a, const core::Utterance& b) { return a.start < b.start; });
    transcript.text = join(words, 0, words.size());
    transcript.confidence = mean_confidence(words, 0, words.size());
    for (Word& word : words) {
        core::TranscriptWord out;
        out.word = std::move(word.text);
        out.punctuated = out.word;
        out.start = word.start;
        out.end = word.end;
        out.confidence = word.confidence;
        out.channel = word.channel;
        transcript.words.push_back(std::move(out));
    }
    return transcript;
}

core::Result<std::unique_ptr<PocketsphinxRecognizer>> PocketsphinxRecognizer::create(
    const core::ports::AudioDecoder& decoder, PocketsphinxOptions options) {
    auto first = Decoder::load(options.model_dir);
    if (!first) return std::move(first).error();
    const unsigned limit = std::clamp(std::thread::hardware_concurrency(), 1U, kMaxDecoders);
    return std::unique_ptr<PocketsphinxRecognizer>(new PocketsphinxRecognizer(
        std::make_unique<Impl>(decoder, std::move(options.model_dir), std::move(first).value(), limit)));
}

PocketsphinxRecognizer::PocketsphinxRecognizer(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

PocketsphinxRecognizer::~PocketsphinxRecognizer() = default;

core::Result<core::Transcript> PocketsphinxRecognizer::transcribe(const core::ports::SttRequest& request) {
    try {
        return impl_->transcribe(request);
    } catch (const std::exception& e) {
        return core::Error::internal(std::string("local speech recognition failed: ") + e.what());
    }
}

}  // namespace crossvoice::speech
