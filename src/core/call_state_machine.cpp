#include "core/call_state_machine.hpp"

#include <algorithm>

namespace crossvoice::core {
namespace {

bool equals_ignoring_case(std::string_view a, std::string_view b) {
    const auto lower = [](char ch) { return (ch >= 'A' && ch <= 'Z') ? static_cast<char>(ch - 'A' + 'a') : ch; };
    return std::equal(a.begin(), a.end(), b.begin(), b.end(),
                      [&](char left, char right) { return lower(left) == lower(right); });
}

}  // namespace

CallState map_hangup_cause(std::string_view cause, bool was_answered) {
    if (was_answered) return CallState::kCompleted;
    const auto is = [cause](std::string_view name) { return equals_ignoring_case(cause, name); };
    if (is("normal_clearing") || is("originator_cancel")) return CallState::kCanceled;
    if (is("user_busy") || is("call_rejected")) return CallState::kBusy;
    if (is("no_answer") || is("timeout") || is("time_limit")) return CallState::kNoAnswer;
    return CallState::kFailed;
}

Transition apply(CallState current, const CallEvent& event) {
    if (is_terminal(current)) return {current, false};
    CallState next = current;
    switch (event.type) {
        case CallEventType::kInitiated:
            if (current == CallState::kInitiated) next = CallState::kRinging;
            break;
        case CallEventType::kAnswered: next = CallState::kAnswered; break;
        case CallEventType::kHangup:
            next = map_hangup_cause(event.hangup_cause.value_or(""), current == CallState::kAnswered);
            break;
        default: break;
    }
    return {next, next != current};
}

}  // namespace crossvoice::core
