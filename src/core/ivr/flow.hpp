#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "core/platform.hpp"

// An IVR flow: a named graph of nodes a platform runs on its called numbers. The model is what flow files
// (config/flows/*.yaml) and the flows API describe; the engine (engine.hpp) walks it and the validator
// (flow_validator.hpp) proves it sound before it is used. Node ids are unique within a flow; every `next`,
// `fallback` and option target names a node of the same flow (`redirect` names another flow of the platform).
// `line` fields carry the source line for error messages (0 when the flow did not come from a file).
namespace crossvoice::core::ivr {

struct SayNode {
    std::string text;
    std::string next;
};

struct PlayNode {
    std::string url;  // MP3 or WAV the carrier fetches
    std::string next;
};

struct MenuOption {
    std::string digit;                  // "0".."9", "*" or "#"; empty for a speech-only option
    std::vector<std::string> phrases;   // what a caller says for this option ("billing")
    std::vector<std::string> synonyms;  // other ways of saying it ("invoice", "my bill")
    std::string next;
    int line = 0;
};

// A prompt and a choice. No input or an unmatched answer replays the prompt (prefixed by the matching
// re-prompt) up to `max_retries` more times, then goes to `fallback`.
struct MenuNode {
    std::string prompt;
    bool keypad = true;
    bool speech = false;
    std::vector<MenuOption> options;
    int timeout_secs = 5;
    int max_retries = 2;
    std::string no_input_prompt = "Sorry, I did not hear anything.";
    std::string invalid_prompt = "Sorry, that is not one of the choices.";
    std::string fallback;
};

enum class DigitCheck { kNone, kLuhn };

// Digits into a named variable, checked for length, an optional regular expression and an optional checksum.
struct CollectNode {
    std::string prompt;
    std::string variable;
    int min_digits = 1;
    int max_digits = 10;
    std::string finish_on_key = "#";
    std::string pattern;  // ECMAScript regex the whole entry must match; empty = any digits
    DigitCheck check = DigitCheck::kNone;
    int timeout_secs = 5;
    int max_retries = 2;
    std::string invalid_prompt = "Sorry, that entry is not valid.";
    std::string next;
    std::string fallback;
};

// Voicemail: a prompt, a beep, the recording, then `next`.
struct RecordNode {
    std::string prompt;
    int max_length_secs = 120;
    int silence_timeout_secs = 5;
    bool play_beep = true;
    std::string finish_on_key = "#";
    std::string next;
};

// Rings the targets together (E.164 numbers or sip: URIs); the first to answer gets the caller. When nobody
// answers within `timeout_secs` (or all are busy or fail) the flow continues at `no_answer`.
struct TransferNode {
    std::string prompt;
    std::vector<std::string> targets;
    int timeout_secs = 30;
    std::optional<std::string> caller_id;
    bool record = false;
    std::string no_answer;
};

// Waits in a named queue for an agent; when the caller leaves without one (timeout, queue full) the flow goes
// on at `next`.
struct QueueNode {
    std::string prompt;
    std::string queue;
    int max_wait_secs = 300;
    std::string wait_url;  // hold music; empty = carrier default
    std::string next;
};

// One opening window on some days of the week, in minutes since local midnight (close > open).
struct WeeklyHours {
    unsigned days = 0;  // bit 0 = Monday ... bit 6 = Sunday
    int open_minute = 0;
    int close_minute = 0;
    int line = 0;
};

// Branches on the local time in `time_zone` (IANA name): a holiday (YYYY-MM-DD, local) goes to `holiday`
// (or `closed` when that is empty), a time inside a window to `open`, anything else to `closed`.
struct HoursNode {
    std::string time_zone;
    std::vector<WeeklyHours> hours;
    std::vector<std::string> holidays;
    std::string open;
    std::string closed;
    std::string holiday;
};

// Switches the rest of the call to another language (and optionally voice).
struct LanguageNode {
    std::string language;  // BCP-47, en-US
    std::string voice;     // empty = keep
    std::string next;
};

// Hands the caller to SHANGO: the caller speaks, SHANGO answers and the caller is asked again, until the caller
// is done (`next`), SHANGO hands off to a person (`agent`, else `next`) or to chat (`chat`, else `next`), or the
// turns run out (`next`).
struct AssistantNode {
    std::string persona;  // shango-general, shango-technical, ...
    std::string prompt;   // empty = the persona's greeting
    std::string next;
    std::string agent;  // where a hand-off to a person goes; empty = next
    std::string chat;   // where a hand-off to chat goes; empty = next
    int max_turns = 8;  // answers before the call goes on at `next`
    int timeout_secs = 6;
    int max_retries = 2;  // silences in a row before the call goes on at `next`
};

// Offers to continue by chat (SMS or WhatsApp link). Until messaging exists this says so and continues.
// Continues the call's conversation by text: a message on `channel` to the caller's number, in the same session.
struct ChatNode {
    std::string prompt;           // said to the caller once the message is on its way
    std::string channel = "sms";  // sms | whatsapp
    std::string text;             // the message; empty = a default naming the platform's chat
    std::string next;
};

// Continues in another flow of the same platform, at its start node.
struct RedirectNode {
    std::string flow;
};

struct HangupNode {
    std::string text;  // said before hanging up; may be empty
};

using NodeBody = std::variant<SayNode, PlayNode, MenuNode, CollectNode, RecordNode, TransferNode, QueueNode, HoursNode,
                              LanguageNode, AssistantNode, ChatNode, RedirectNode, HangupNode>;

// The node type names used in flow files: "say", "play", "menu", ... in NodeBody order.
std::string_view node_type_name(const NodeBody& body);
inline constexpr std::string_view kNodeTypeNames[] = {"say",      "play",     "menu",  "collect",  "record",
                                                      "transfer", "queue",    "hours", "language", "assistant",
                                                      "chat",     "redirect", "hangup"};

struct Node {
    std::string id;
    NodeBody body;
    int line = 0;
};

struct IvrFlow {
    std::string name;  // [a-z0-9_-]{1,64}
    Platform platform = Platform::kTetrix;
    std::string description;
    std::vector<std::string> numbers;  // E.164 numbers that reach this flow
    std::string start;                 // id of the first node
    std::string language = "en-US";
    std::string voice = "woman";
    std::vector<Node> nodes;
    std::string source;  // file name or "api", for messages
    int line = 0;

    const Node* find(std::string_view id) const;
};

// Every node id a node may continue to, in a stable order (for validation and drawing).
std::vector<std::string> successors(const NodeBody& body);

bool is_valid_flow_name(std::string_view name);

}  // namespace crossvoice::core::ivr
