#include "core/ivr/engine.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cstdlib>
#include <regex>

namespace crossvoice::core::ivr {

namespace {

constexpr std::array<std::string_view, 8> kAwaitingNames{"nothing", "menu",  "collect",   "recording",
                                                         "dial",    "queue", "assistant", "ended"};
constexpr std::array<std::string_view, 7> kInputNames{"start",    "digits",     "speech",    "no_input",
                                                      "recorded", "dial_ended", "queue_left"};
constexpr std::string_view kNoInputPrompt = "Sorry, I did not hear anything.";
constexpr std::string_view kAssistantGreeting = "Hi, I'm SHANGO, the virtual assistant. How can I help you?";
constexpr std::string_view kAssistantStillThere = "Are you still there? What can I help you with?";
constexpr std::string_view kAssistantFailed = "Sorry, I can't answer right now. Let me get you to someone who can.";
// Counts SHANGO's answers at the current assistant node; cleared when the node is entered.
constexpr std::string_view kAssistantTurnsVariable = "assistant_turns";
constexpr std::string_view kChatUnavailable =
    "Sorry, I can't send you a message right now, so I will take you back to the menu.";
constexpr std::string_view kChatSent = "I've sent you a text message. Reply to it to continue our conversation.";
constexpr std::string_view kChatDefaultText =
    "Hi, this is where our call left off. Reply here to continue the conversation by message.";

// Replaces {{name}} with a collected variable. Digits are spaced so that a synthesizer reads them one by one
// ("1 2 3 4", not "one thousand two hundred ...").
std::string fill(std::string_view text, const std::map<std::string, std::string>& variables) {
    std::string out;
    std::size_t at = 0;
    while (at < text.size()) {
        const auto open = text.find("{{", at);
        const auto close = open == std::string_view::npos ? open : text.find("}}", open + 2);
        if (close == std::string_view::npos) {
            out.append(text.substr(at));
            break;
        }
        out.append(text.substr(at, open - at));
        const std::string name(text.substr(open + 2, close - open - 2));
        if (auto it = variables.find(name); it != variables.end()) {
            for (std::size_t i = 0; i < it->second.size(); ++i) {
                if (i > 0) out.push_back(' ');
                out.push_back(it->second[i]);
            }
        }
        at = close + 2;
    }
    return out;
}

bool is_answered(std::string_view dial_status) { return dial_status == "completed" || dial_status == "answered"; }

// One engine step: walks nodes from a starting point until one waits for the caller or the flow ends.
class Run {
  public:
    Run(const IvrFlow& flow, const IvrState& state, const StepContext& context) : flow_(&flow), context_(context) {
        result_.state = state;
    }

    Result<StepResult> start() {
        if (result_.state.awaiting != Awaiting::kNothing || !result_.state.node.empty()) {
            return Error::conflict("the flow has already started");
        }
        result_.state.flow = flow_->name;
        return walk(flow_->start);
    }

    Result<StepResult> apply(const CallerInput& input) {
        auto& state = result_.state;
        if (state.awaiting == Awaiting::kEnded) return Error::conflict("the flow has already ended");
        if (state.awaiting == Awaiting::kNothing) return Error::conflict("the flow has not started");
        const Node* node = flow_->find(state.node);
        if (node == nullptr) {
            return Error::validation("flow",
                                     fmt::format("flow '{}' has no node '{}' any more", flow_->name, state.node));
        }
        ++state.step;
        switch (state.awaiting) {
            case Awaiting::kMenu: return on_menu(*node, std::get<MenuNode>(node->body), input);
            case Awaiting::kCollect: return on_collect(*node, std::get<CollectNode>(node->body), input);
            case Awaiting::kRecording: return on_recording(*node, std::get<RecordNode>(node->body), input);
            case Awaiting::kDial: return on_dial(*node, std::get<TransferNode>(node->body), input);
            case Awaiting::kQueue: return on_queue(*node, std::get<QueueNode>(node->body), input);
            case Awaiting::kAssistant: return on_assistant(*node, std::get<AssistantNode>(node->body), input);
            case Awaiting::kNothing:
            case Awaiting::kEnded: break;
        }
        return Error::conflict("the flow is not waiting for input");
    }

  private:
    Error unexpected(const Node& node, const CallerInput& input) {
        return Error::conflict(
            fmt::format("{} '{}' does not take {} input", node_type_name(node.body), node.id, to_string(input.kind)));
    }

    void note(const std::string& node, std::string what, std::string detail = {}) {
        result_.notes.push_back({flow_->name, node, std::move(what), std::move(detail)});
    }

