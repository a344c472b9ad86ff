#include "speech/espeak_synthesizer.hpp"

#include <espeak-ng/espeak_ng.h>
#include <espeak-ng/speak_lib.h>
#include <fmt/format.h>

#include <algorithm>
#include <cstdint>
#include <limits>
#include <mutex>

#include "core/wav.hpp"

namespace crossvoice::speech {
namespace {

static_assert(sizeof(short) == sizeof(std::int16_t), "espeak-ng hands out 16-bit samples as short");

// Everything espeak-ng keeps in globals, and the one lock that guards it. Never destroyed: a synthesis still
// running on another thread at exit must not find the lock gone.
struct Engine {
    std::once_flag started;
    std::string start_error;  // empty when the engine is up
    int sample_rate = 0;

    std::mutex mutex;
    std::string voice;         // the voice loaded now ("" before the first)
    int words_per_minute = 0;  // the rate set now (0 before the first)
};

Engine& engine() {
    static auto* instance = new Engine;  // deliberately leaked, see above
    return *instance;
}

std::string status_message(espeak_ng_STATUS status) {
    char message[512] = {};
    espeak_ng_GetStatusCodeMessage(status, message, sizeof message);
    return message;
}

// Runs on the synthesising thread, inside espeak_ng_Synthesize (synchronous mode), so the lock is held.
int collect_samples(short* wav, int count, espeak_EVENT* events) {
    if (wav == nullptr || count <= 0 || events == nullptr) return 0;
    auto* samples = static_cast<std::vector<std::int16_t>*>(events->user_data);
    if (samples != nullptr) samples->insert(samples->end(), wav, wav + count);
    return 0;  // 0 = go on
}

void start(Engine& state, const std::string& data_path) {
    espeak_ng_InitializePath(data_path.empty() ? nullptr : data_path.c_str());
    espeak_ng_ERROR_CONTEXT context = nullptr;
    // The espeak_ng_* calls report errors; the older espeak_Initialize calls exit() when its data is missing.
    espeak_ng_STATUS status = espeak_ng_Initialize(&context);
    espeak_ng_ClearErrorContext(&context);
    if (status != ENS_OK) {
        state.start_error = "espeak-ng failed to initialise: " + status_message(status);
        return;
    }
    status = espeak_ng_InitializeOutput(ENOUTPUT_MODE_SYNCHRONOUS, 0, nullptr);
    if (status != ENS_OK) {
        state.start_error = "espeak-ng failed to set up synchronous output: " + status_message(status);
        return;
    }
    espeak_SetSynthCallback(collect_samples);
    state.sample_rate = espeak_ng_GetSampleRate();
    if (state.sample_rate <= 0) state.start_error = "espeak-ng reported no sample rate";
}

bool blank(std::string_view text) {
    return std::all_of(text.begin(), text.end(), [](char ch) {
        return ch == ' ' || ch == '\t' || ch == '\n' || ch == '\r' || ch == '\f' || ch == '\v';
    });
}

// Loads the first candidate voice espeak-ng has; keeps the loaded one when it is already right. Lock held.
std::string select_voice(Engine& state, std::string_view language) {
    for (const std::string& candidate : voice_candidates(language)) {
        if (candidate == state.voice) return candidate;
        // A failed load leaves the previous voice in place (checked against espeak-ng 1.51).
        if (espeak_ng_SetVoiceByName(candidate.c_str()) == ENS_OK) {
            state.voice = candidate;
            return candidate;
        }
    }
    return state.voice;
}

}  // namespace

std::vector<std::string> voice_candidates(std::string_view language) {
    constexpr std::size_t kMaxTagLength = 35;  // RFC 5646's longest sensible tag
    std::string tag;
    for (const char ch : language) {
        if (ch >= 'A' && ch <= 'Z') {
            tag += static_cast<char>(ch - 'A' + 'a');
        } else if ((ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch == '-') {
            tag += ch;
        } else if (ch == '_') {
            tag += '-';  // "en_US", as POSIX locales spell it
        } else {
            return {"en"};
        }
    }
    const auto primary_end = tag.find('-');
    const std::string primary = tag.substr(0, primary_end);
    if (tag.size() > kMaxTagLength || primary.size() < 2 || primary.size() > 3) return {"en"};

    std::vector<std::string> candidates;
    if (primary_end != std::string::npos) candidates.push_back(tag);
    candidates.push_back(primary);
    if (primary != "en") candidates.emplace_back("en");
    return candidates;
}

core::Result<std::unique_ptr<EspeakSynthesizer>> EspeakSynthesizer::create(EspeakOptions options) {
    Engine& state = engine();
    std::call_once(state.started, [&] { start(state, options.data_path); });
    if (!state.start_error.empty()) return core::Error::internal(state.start_error);
    options.words_per_minute = std::clamp(options.words_per_minute, espeakRATE_MINIMUM, espeakRATE_MAXIMUM);
    return std::unique_ptr<EspeakSynthesizer>(new EspeakSynthesizer(std::move(options), state.sample_rate));
}

std::string EspeakSynthesizer::voice_for(std::string_view language) {
    Engine& state = engine();
    const std::lock_guard lock(state.mutex);
    return select_voice(state, language);
}

core::Result<std::string> EspeakSynthesizer::synthesize_wav(std::string_view text, std::string_view language) {
    if (blank(text)) return core::Error::validation("text", "the text to speak is empty");
    if (text.size() > options_.max_text_bytes) {
        return core::Error::validation("text",
                                       fmt::format("the text to speak is over {} bytes", options_.max_text_bytes));
    }
    if (text.find('\0') != std::string_view::npos) {
        return core::Error::validation("text", "the text to speak contains a NUL character");
    }
    // espeak-ng reads up to a terminating NUL; plain text only (no SSML or [[phoneme]] input from callers).
    const std::string input(text);
    std::vector<std::int16_t> samples;

    {
        Engine& state = engine();
        const std::lock_guard lock(state.mutex);
        if (select_voice(state, language).empty()) return core::Error::internal("espeak-ng has no usable voice");
        if (state.words_per_minute != options_.words_per_minute &&
            espeak_SetParameter(espeakRATE, options_.words_per_minute, 0) == EE_OK) {
            state.words_per_minute = options_.words_per_minute;
        }
        const espeak_ng_STATUS status = espeak_ng_Synthesize(input.c_str(), input.size() + 1, 0, POS_CHARACTER, 0,
                                                             espeakCHARS_UTF8, nullptr, &samples);
        if (status != ENS_OK) return core::Error::internal("espeak-ng failed to synthesise: " + status_message(status));
    }
    if (samples.size() > static_cast<std::size_t>(std::numeric_limits<std::int32_t>::max() / 2)) {
        return core::Error::internal("the synthesised audio is too long for a WAV file");
    }
    return core::write_wav(core::PcmAudio{sample_rate_, 1, std::move(samples)});
}

}  // namespace crossvoice::speech
