#include "services/assistant_metrics.hpp"

#include <fmt/format.h>

#include <iterator>

namespace crossvoice::services {

void AssistantMetrics::render(std::string& out) const {
    auto it = std::back_inserter(out);
    fmt::format_to(it,
                   "# HELP crossvoice_assistant_answers_total SHANGO answers by the responder that gave them.\n"
                   "# TYPE crossvoice_assistant_answers_total counter\n"
                   "crossvoice_assistant_answers_total{{responder=\"knowledge-base\"}} {}\n"
                   "crossvoice_assistant_answers_total{{responder=\"openai\"}} {}\n",
                   answers_knowledge_base.value(), answers_model.value());
    fmt::format_to(it,
                   "# HELP crossvoice_assistant_handoffs_total Conversations SHANGO handed over, by target.\n"
                   "# TYPE crossvoice_assistant_handoffs_total counter\n"
                   "crossvoice_assistant_handoffs_total{{target=\"agent\"}} {}\n"
                   "crossvoice_assistant_handoffs_total{{target=\"chat\"}} {}\n",
                   handoffs_agent.value(), handoffs_chat.value());
    fmt::format_to(it,
                   "# HELP crossvoice_assistant_model_fallbacks_total Model answers that failed or timed out and "
                   "fell back to the knowledge base.\n"
                   "# TYPE crossvoice_assistant_model_fallbacks_total counter\n"
                   "crossvoice_assistant_model_fallbacks_total {}\n",
                   model_fallbacks.value());
    fmt::format_to(it,
                   "# HELP crossvoice_assistant_answer_seconds Time to answer one utterance (retrieval, responder, "
                   "translation).\n# TYPE crossvoice_assistant_answer_seconds histogram\n");
    answer_seconds.render(out, "crossvoice_assistant_answer_seconds", "");
}

}  // namespace crossvoice::services
