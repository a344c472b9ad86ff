#pragma once

#include <array>
#include <string>

#include "core/call.hpp"
#include "observability/metrics.hpp"

namespace crossvoice::services {

// What an operator watches on the voice path, as Prometheus counters:
//   crossvoice_dials_total{outcome="placed|refused|timeout|rate_limited|invalid"}
//   crossvoice_webhooks_total{outcome="new|duplicate|unauthorized|invalid|failed"}
//   crossvoice_jobs_total{outcome="succeeded|retried|dead"}
//   crossvoice_transcriptions_total{outcome="succeeded|failed"}
//   crossvoice_transcription_audio_seconds_total, crossvoice_transcription_processing_seconds_total (their
//   ratio is the real-time factor)
//   crossvoice_calls_total{status="initiated|ringing|answered|completed|busy|no_answer|failed|canceled"}: calls
//   reaching each state (a call placed or first seen, a dial refused, each state change a webhook applies)
// Incremented by the use-cases on their own threads (relaxed atomics), rendered by /metrics.
class VoiceMetrics final : public observability::MetricSource {
  public:
    observability::Counter dials_placed, dials_refused, dials_timeout, dials_rate_limited, dials_invalid;
    observability::Counter webhooks_new, webhooks_duplicate, webhooks_unauthorized, webhooks_invalid, webhooks_failed;
    observability::Counter jobs_succeeded, jobs_retried, jobs_dead;
    observability::Counter transcriptions_succeeded, transcriptions_failed;
    observability::Counter transcription_audio_ms, transcription_processing_ms;
    std::array<observability::Counter, core::kAllCallStates.size()> calls_reaching;  // by CallState

    void count_call(core::CallState state) { calls_reaching[static_cast<std::size_t>(state)].add(); }

    void render(std::string& out) const override;
};

}  // namespace crossvoice::services
