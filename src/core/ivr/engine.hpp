#pragma once

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/assistant.hpp"
#include "core/clock.hpp"
#include "core/ivr/flow.hpp"
#include "core/ivr/instruction.hpp"
#include "core/ports/time_zones.hpp"
#include "core/result.hpp"

// The IVR engine: pure. Given where a call stands in its flow and what the caller just did, it returns what
// the call should do next (abstract instructions) and where it stands afterwards. It never blocks, stores or
// sends anything; the IVR use-case persists the state and a carrier adapter renders the instructions (TeXML)
// or executes them (Call Control). One engine, two renderings.
namespace crossvoice::core::ivr {

// What the engine is waiting for at `IvrState::node`.
enum class Awaiting { kNothing, kMenu, kCollect, kRecording, kDial, kQueue, kAssistant, kEnded };
std::string_view to_string(Awaiting awaiting);
std::optional<Awaiting> parse_awaiting(std::string_view text);

struct IvrState {
    std::string flow;  // the flow running now (changes on redirect)
    std::string node;  // the node waiting for input; empty before the call starts
    Awaiting awaiting = Awaiting::kNothing;
    int attempts = 0;                              // failed tries (no input, invalid) at the current node
    std::string language;                          // empty = the flow's language
    std::string voice;                             // empty = the flow's voice
    std::map<std::string, std::string> variables;  // collect results, e.g. {"account": "12345"}
    int step = 0;         // how many inputs have been applied; stale callbacks are detected by it
    std::string outcome;  // once ended: "hangup", "transferred", "voicemail", "queue", ...
    bool operator==(const IvrState&) const = default;
};

enum class InputKind {
    kStart,      // the call was answered (or the TeXML application was fetched for the first time)
    kDigits,     // keypad entry (Gather Digits / call.gather.ended)
    kSpeech,     // recognized speech (Gather SpeechResult)
    kNoInput,    // the gather timed out with nothing entered
    kRecorded,   // a Record finished (voicemail left)
    kDialEnded,  // a Dial / transfer finished; `dial_status` tells how
    kQueueLeft,  // the caller left a queue without an agent
};
std::string_view to_string(InputKind kind);

// SHANGO's answer to the caller's speech at an assistant node. The engine is pure, so the use-case asks the
// assistant before the step and hands the answer in with the speech.
struct AssistantAnswer {
    std::string text;
    Handoff handoff = Handoff::kNone;
    bool done = false;  // the caller is finished (said goodbye, or SHANGO ended the conversation)
};

struct CallerInput {
    InputKind kind = InputKind::kStart;
    std::string digits;
    std::string speech;
    double confidence = 1.0;
    std::string recording_url;
    std::string dial_status;  // TeXML DialCallStatus: completed, answered, busy, no-answer, failed, canceled
    // Speech at an assistant node: what SHANGO answered. nullopt when the assistant could not be asked; the
    // engine then apologises and goes on as for a hand-off to a person.
    std::optional<AssistantAnswer> assistant;
};

inline CallerInput input_of(InputKind kind) {
    CallerInput input;
    input.kind = kind;
    return input;
}

// One thing that happened on the way, for the timeline and the simulator: "entered", "matched", "retry",
// "no_input", "invalid", "collected", "branch", "fallback", "redirect", "ended".
struct RouteNote {
    std::string flow;
    std::string node;
    std::string what;
    std::string detail;
};

struct StepResult {
    IvrState state;
    std::vector<Instruction> instructions;
    std::vector<RouteNote> notes;
    bool ended = false;  // the flow is over (the instructions end the call or leave it connected elsewhere)
};

struct StepContext {
    TimePoint now{};
    const ports::TimeZones* zones = nullptr;  // needed only by hours nodes
    // Another flow of the same platform by name (redirect); nullptr when it does not exist.
    std::function<const IvrFlow*(std::string_view name)> find_flow;
    // The greeting of a platform persona, for an assistant node without a prompt; unset or empty = a generic one.
    std::function<std::string(std::string_view persona)> assistant_greeting;
    // Sends the caller a text message (a chat node) on `channel` ("sms" | "whatsapp") that continues the call's
    // session; false when it cannot (no messaging, no number to write to). Unset = chat is not available.
    std::function<bool(std::string_view channel, std::string_view text)> continue_by_chat;
};

// Nodes the engine will pass through in one step before it decides the flow spins (validated flows never do).
inline constexpr int kMaxNodesPerStep = 64;

// The first step of a call in `flow`.
IvrState initial_state(const IvrFlow& flow);

// Applies `input` to `state` (whose flow is `flow`). kConflict when the input does not fit what the state is
// waiting for (digits after the call ended); kValidation when the flow is broken at run time (a target that
// does not exist, a redirect loop, an unknown time zone): the use-case ends the call politely then.
Result<StepResult> step(const IvrFlow& flow, const IvrState& state, const CallerInput& input,
                        const StepContext& context);

// Which menu option a spoken answer picks: normalized phrase or synonym, a spoken digit ("two", "option 2"),
// or a close spelling (edit distance). nullopt when nothing is close enough or two options tie.
std::optional<std::size_t> match_speech(const MenuNode& menu, std::string_view speech);

bool luhn_valid(std::string_view digits);

}  // namespace crossvoice::core::ivr
