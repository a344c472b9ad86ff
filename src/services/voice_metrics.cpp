#include "services/voice_metrics.hpp"

#include <fmt/format.h>

#include <initializer_list>
#include <iterator>
#include <utility>

namespace crossvoice::services {
namespace {

using Series = std::initializer_list<std::pair<const char*, const observability::Counter*>>;

void family(std::string& out, const char* name, const char* help, Series series) {
    fmt::format_to(std::back_inserter(out), "# HELP {} {}\n# TYPE {} counter\n", name, help, name);
    for (const auto& [outcome, counter] : series) {
        fmt::format_to(std::back_inserter(out), "{}{{outcome=\"{}\"}} {}\n", name, outcome, counter->value());
    }
}

// A counter kept in milliseconds (integer adds stay lock-free), shown in seconds as Prometheus expects.
void seconds(std::string& out, const char* name, const char* help, const observability::Counter& milliseconds) {
    fmt::format_to(std::back_inserter(out), "# HELP {} {}\n# TYPE {} counter\n{} {}\n", name, help, name, name,
                   static_cast<double>(milliseconds.value()) / 1000.0);
}

}  // namespace

void VoiceMetrics::render(std::string& out) const {
    family(out, "crossvoice_dials_total", "Outbound dial requests by outcome.",
           {{"placed", &dials_placed},
            {"refused", &dials_refused},
            {"timeout", &dials_timeout},
            {"rate_limited", &dials_rate_limited},
            {"invalid", &dials_invalid}});
    family(out, "crossvoice_webhooks_total", "Carrier webhook deliveries by outcome.",
           {{"new", &webhooks_new},
            {"duplicate", &webhooks_duplicate},
            {"unauthorized", &webhooks_unauthorized},
            {"invalid", &webhooks_invalid},
            {"failed", &webhooks_failed}});
    family(out, "crossvoice_jobs_total", "Background job attempts by outcome.",
           {{"succeeded", &jobs_succeeded}, {"retried", &jobs_retried}, {"dead", &jobs_dead}});
    family(out, "crossvoice_transcriptions_total", "Transcriptions by outcome.",
           {{"succeeded", &transcriptions_succeeded}, {"failed", &transcriptions_failed}});
    seconds(out, "crossvoice_transcription_audio_seconds_total", "Seconds of audio transcribed.",
            transcription_audio_ms);
    seconds(out, "crossvoice_transcription_processing_seconds_total",
            "Seconds spent transcribing (over the audio seconds: the real-time factor).", transcription_processing_ms);
    out += "# HELP crossvoice_calls_total Calls reaching each state.\n# TYPE crossvoice_calls_total counter\n";
    for (const auto state : core::kAllCallStates) {
        fmt::format_to(std::back_inserter(out), "crossvoice_calls_total{{status=\"{}\"}} {}\n", core::to_string(state),
                       calls_reaching[static_cast<std::size_t>(state)].value());
    }
}

}  // namespace crossvoice::services