    std::string language() const { return result_.state.language.empty() ? flow_->language : result_.state.language; }
    std::string voice() const { return result_.state.voice.empty() ? flow_->voice : result_.state.voice; }

    Say say(std::string_view text) const {
        Say out;
        out.text = fill(text, result_.state.variables);
        out.voice = voice();
        out.language = language();
        return out;
    }

    void emit(Instruction instruction) { result_.instructions.push_back(std::move(instruction)); }

    void wait(const Node& node, Awaiting awaiting) {
        result_.state.node = node.id;
        result_.state.awaiting = awaiting;
    }

    StepResult finish(std::string outcome) {
        result_.state.awaiting = Awaiting::kEnded;
        result_.state.outcome = std::move(outcome);
        result_.ended = true;
        note(result_.state.node, "ended", result_.state.outcome);
        return std::move(result_);
    }

    // --- walking -------------------------------------------------------------------------------------------

    Result<StepResult> walk(std::string id) {
        result_.state.attempts = 0;
        result_.state.awaiting = Awaiting::kNothing;
        for (int hops = 0; hops < kMaxNodesPerStep; ++hops) {
            const Node* node = flow_->find(id);
            if (node == nullptr) {
                return Error::validation("flow", fmt::format("flow '{}' has no node '{}'", flow_->name, id));
            }
            result_.state.node = node->id;
            note(node->id, "entered", std::string(node_type_name(node->body)));
            auto next = std::visit([&](const auto& body) { return enter(*node, body); }, node->body);
            if (!next) return std::move(next).error();
            if (result_.ended || result_.state.awaiting != Awaiting::kNothing) return std::move(result_);
            id = std::move(*next);
        }
        return Error::validation("flow", fmt::format("flow '{}' passed {} nodes without waiting for the caller",
                                                     flow_->name, kMaxNodesPerStep));
    }

    // Each enter() emits the node's instructions and returns the next node id, or sets `awaiting`/`ended`.
    using Next = Result<std::string>;

    Next enter(const Node&, const SayNode& node) {
        emit(say(node.text));
        return node.next;
    }

    Next enter(const Node&, const PlayNode& node) {
        emit(Play{node.url, std::nullopt, std::nullopt});
        return node.next;
    }

    Next enter(const Node& node, const MenuNode& menu) {
        emit(menu_gather(menu, {}));
        wait(node, Awaiting::kMenu);
        return std::string{};
    }

    Next enter(const Node& node, const CollectNode& collect) {
        emit(collect_gather(collect, {}));
        wait(node, Awaiting::kCollect);
        return std::string{};
    }

    Next enter(const Node& node, const RecordNode& record) {
        if (!record.prompt.empty()) emit(say(record.prompt));
        Record out;
        out.max_length = record.max_length_secs;
        out.timeout = record.silence_timeout_secs;
        out.play_beep = record.play_beep;
        if (!record.finish_on_key.empty()) out.finish_on_key = record.finish_on_key;
        emit(std::move(out));
        wait(node, Awaiting::kRecording);
        return std::string{};
    }

    Next enter(const Node& node, const TransferNode& transfer) {
        if (!transfer.prompt.empty()) emit(say(transfer.prompt));
        Dial dial;
        dial.timeout = transfer.timeout_secs;
        dial.caller_id = transfer.caller_id;
        if (transfer.record) dial.record = "record-from-answer";
        for (const auto& target : transfer.targets) {
            if (target.starts_with("sip:") || target.starts_with("sips:")) {
                dial.targets.emplace_back(DialSip{target, {}, {}, {}, {}});
            } else {
                dial.targets.emplace_back(DialNumber{target, {}, {}, {}, {}});
            }
        }
        emit(std::move(dial));
        wait(node, Awaiting::kDial);
        return std::string{};
    }

    Next enter(const Node& node, const QueueNode& queue) {
        if (!queue.prompt.empty()) emit(say(queue.prompt));
        Enqueue out;
        out.queue = queue.queue;
        out.max_wait_time_secs = queue.max_wait_secs;
        if (!queue.wait_url.empty()) out.wait_url = queue.wait_url;
        emit(std::move(out));
        wait(node, Awaiting::kQueue);
        return std::string{};
    }

