#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/ports/audio_decoder.hpp"

namespace crossvoice::services {

// What to do with the audio once it is heard: the engine to use and the language pipeline's stages.
struct TranscriptionOptions {
    std::optional<std::string> provider;  // "deepgram", "pocketsphinx" (alias "local"), "openai"; nullopt = default
    std::optional<std::string> model;
    bool diarize = true;
    bool detect_language = true;
    bool entities = true;
    std::vector<std::string> redact;  // redaction classes; the platform may add its own
    std::optional<std::string> translate_to;
    bool analyze = true;
    std::optional<bool> multichannel;   // nullopt = yes for two-channel audio (a call recording: caller, agent)
    std::vector<std::string> keywords;  // expected words: boosted by Deepgram, a grammar for the local engine
};

// An uploaded file (multipart or a raw audio body).
struct AudioUpload {
    std::string bytes;
    std::string content_type;                        // as the client named it; the bytes decide
    std::optional<core::ports::RawAudioFormat> raw;  // headerless audio
};

// POST /api/voice/transcribe, one item of a batch, or the CLI. Exactly one audio source.
struct TranscribeRequest {
    std::optional<std::string> audio_url;
    std::optional<std::string> recording_id;  // a recording's eventId (GET /api/voice/calls/{id})
    std::optional<std::string> call_id;       // the call's latest archived recording
    std::optional<AudioUpload> upload;
    std::optional<std::string> session_id;
    std::optional<std::string> language;  // BCP 47
    std::optional<std::string> callback_url;
    TranscriptionOptions options;
};

}  // namespace crossvoice::services
