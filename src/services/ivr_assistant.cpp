#include "services/ivr_assistant.hpp"

#include "observability/logging.hpp"
#include "services/shango_service.hpp"

namespace crossvoice::services {

std::string IvrAssistant::greeting(core::Platform platform, std::string_view persona) const {
    return shango_.greeting(platform, persona);
}

std::optional<core::ivr::AssistantAnswer> IvrAssistant::answer(const core::Call& call, const std::string& persona,
                                                               const std::string& speech, const std::string& language) {
    ShangoQuestion question;
    question.platform = call.platform;
    question.session_id = call.session_id;
    question.channel = core::Channel::kVoice;
    question.text = speech;
    question.language = language;
    question.persona = persona;
    question.call_id = call.id;
    auto answered = shango_.answer(question);
    if (!answered) {
        observability::logger("assistant")
            ->warn("call {}: SHANGO could not answer ({}: {})", call.id, core::to_string(answered.error().code),
                   answered.error().message);
        return std::nullopt;
    }
    core::ivr::AssistantAnswer out;
    out.text = answered->reply.text;
    out.handoff = answered->reply.handoff;
    out.done = answered->reply.end_conversation;
    return out;
}

}  // namespace crossvoice::services