    Next enter(const Node& node, const HoursNode& hours) {
        if (context_.zones == nullptr) return Error::internal("no time zone database for hours nodes");
        auto local = context_.zones->local_time(context_.now, hours.time_zone);
        if (!local) return std::move(local).error();
        const std::string today = fmt::format("{:04}-{:02}-{:02}", local->year, local->month, local->day);
        if (std::find(hours.holidays.begin(), hours.holidays.end(), today) != hours.holidays.end()) {
            note(node.id, "branch", "holiday " + today);
            return hours.holiday.empty() ? hours.closed : hours.holiday;
        }
        for (const auto& window : hours.hours) {
            const bool day = (window.days >> local->weekday & 1u) != 0;
            if (day && local->minute_of_day >= window.open_minute && local->minute_of_day < window.close_minute) {
                note(node.id, "branch", "open");
                return hours.open;
            }
        }
        note(node.id, "branch", "closed");
        return hours.closed;
    }

    Next enter(const Node& node, const LanguageNode& language) {
        result_.state.language = language.language;
        if (!language.voice.empty()) result_.state.voice = language.voice;
        note(node.id, "language", language.language);
        return language.next;
    }

    Next enter(const Node& node, const AssistantNode& assistant) {
        std::string greeting = assistant.prompt;
        if (greeting.empty() && context_.assistant_greeting) greeting = context_.assistant_greeting(assistant.persona);
        if (greeting.empty()) greeting = kAssistantGreeting;
        result_.state.variables.erase(std::string(kAssistantTurnsVariable));
        note(node.id, "assistant", assistant.persona);
        emit(assistant_gather(assistant, greeting));
        wait(node, Awaiting::kAssistant);
        return std::string{};
    }

    Next enter(const Node& node, const ChatNode& chat) {
        const std::string text = chat.text.empty() ? std::string(kChatDefaultText) : chat.text;
        if (context_.continue_by_chat && context_.continue_by_chat(chat.channel, text)) {
            emit(say(chat.prompt.empty() ? std::string(kChatSent) : chat.prompt));
            note(node.id, "sent", chat.channel);
            return chat.next;
        }
        emit(say(kChatUnavailable));
        note(node.id, "unavailable", "chat");
        return chat.next;
    }

    Next enter(const Node& node, const RedirectNode& redirect) {
        const IvrFlow* target = context_.find_flow ? context_.find_flow(redirect.flow) : nullptr;
        if (target == nullptr) {
            return Error::validation("flow",
                                     fmt::format("redirect '{}': flow '{}' does not exist", node.id, redirect.flow));
        }
        note(node.id, "redirect", redirect.flow);
        flow_ = target;
        result_.state.flow = target->name;
        return target->start;
    }

    Next enter(const Node&, const HangupNode& hangup) {
        if (!hangup.text.empty()) emit(say(hangup.text));
        emit(Hangup{});
        result_.state.awaiting = Awaiting::kEnded;
        result_.state.outcome = "hangup";
        result_.ended = true;
        note(result_.state.node, "ended", "hangup");
        return std::string{};
    }

    // --- gathers -------------------------------------------------------------------------------------------

    Gather menu_gather(const MenuNode& menu, std::string_view lead) const {
        Gather gather;
        gather.input = menu.keypad && menu.speech ? "dtmf speech" : (menu.speech ? "speech" : "dtmf");
        gather.timeout = menu.timeout_secs;
        gather.language = language();
        if (menu.keypad) gather.num_digits = 1;
        if (menu.speech) {
            std::string hints;
            for (const auto& option : menu.options) {
                for (const auto* list : {&option.phrases, &option.synonyms}) {
                    for (const auto& phrase : *list) {
                        if (!hints.empty()) hints += ", ";
                        hints += phrase;
                    }
                }
            }
            if (!hints.empty()) gather.hints = std::move(hints);
            gather.speech_timeout = "auto";
        }
        if (!lead.empty()) gather.prompts.emplace_back(say(lead));
        gather.prompts.emplace_back(say(menu.prompt));
        return gather;
    }

    // SHANGO listens for speech; any key leaves it for `next` (the menu). The prompt (its answer or greeting) is
    // spoken inside the gather so the caller can interrupt it.
    Gather assistant_gather(const AssistantNode& assistant, std::string_view prompt) const {
        Gather gather;
        gather.input = "dtmf speech";
        gather.num_digits = 1;
        gather.timeout = assistant.timeout_secs;
        gather.language = language();
        gather.speech_timeout = "auto";
        gather.prompts.emplace_back(say(prompt));
        return gather;
    }

    Gather collect_gather(const CollectNode& collect, std::string_view lead) const {
        Gather gather;
        gather.input = "dtmf";
        gather.timeout = collect.timeout_secs;
        gather.language = language();
        if (collect.min_digits == collect.max_digits) {
            gather.num_digits = collect.max_digits;
        } else {
            gather.min_digits = collect.min_digits;
            gather.max_digits = collect.max_digits;
        }
        if (!collect.finish_on_key.empty()) gather.finish_on_key = collect.finish_on_key;
        if (!lead.empty()) gather.prompts.emplace_back(say(lead));
        gather.prompts.emplace_back(say(collect.prompt));
        return gather;
    }

