#include "services/voice_metrics.hpp"

#include <fmt/format.h>

#include <initializer_list>
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
}

}  // namespace crossvoice::services
