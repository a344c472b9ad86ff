#include "services/ivr_steps.hpp"

#include <fmt/format.h>

#include <memory>
#include <nlohmann/json.hpp>
#include <vector>

namespace crossvoice::services {

namespace ivr = core::ivr;

core::Result<ivr::StepResult> run_ivr_step(FlowCatalog& flows, const core::ports::TimeZones& zones, core::TimePoint now,
                                           core::Platform platform, const ivr::IvrState& state,
                                           const ivr::CallerInput& input, IvrAssistant* assistant,
                                           const core::Call* call) {
    auto flow = flows.flow(platform, state.flow);
    if (!flow) {
        if (flow.error().code == core::ErrorCode::kNotFound) {
            return core::Error::validation("flow", fmt::format("flow '{}' no longer exists", state.flow));
        }
        return std::move(flow).error();
    }
    std::vector<std::shared_ptr<const ivr::IvrFlow>> held;  // keeps redirect targets alive for the step
    ivr::StepContext context;
    context.now = now;
    context.zones = &zones;
    context.find_flow = [&](std::string_view name) -> const ivr::IvrFlow* {
        auto other = flows.flow(platform, std::string(name));
        if (!other) return nullptr;
        held.push_back(std::move(other).value());
        return held.back().get();
    };
    if (assistant == nullptr) return ivr::step(**flow, state, input, context);
    context.assistant_greeting = [&](std::string_view persona) { return assistant->greeting(platform, persona); };
    if (call != nullptr) {
        context.continue_by_chat = [&](std::string_view channel, std::string_view text) {
            return assistant->continue_by_chat(*call, channel, text);
        };
    }
    const bool speech = input.kind == ivr::InputKind::kSpeech && !input.speech.empty();
    if (state.awaiting != ivr::Awaiting::kAssistant || !speech || call == nullptr) {
        return ivr::step(**flow, state, input, context);
    }
    const ivr::Node* node = (*flow)->find(state.node);
    const auto* shango = node == nullptr ? nullptr : std::get_if<ivr::AssistantNode>(&node->body);
    if (shango == nullptr) return ivr::step(**flow, state, input, context);
    auto answered = input;
    answered.assistant = assistant->answer(*call, shango->persona, input.speech,
                                           state.language.empty() ? (*flow)->language : state.language);
    return ivr::step(**flow, state, answered, context);
}

ivr::StepResult ivr_error_ending(const ivr::IvrState& state) {
    ivr::StepResult ended;
    ended.state = state;
    ended.state.awaiting = ivr::Awaiting::kEnded;
    ended.state.outcome = "error";
    ended.instructions = {ivr::Say{std::string(kIvrSorry), {}, {}, {}}, ivr::Hangup{}};
    ended.ended = true;
    return ended;
}

std::string inbound_session_metadata(const std::string& called, const std::string& flow, std::string_view mode) {
    return nlohmann::json{{"calledNumber", called}, {"flow", flow}, {"mode", mode}}.dump();
}

}  // namespace crossvoice::services
