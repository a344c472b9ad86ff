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

bool IvrAssistant::continue_by_chat(const core::Call& call, std::string_view channel, std::string_view text) {
    if (!chat_) return false;
    const auto parsed = core::parse_channel(channel);
    if (!parsed) return false;
    auto sent = chat_(call, *parsed, std::string(text));
    if (!sent) {
        observability::logger("ivr")->warn("call {}: the chat message could not be sent: {}", call.id,
                                           sent.error().message);
        return false;
    }
    return true;
}

}  // namespace crossvoice::services
