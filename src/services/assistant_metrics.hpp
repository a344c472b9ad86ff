#pragma once

#include "observability/metrics.hpp"

namespace crossvoice::services {

// SHANGO's answers: how many, by whom, how they ended, and how long they took.
class AssistantMetrics final : public observability::MetricSource {
  public:
    observability::Counter answers_knowledge_base, answers_model;
    observability::Counter handoffs_agent, handoffs_chat;
    observability::Counter model_fallbacks;  // the model failed or timed out; the knowledge base answered
    observability::Histogram answer_seconds;

    void render(std::string& out) const override;
};

}  // namespace crossvoice::services