    // --- input ---------------------------------------------------------------------------------------------

    // A failed try at a menu or collect: ask again, or give up to the fallback.
    template <typename Ask>
    Result<StepResult> retry(const Node& node, int max_retries, const std::string& fallback, std::string_view why,
                             std::string_view lead, Ask ask) {
        auto& state = result_.state;
        ++state.attempts;
        note(node.id, std::string(why), fmt::format("attempt {} of {}", state.attempts, max_retries + 1));
        if (state.attempts > max_retries) {
            note(node.id, "fallback", fallback);
            return walk(fallback);
        }
        emit(ask(lead));
        return std::move(result_);
    }

    Result<StepResult> on_menu(const Node& node, const MenuNode& menu, const CallerInput& input) {
        auto ask = [&](std::string_view lead) { return menu_gather(menu, lead); };
        // An index rather than std::optional: GCC 12 at -O3 misreads the optional as maybe-uninitialized.
        constexpr std::size_t kNone = static_cast<std::size_t>(-1);
        std::size_t chosen = kNone;
        switch (input.kind) {
            case InputKind::kNoInput:
                return retry(node, menu.max_retries, menu.fallback, "no_input", menu.no_input_prompt, ask);
            case InputKind::kDigits: {
                if (input.digits.empty()) {
                    return retry(node, menu.max_retries, menu.fallback, "no_input", menu.no_input_prompt, ask);
                }
                std::string digits = input.digits;
                if (digits.size() > 1 && digits.back() == '#') digits.pop_back();
                for (std::size_t i = 0; i < menu.options.size(); ++i) {
                    if (!menu.options[i].digit.empty() && menu.options[i].digit == digits) chosen = i;
                }
                if (!menu.keypad) chosen = kNone;
                break;
            }
            case InputKind::kSpeech:
                if (input.speech.empty()) {
                    return retry(node, menu.max_retries, menu.fallback, "no_input", menu.no_input_prompt, ask);
                }
                if (menu.speech) chosen = match_speech(menu, input.speech).value_or(kNone);
                break;
            default: return unexpected(node, input);
        }
        const std::string heard = input.kind == InputKind::kDigits ? input.digits : input.speech;
        if (chosen == kNone) return retry(node, menu.max_retries, menu.fallback, "invalid", menu.invalid_prompt, ask);
        const auto& option = menu.options[chosen];
        note(node.id, "matched",
             fmt::format("{} '{}' -> {}", input.kind == InputKind::kDigits ? "pressed" : "said", heard, option.next));
        return walk(option.next);
    }

    Result<StepResult> on_collect(const Node& node, const CollectNode& collect, const CallerInput& input) {
        auto ask = [&](std::string_view lead) { return collect_gather(collect, lead); };
        if (input.kind == InputKind::kNoInput || (input.kind == InputKind::kDigits && input.digits.empty())) {
            return retry(node, collect.max_retries, collect.fallback, "no_input", kNoInputPrompt, ask);
        }
        if (input.kind != InputKind::kDigits) return unexpected(node, input);
        std::string digits = input.digits;
        if (!collect.finish_on_key.empty() && !digits.empty() && digits.back() == collect.finish_on_key[0]) {
            digits.pop_back();
        }
        const bool only_digits =
            !digits.empty() && std::all_of(digits.begin(), digits.end(), [](char c) { return c >= '0' && c <= '9'; });
        const auto length = static_cast<int>(digits.size());
        bool valid = only_digits && length >= collect.min_digits && length <= collect.max_digits;
        if (valid && !collect.pattern.empty()) {
            try {
                valid = std::regex_match(digits, std::regex(collect.pattern));
            } catch (const std::regex_error&) {
                return Error::validation("flow", fmt::format("collect '{}': pattern does not compile", node.id));
            }
        }
        if (valid && collect.check == DigitCheck::kLuhn) valid = luhn_valid(digits);
        if (!valid) return retry(node, collect.max_retries, collect.fallback, "invalid", collect.invalid_prompt, ask);
        result_.state.variables[collect.variable] = digits;
        note(node.id, "collected", fmt::format("{} ({} digits)", collect.variable, digits.size()));
        return walk(collect.next);
    }

