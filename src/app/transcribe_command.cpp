#include "app/transcribe_command.hpp"

#include <fmt/format.h>
#include <unistd.h>
#include <CLI/CLI.hpp>

#include <chrono>
#include <cstdio>
#include <fstream>
#include <sstream>

#include "app/runtime.hpp"
#include "app/transcript_formats.hpp"
#include "services/transcript_json.hpp"

namespace crossvoice::app {
namespace {

std::vector<std::string> split_classes(const std::string& text) {
    std::vector<std::string> out;
    std::stringstream in(text);
    for (std::string item; std::getline(in, item, ',');) {
        if (!item.empty()) out.push_back(item);
    }
    return out;
}

// "[=====>    ] 3/8 name.wav" on one rewritten line: only when a person is watching stderr.
void progress(bool on_terminal, std::size_t done, std::size_t total, const std::string& name) {
    if (!on_terminal) return;
    constexpr std::size_t kWidth = 24;
    const std::size_t filled = total == 0 ? kWidth : done * kWidth / total;
    std::string bar(filled, '=');
    if (filled < kWidth) bar += '>' + std::string(kWidth - filled - 1, ' ');
    fmt::print(stderr, "\r[{}] {}/{} {:<40.40}", bar, done, total, name);
    std::fflush(stderr);
}

}  // namespace

CLI::App* add_transcribe_command(CLI::App& cli, TranscribeOptions& options) {
    auto* command = cli.add_subcommand("transcribe", "Transcribe audio files with the configured engine and pipeline");
    command->add_option("files", options.files, "audio files (WAV, MP3, FLAC, Ogg)")
        ->required()
        ->check(CLI::ExistingFile);
    command->add_option("--provider", options.provider, "deepgram, pocketsphinx (local) or openai");
    command->add_option("--language", options.language, "BCP 47 language of the audio (default: detect)");
    command->add_flag("--diarize", options.diarize, "label speakers");
    command->add_option("--redact", options.redact, "redact classes: pci,ssn,phone,email,numbers,pii");
    command->add_option("--translate", options.translate, "translate into this language (e.g. es)");
    command->add_option("--format", options.format, "text, json, srt or vtt")
        ->check(CLI::IsMember({"text", "json", "srt", "vtt"}))
        ->capture_default_str();
    return command;
}

int transcribe(const TranscribeOptions& options, const Config& config) {
    auto runtime = Runtime::open(config);
    if (!runtime) {
        fmt::print(stderr, "crossvoice: {}\n", runtime.error().message);
        return 2;
    }
    services::TranscriptionOptions pipeline;
    if (!options.provider.empty()) pipeline.provider = options.provider;
    pipeline.diarize = options.diarize;
    pipeline.redact = split_classes(options.redact);
    pipeline.translate_to = options.translate;
    const bool on_terminal = ::isatty(STDERR_FILENO) == 1;
    int failures = 0;
    for (std::size_t i = 0; i < options.files.size(); ++i) {
        const auto& path = options.files[i];
        progress(on_terminal, i, options.files.size(), path);
        std::ifstream in(path, std::ios::binary);
        std::ostringstream bytes;
        bytes << in.rdbuf();
        if (!in.good() && !in.eof()) {
            fmt::print(stderr, "{}crossvoice: cannot read {}\n", on_terminal ? "\n" : "", path);
            ++failures;
            continue;
        }
        auto transcript = (*runtime)->transcription().transcribe_bytes(bytes.str(), "", options.language, pipeline);
        if (!transcript) {
            fmt::print(stderr, "{}crossvoice: {}: {}\n", on_terminal ? "\n" : "", path, transcript.error().message);
            ++failures;
            continue;
        }
        if (on_terminal) fmt::print(stderr, "\r{:80}\r", "");
        if (options.format == "json") {
            auto body = services::transcript_json(
                *transcript, std::chrono::time_point_cast<std::chrono::milliseconds>(std::chrono::system_clock::now()));
            body["file"] = path;
            fmt::print("{}\n", body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
        } else if (options.format == "srt") {
            fmt::print("{}", to_srt(*transcript));
        } else if (options.format == "vtt") {
            fmt::print("{}", to_vtt(*transcript));
        } else {
            if (options.files.size() > 1) fmt::print("== {} ==\n", path);
            fmt::print("{}\n", transcript->text);
            if (transcript->translation)
                fmt::print("[{}] {}\n", transcript->translation->target_language,
                           transcript->translation->translated_text);
        }
        std::fflush(stdout);
    }
    progress(on_terminal, options.files.size(), options.files.size(), "done");
    if (on_terminal) fmt::print(stderr, "\n");
    return failures == 0 ? 0 : 1;
}

}  // namespace crossvoice::app
