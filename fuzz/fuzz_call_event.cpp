// parse_call_event on arbitrary bytes (a Telnyx webhook body that passed, or would fail, the signature check),
// then the call state machine on what it parsed. Properties: a parse yields a non-empty id and event_type, and
// call.* events a non-empty call_control_id; the type agrees with the name's prefix; occurred_at formats back
// to itself; failures are bad_request, or validation naming a JSON path. For the state machine, from every
// state: `changed` tells the truth, a terminal state never changes, an answered call never goes back to
// initiated or ringing, and a hang-up always ends an open call.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "core/call.hpp"
#include "core/call_state_machine.hpp"
#include "core/time_format.hpp"
#include "fuzz_check.hpp"
#include "telnyx/call_event_parser.hpp"

namespace {

using crossvoice::core::CallEvent;
using crossvoice::core::CallEventType;
using crossvoice::core::CallState;
using crossvoice::core::ErrorCode;

void check_error(const crossvoice::core::Error& error) {
    FUZZ_CHECK(error.code == ErrorCode::kBadRequest || error.code == ErrorCode::kValidation);
    FUZZ_CHECK(!error.message.empty());
    if (error.code != ErrorCode::kValidation) return;
    bool named = false;
    for (const auto& [key, value] : error.details) {
        if (key != "field") continue;
        named = true;
        FUZZ_CHECK(value.starts_with("data") || value.starts_with("meta"));
        FUZZ_CHECK(error.message.find(value) != std::string::npos);
    }
    FUZZ_CHECK(named);
}

void check_event(const CallEvent& event) {
    FUZZ_CHECK(!event.id.empty());
    FUZZ_CHECK(!event.event_type.empty());
    const std::string_view name = event.event_type;
    if (name.starts_with("call.")) FUZZ_CHECK(!event.call_control_id.empty());
    FUZZ_CHECK((event.type == CallEventType::kMessage) == name.starts_with("message."));
    if (!name.starts_with("call.") && !name.starts_with("streaming.") && !name.starts_with("message.")) {
        FUZZ_CHECK(event.type == CallEventType::kUnknown);
    }
    FUZZ_CHECK(event.recording.has_value() == (event.type == CallEventType::kRecordingSaved));
    if (event.attempt) FUZZ_CHECK(*event.attempt >= 0);

    // Within the years RFC 3339 can write, formatting the parsed instant and parsing it again is lossless.
    const auto text = crossvoice::core::format_rfc3339(event.occurred_at);
    if (text.size() == 24 && text[0] >= '0' && text[0] <= '9') {
        const auto again = crossvoice::core::parse_rfc3339(text);
        FUZZ_CHECK(again.has_value() && *again == event.occurred_at);
    }
}

void check_transitions(const CallEvent& event) {
    for (const auto state : crossvoice::core::kAllCallStates) {
        const auto step = crossvoice::core::apply(state, event);
        FUZZ_CHECK(step.changed == (step.next != state));
        if (crossvoice::core::is_terminal(state)) {
            FUZZ_CHECK(step.next == state);
            continue;
        }
        if (state == CallState::kAnswered) {
            FUZZ_CHECK(step.next != CallState::kInitiated && step.next != CallState::kRinging);
        }
        if (event.type == CallEventType::kHangup) FUZZ_CHECK(crossvoice::core::is_terminal(step.next));
        if (event.type != CallEventType::kInitiated && event.type != CallEventType::kAnswered &&
            event.type != CallEventType::kHangup) {
            FUZZ_CHECK(!step.changed);
        }
        // Whatever comes next, a call this event ended stays ended.
        if (crossvoice::core::is_terminal(step.next)) {
            FUZZ_CHECK(crossvoice::core::apply(step.next, event).next == step.next);
        }
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    const std::string_view body(reinterpret_cast<const char*>(data), size);
    const auto parsed = crossvoice::telnyx::parse_call_event(body);
    if (!parsed) {
        check_error(parsed.error());
        return 0;
    }
    check_event(parsed.value());
    check_transitions(parsed.value());
    return 0;
}