    Result<StepResult> on_recording(const Node& node, const RecordNode& record, const CallerInput& input) {
        if (input.kind != InputKind::kRecorded && input.kind != InputKind::kNoInput) return unexpected(node, input);
        if (input.kind == InputKind::kRecorded && !input.recording_url.empty()) {
            result_.state.variables["recording_url"] = input.recording_url;
        }
        note(node.id, input.kind == InputKind::kRecorded ? "recorded" : "no_input");
        return walk(record.next);
    }

    Result<StepResult> on_dial(const Node& node, const TransferNode& transfer, const CallerInput& input) {
        if (input.kind != InputKind::kDialEnded) return unexpected(node, input);
        if (is_answered(input.dial_status)) {
            note(node.id, "connected", input.dial_status);
            emit(Hangup{});
            return finish("transferred");
        }
        note(node.id, "no_answer", input.dial_status.empty() ? "failed" : input.dial_status);
        return walk(transfer.no_answer);
    }

    Result<StepResult> on_assistant(const Node& node, const AssistantNode& assistant, const CallerInput& input) {
        auto ask = [&](std::string_view lead) { return assistant_gather(assistant, lead); };
        const bool silent =
            input.kind == InputKind::kNoInput || (input.kind == InputKind::kSpeech && input.speech.empty());
        if (silent) return retry(node, assistant.max_retries, assistant.next, "no_input", kAssistantStillThere, ask);
        if (input.kind == InputKind::kDigits) {
            note(node.id, "left", "pressed " + input.digits);
            return walk(assistant.next);
        }
        if (input.kind != InputKind::kSpeech) return unexpected(node, input);
        auto& state = result_.state;
        state.attempts = 0;
        if (!input.assistant) {
            note(node.id, "handoff", "agent (assistant unavailable)");
            emit(say(kAssistantFailed));
            return walk(assistant.agent.empty() ? assistant.next : assistant.agent);
        }
        const auto& answer = *input.assistant;
        if (!answer.text.empty() && (answer.done || answer.handoff != Handoff::kNone)) emit(say(answer.text));
        if (answer.handoff == Handoff::kAgent) {
            note(node.id, "handoff", "agent");
            return walk(assistant.agent.empty() ? assistant.next : assistant.agent);
        }
        if (answer.handoff == Handoff::kChat) {
            note(node.id, "handoff", "chat");
            return walk(assistant.chat.empty() ? assistant.next : assistant.chat);
        }
        if (answer.done) {
            note(node.id, "done");
            return walk(assistant.next);
        }
        const std::string key(kAssistantTurnsVariable);
        int turns = 0;
        if (auto it = state.variables.find(key); it != state.variables.end()) turns = std::atoi(it->second.c_str());
        ++turns;
        note(node.id, "answered", fmt::format("turn {} of {}", turns, assistant.max_turns));
        if (turns >= assistant.max_turns) {
            emit(say(answer.text));
            return walk(assistant.next);
        }
        state.variables[key] = std::to_string(turns);
        emit(ask(answer.text));
        return std::move(result_);
    }

    Result<StepResult> on_queue(const Node& node, const QueueNode& queue, const CallerInput& input) {
        if (input.kind != InputKind::kQueueLeft && input.kind != InputKind::kDialEnded) return unexpected(node, input);
        if (input.dial_status == "bridged" || is_answered(input.dial_status)) {
            note(node.id, "connected", "queue " + queue.queue);
            emit(Hangup{});
            return finish("queued");
        }
        note(node.id, "left_queue", input.dial_status.empty() ? "timeout" : input.dial_status);
        return walk(queue.next);
    }

    const IvrFlow* flow_;
    const StepContext& context_;
    StepResult result_;
};

}  // namespace

std::string_view to_string(Awaiting awaiting) { return kAwaitingNames[static_cast<std::size_t>(awaiting)]; }

std::optional<Awaiting> parse_awaiting(std::string_view text) {
    for (std::size_t i = 0; i < kAwaitingNames.size(); ++i) {
        if (kAwaitingNames[i] == text) return static_cast<Awaiting>(i);
    }
    return std::nullopt;
}

std::string_view to_string(InputKind kind) { return kInputNames[static_cast<std::size_t>(kind)]; }

IvrState initial_state(const IvrFlow& flow) {
    IvrState state;
    state.flow = flow.name;
    return state;
}

Result<StepResult> step(const IvrFlow& flow, const IvrState& state, const CallerInput& input,
                        const StepContext& context) {
    Run run(flow, state, context);
    if (input.kind == InputKind::kStart) return run.start();
    return run.apply(input);
}

}  // namespace crossvoice::core::ivr
