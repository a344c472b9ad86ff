#pragma once

#include <optional>
#include <string>
#include <vector>

#include "app/config.hpp"

namespace CLI {
class App;
}

namespace crossvoice::app {

struct TranscribeOptions {
    std::vector<std::string> files;
    std::string provider;  // "" = the configured default
    std::optional<std::string> language;
    bool diarize = false;
    std::string redact;  // "pci,ssn"
    std::optional<std::string> translate;
    std::string format = "text";  // text, json, srt, vtt
};

// `crossvoice transcribe FILE… [--provider P] [--language L] [--diarize] [--redact pci,ssn] [--translate es]
// [--format text|json|srt|vtt]`: the same engine and language pipeline as the API, without storing anything.
CLI::App* add_transcribe_command(CLI::App& cli, TranscribeOptions& options);

// Results on stdout (json: one object per line), errors and, on a terminal, a progress line on stderr.
// Exit 0 when every file was transcribed, 1 when any failed, 2 when nothing could start.
int transcribe(const TranscribeOptions& options, const Config& config);

}  // namespace crossvoice::app
