#include "services/voice_metrics.hpp"

#include <gtest/gtest.h>

namespace crossvoice::services {
namespace {

TEST(VoiceMetricsTest, RendersEveryOutcomeAsPrometheusText) {
    VoiceMetrics metrics;
    metrics.dials_placed.add(3);
    metrics.webhooks_duplicate.add();
    metrics.jobs_dead.add(2);
    metrics.transcriptions_succeeded.add(4);
    metrics.transcriptions_failed.add();
    metrics.transcription_audio_ms.add(90'500);
    metrics.transcription_processing_ms.add(1'250);
    metrics.count_call(core::CallState::kInitiated);
    metrics.count_call(core::CallState::kInitiated);
    metrics.count_call(core::CallState::kNoAnswer);
    std::string out;
    metrics.render(out);
    EXPECT_EQ(out,
              "# HELP crossvoice_dials_total Outbound dial requests by outcome.\n"
              "# TYPE crossvoice_dials_total counter\n"
              "crossvoice_dials_total{outcome=\"placed\"} 3\n"
              "crossvoice_dials_total{outcome=\"refused\"} 0\n"
              "crossvoice_dials_total{outcome=\"timeout\"} 0\n"
              "crossvoice_dials_total{outcome=\"rate_limited\"} 0\n"
              "crossvoice_dials_total{outcome=\"invalid\"} 0\n"
              "# HELP crossvoice_webhooks_total Carrier webhook deliveries by outcome.\n"
              "# TYPE crossvoice_webhooks_total counter\n"
              "crossvoice_webhooks_total{outcome=\"new\"} 0\n"
              "crossvoice_webhooks_total{outcome=\"duplicate\"} 1\n"
              "crossvoice_webhooks_total{outcome=\"unauthorized\"} 0\n"
              "crossvoice_webhooks_total{outcome=\"invalid\"} 0\n"
              "crossvoice_webhooks_total{outcome=\"failed\"} 0\n"
              "# HELP crossvoice_jobs_total Background job attempts by outcome.\n"
              "# TYPE crossvoice_jobs_total counter\n"
              "crossvoice_jobs_total{outcome=\"succeeded\"} 0\n"
              "crossvoice_jobs_total{outcome=\"retried\"} 0\n"
              "crossvoice_jobs_total{outcome=\"dead\"} 2\n"
              "# HELP crossvoice_transcriptions_total Transcriptions by outcome.\n"
              "# TYPE crossvoice_transcriptions_total counter\n"
              "crossvoice_transcriptions_total{outcome=\"succeeded\"} 4\n"
              "crossvoice_transcriptions_total{outcome=\"failed\"} 1\n"
              "# HELP crossvoice_transcription_audio_seconds_total Seconds of audio transcribed.\n"
              "# TYPE crossvoice_transcription_audio_seconds_total counter\n"
              "crossvoice_transcription_audio_seconds_total 90.5\n"
              "# HELP crossvoice_transcription_processing_seconds_total Seconds spent transcribing (over the audio "
              "seconds: the real-time factor).\n"
              "# TYPE crossvoice_transcription_processing_seconds_total counter\n"
              "crossvoice_transcription_processing_seconds_total 1.25\n"
              "# HELP crossvoice_calls_total Calls reaching each state.\n"
              "# TYPE crossvoice_calls_total counter\n"
              "crossvoice_calls_total{status=\"initiated\"} 2\n"
              "crossvoice_calls_total{status=\"ringing\"} 0\n"
              "crossvoice_calls_total{status=\"answered\"} 0\n"
              "crossvoice_calls_total{status=\"completed\"} 0\n"
              "crossvoice_calls_total{status=\"busy\"} 0\n"
              "crossvoice_calls_total{status=\"no_answer\"} 1\n"
              "crossvoice_calls_total{status=\"failed\"} 0\n"
              "crossvoice_calls_total{status=\"canceled\"} 0\n");
}

TEST(VoiceMetricsTest, ZeroSecondsRenderAsZero) {
    VoiceMetrics metrics;
    std::string out;
    metrics.render(out);
    EXPECT_NE(out.find("\ncrossvoice_transcription_audio_seconds_total 0\n"), std::string::npos);
}

}  // namespace
}  // namespace crossvoice::services
