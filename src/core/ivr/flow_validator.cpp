#include "core/ivr/flow_validator.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <functional>
#include <map>
#include <regex>
#include <set>

#include "core/e164.hpp"

namespace crossvoice::core::ivr {

std::string to_string(const FlowIssue& issue) {
    if (issue.line > 0) return fmt::format("{}:{}: {}", issue.source, issue.line, issue.message);
    return fmt::format("{}: {}", issue.source, issue.message);
}

namespace {

bool is_dtmf_key(std::string_view key) {
    return key.size() == 1 && ((key[0] >= '0' && key[0] <= '9') || key[0] == '*' || key[0] == '#');
}

bool is_sip_uri(std::string_view target) {
    if (!target.starts_with("sip:") && !target.starts_with("sips:")) return false;
    const auto rest = target.substr(target.find(':') + 1);
    const auto at = rest.find('@');
    return at != std::string_view::npos && at > 0 && at + 1 < rest.size() &&
           std::none_of(rest.begin(), rest.end(), [](char c) { return c == ' ' || c == '<' || c == '>'; });
}

bool is_language_tag(std::string_view tag) {
    static const std::regex pattern("^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$");
    return std::regex_match(tag.begin(), tag.end(), pattern);
}

bool is_identifier(std::string_view name) {
    static const std::regex pattern("^[A-Za-z_][A-Za-z0-9_]{0,63}$");
    return std::regex_match(name.begin(), name.end(), pattern);
}

bool is_calendar_date(std::string_view text) {
    static const std::regex pattern("^([0-9]{4})-([0-9]{2})-([0-9]{2})$");
    std::match_results<std::string_view::const_iterator> match;
    if (!std::regex_match(text.begin(), text.end(), match, pattern)) return false;
    const int year = std::stoi(match[1].str());
    const int month = std::stoi(match[2].str());
    const int day = std::stoi(match[3].str());
    if (month < 1 || month > 12 || day < 1) return false;
    static constexpr int kDays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    const bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    if (month == 2 && day == 29) return leap;
    return day <= kDays[month - 1];
}

// Nodes that stop and wait for the caller (or hand the call elsewhere) before the flow moves on. A cycle made
// only of the others would spin without end inside one engine step.
bool waits_for_caller(const NodeBody& body) {
    return !(std::holds_alternative<SayNode>(body) || std::holds_alternative<PlayNode>(body) ||
             std::holds_alternative<HoursNode>(body) || std::holds_alternative<LanguageNode>(body));
}

// Nodes after which the flow is over for this caller: hung up, connected to a person, or in another flow.
bool leaves_flow(const NodeBody& body) {
    return std::holds_alternative<HangupNode>(body) || std::holds_alternative<RedirectNode>(body) ||
           std::holds_alternative<TransferNode>(body) || std::holds_alternative<QueueNode>(body);
}

class Validator {
  public:
    Validator(const IvrFlow& flow, const FlowContext& context) : flow_(flow), context_(context) {}

    std::vector<FlowIssue> run() {
        check_header();
        check_ids();
        for (const auto& node : flow_.nodes) check_node(node);
        if (!flow_.start.empty() && flow_.find(flow_.start) != nullptr && duplicates_.empty()) check_graph();
        std::stable_sort(issues_.begin(), issues_.end(),
                         [](const FlowIssue& a, const FlowIssue& b) { return a.line < b.line; });
        return std::move(issues_);
    }

  private:
    template <typename... Args>
    void issue(int line, fmt::format_string<Args...> format, Args&&... args) {
        issues_.push_back({flow_.source, line, fmt::format(format, std::forward<Args>(args)...)});
    }

    void check_header() {
        if (!is_valid_flow_name(flow_.name)) {
            issue(flow_.line, "flow name '{}' must be 1-64 characters of a-z, 0-9, '-' or '_'", flow_.name);
        }
        if (flow_.nodes.empty()) issue(flow_.line, "flow '{}' has no nodes", flow_.name);
        if (flow_.start.empty()) {
            issue(flow_.line, "flow '{}' has no start node", flow_.name);
        } else if (flow_.find(flow_.start) == nullptr) {
            issue(flow_.line, "start node '{}' is not defined", flow_.start);
        }
        if (!is_language_tag(flow_.language)) issue(flow_.line, "language '{}' is not a BCP-47 tag", flow_.language);
        std::set<std::string> seen;
        for (const auto& number : flow_.numbers) {
            if (!is_e164(number)) issue(flow_.line, "number '{}' is not in E.164 form (+ and up to 15 digits)", number);
            if (!seen.insert(number).second) issue(flow_.line, "number '{}' is listed twice", number);
        }
    }

    void check_ids() {
        std::map<std::string, int> first_line;
        for (const auto& node : flow_.nodes) {
            if (node.id.empty()) {
                issue(node.line, "a node has an empty id");
                continue;
            }
            auto [it, inserted] = first_line.emplace(node.id, node.line);
            if (!inserted) {
                issue(node.line, "node id '{}' is used twice (first on line {})", node.id, it->second);
                duplicates_.insert(node.id);
            }
        }
    }

    void target(const Node& node, std::string_view field, const std::string& id, bool required, int line = 0) {
        if (line == 0) line = node.line;
        if (id.empty()) {
            if (required) issue(line, "{} '{}': '{}' is required", node_type_name(node.body), node.id, field);
            return;
        }
        if (flow_.find(id) == nullptr) {
            issue(line, "{} '{}': {} '{}' names no node of this flow", node_type_name(node.body), node.id, field, id);
        }
    }

    void range(const Node& node, std::string_view field, int value, int low, int high) {
        if (value < low || value > high) {
            issue(node.line, "{} '{}': {} {} is outside {}..{}", node_type_name(node.body), node.id, field, value, low,
                  high);
        }
    }

    void text(const Node& node, std::string_view field, const std::string& value) {
        if (value.empty())
            issue(node.line, "{} '{}': '{}' must not be empty", node_type_name(node.body), node.id, field);
    }

    void check_node(const Node& node) {
        std::visit([&](const auto& body) { check(node, body); }, node.body);
    }

    void check(const Node& node, const SayNode& say) {
        text(node, "text", say.text);
        target(node, "next", say.next, true);
    }

    void check(const Node& node, const PlayNode& play) {
        if (!play.url.starts_with("https://") && !play.url.starts_with("http://")) {
            issue(node.line, "play '{}': url '{}' must be an http(s) URL", node.id, play.url);
        }
        target(node, "next", play.next, true);
    }

    void check(const Node& node, const MenuNode& menu) {
        text(node, "prompt", menu.prompt);
        if (!menu.keypad && !menu.speech)
            issue(node.line, "menu '{}': input must allow keypad, speech or both", node.id);
        if (menu.options.empty()) issue(node.line, "menu '{}' has no options", node.id);
        range(node, "timeout", menu.timeout_secs, 1, 120);
        range(node, "retries", menu.max_retries, 0, 10);
        std::map<std::string, int> digits;
        for (const auto& option : menu.options) {
            const int line = option.line > 0 ? option.line : node.line;
            if (!option.digit.empty()) {
                if (!is_dtmf_key(option.digit)) {
                    issue(line, "menu '{}': digit '{}' is not a keypad key (0-9, * or #)", node.id, option.digit);
                } else if (auto [it, inserted] = digits.emplace(option.digit, line); !inserted) {
                    issue(line, "menu '{}': digit {} is used twice (first on line {})", node.id, option.digit,
                          it->second);
                }
                if (!menu.keypad)
                    issue(line, "menu '{}': digit {} is set but keypad input is off", node.id, option.digit);
            } else if (menu.keypad && !menu.speech) {
                issue(line, "menu '{}': an option has no digit", node.id);
            }
            if (menu.speech && option.phrases.empty()) {
                issue(line, "menu '{}': option '{}' has no phrases for speech input", node.id, option.next);
            }
            if (!menu.speech && option.digit.empty()) continue;
            target(node, "option next", option.next, true, line);
        }
        target(node, "fallback", menu.fallback, true);
    }

    void check(const Node& node, const CollectNode& collect) {
        text(node, "prompt", collect.prompt);
        if (!is_identifier(collect.variable)) {
            issue(node.line, "collect '{}': variable '{}' must be an identifier (letters, digits, '_')", node.id,
                  collect.variable);
        }
        range(node, "min_digits", collect.min_digits, 1, 32);
        range(node, "max_digits", collect.max_digits, 1, 32);
        if (collect.min_digits > collect.max_digits) {
            issue(node.line, "collect '{}': min_digits {} is more than max_digits {}", node.id, collect.min_digits,
                  collect.max_digits);
        }
        if (!collect.finish_on_key.empty() && !is_dtmf_key(collect.finish_on_key)) {
            issue(node.line, "collect '{}': finish_on_key '{}' is not a keypad key", node.id, collect.finish_on_key);
        }
        if (!collect.pattern.empty()) {
            try {
                std::regex check(collect.pattern);
            } catch (const std::regex_error& error) {
                issue(node.line, "collect '{}': pattern '{}' is not a valid regular expression ({})", node.id,
                      collect.pattern, error.what());
            }
        }
        range(node, "timeout", collect.timeout_secs, 1, 120);
        range(node, "retries", collect.max_retries, 0, 10);
        target(node, "next", collect.next, true);
        target(node, "fallback", collect.fallback, true);
    }

    void check(const Node& node, const RecordNode& record) {
        range(node, "max_length", record.max_length_secs, 1, 3600);
        range(node, "silence_timeout", record.silence_timeout_secs, 1, 120);
        target(node, "next", record.next, true);
    }

    void check(const Node& node, const TransferNode& transfer) {
        if (transfer.targets.empty()) issue(node.line, "transfer '{}' has no targets", node.id);
        for (const auto& to : transfer.targets) {
            if (!is_e164(to) && !is_sip_uri(to)) {
                issue(node.line, "transfer '{}': target '{}' is neither an E.164 number nor a sip: URI", node.id, to);
            }
        }
        if (transfer.caller_id && !is_e164(*transfer.caller_id)) {
            issue(node.line, "transfer '{}': caller_id '{}' is not an E.164 number", node.id, *transfer.caller_id);
        }
        range(node, "timeout", transfer.timeout_secs, 5, 120);
        target(node, "no_answer", transfer.no_answer, true);
    }

    void check(const Node& node, const QueueNode& queue) {
        text(node, "queue", queue.queue);
        range(node, "max_wait", queue.max_wait_secs, 1, 7200);
        target(node, "next", queue.next, true);
    }

    void check(const Node& node, const HoursNode& hours) {
        if (hours.time_zone.empty()) {
            issue(node.line, "hours '{}': 'time_zone' is required", node.id);
        } else if (context_.zone_exists && !context_.zone_exists(hours.time_zone)) {
            issue(node.line, "hours '{}': time zone '{}' is unknown (expected an IANA name like America/New_York)",
                  node.id, hours.time_zone);
        }
        if (hours.hours.empty()) issue(node.line, "hours '{}' has no opening hours", node.id);
        for (const auto& window : hours.hours) {
            const int line = window.line > 0 ? window.line : node.line;
            if ((window.days & 0x7Fu) == 0) issue(line, "hours '{}': a window names no day", node.id);
            if (window.open_minute < 0 || window.close_minute > 24 * 60 || window.open_minute >= window.close_minute) {
                issue(line, "hours '{}': a window must open before it closes, within one day", node.id);
            }
        }
        for (const auto& day : hours.holidays) {
            if (!is_calendar_date(day))
                issue(node.line, "hours '{}': holiday '{}' is not a YYYY-MM-DD date", node.id, day);
        }
        target(node, "open", hours.open, true);
        target(node, "closed", hours.closed, true);
        target(node, "holiday", hours.holiday, false);
    }

    void check(const Node& node, const LanguageNode& language) {
        if (!is_language_tag(language.language)) {
            issue(node.line, "language '{}': '{}' is not a BCP-47 tag", node.id, language.language);
        }
        target(node, "next", language.next, true);
    }

    void check(const Node& node, const AssistantNode& assistant) {
        target(node, "next", assistant.next, true);
        target(node, "agent", assistant.agent, false);
        target(node, "chat", assistant.chat, false);
    }

    void check(const Node& node, const ChatNode& chat) {
        if (chat.channel != "sms" && chat.channel != "whatsapp") {
            issue(node.line, "chat '{}': channel '{}' must be sms or whatsapp", node.id, chat.channel);
        }
        if (chat.text.size() > 1000) issue(node.line, "chat '{}': text is longer than 1000 bytes", node.id);
        target(node, "next", chat.next, true);
    }

    void check(const Node& node, const RedirectNode& redirect) {
        if (!is_valid_flow_name(redirect.flow)) {
            issue(node.line, "redirect '{}': flow '{}' is not a valid flow name", node.id, redirect.flow);
        } else if (redirect.flow == flow_.name) {
            issue(node.line, "redirect '{}' goes to its own flow; name a node instead", node.id);
        } else if (context_.flow_exists && !context_.flow_exists(redirect.flow)) {
            issue(node.line, "redirect '{}': flow '{}' does not exist for this platform", node.id, redirect.flow);
        }
    }

    void check(const Node&, const HangupNode&) {}

    void check_graph() {
        std::map<std::string, const Node*> by_id;
        for (const auto& node : flow_.nodes) by_id[node.id] = &node;
        auto next_of = [&](const Node& node) {
            std::vector<const Node*> out;
            for (const auto& id : successors(node.body)) {
                if (auto it = by_id.find(id); it != by_id.end()) out.push_back(it->second);
            }
            return out;
        };

        // Reachability from the start node.
        std::set<std::string> reached;
        std::vector<const Node*> stack{by_id.at(flow_.start)};
        while (!stack.empty()) {
            const Node* node = stack.back();
            stack.pop_back();
            if (!reached.insert(node->id).second) continue;
            for (const Node* next : next_of(*node)) stack.push_back(next);
        }
        for (const auto& node : flow_.nodes) {
            if (!reached.contains(node.id)) {
                issue(node.line, "{} '{}' is unreachable from the start node '{}'", node_type_name(node.body), node.id,
                      flow_.start);
            }
        }

        // Loops without exit: a reachable node from which no path leaves the flow (hang-up, transfer, queue,
        // redirect). Found by walking backwards from the exits.
        std::map<std::string, std::vector<const Node*>> predecessors;
        for (const auto& node : flow_.nodes) {
            for (const Node* next : next_of(node)) predecessors[next->id].push_back(&node);
        }
        std::set<std::string> can_exit;
        for (const auto& node : flow_.nodes) {
            if (leaves_flow(node.body)) stack.push_back(&node);
        }
        while (!stack.empty()) {
            const Node* node = stack.back();
            stack.pop_back();
            if (!can_exit.insert(node->id).second) continue;
            for (const Node* previous : predecessors[node->id]) stack.push_back(previous);
        }
        for (const auto& node : flow_.nodes) {
            if (reached.contains(node.id) && !can_exit.contains(node.id)) {
                issue(node.line, "{} '{}' is in a loop without exit: no path from it hangs up, transfers or redirects",
                      node_type_name(node.body), node.id);
            }
        }

        // Loops that never wait for the caller: a cycle among say/play/hours/language nodes.
        std::map<std::string, int> colour;  // 0 unvisited, 1 on the current path, 2 done
        std::vector<std::string> path;
        std::set<std::string> reported;
        std::function<void(const Node&)> visit = [&](const Node& node) {
            colour[node.id] = 1;
            path.push_back(node.id);
            for (const Node* next : next_of(node)) {
                if (waits_for_caller(next->body)) continue;
                if (colour[next->id] == 1) {
                    const auto from = std::find(path.begin(), path.end(), next->id);
                    std::string cycle;
                    for (auto it = from; it != path.end(); ++it) cycle += *it + " -> ";
                    cycle += next->id;
                    if (reported.insert(next->id).second) {
                        issue(next->line, "loop without input: {} repeats forever without waiting for the caller",
                              cycle);
                    }
                } else if (colour[next->id] == 0) {
                    visit(*next);
                }
            }
            path.pop_back();
            colour[node.id] = 2;
        };
        for (const auto& node : flow_.nodes) {
            if (!waits_for_caller(node.body) && colour[node.id] == 0) visit(node);
        }
    }

    const IvrFlow& flow_;
    const FlowContext& context_;
    std::vector<FlowIssue> issues_;
    std::set<std::string> duplicates_;
};

}  // namespace

std::vector<FlowIssue> validate(const IvrFlow& flow, const FlowContext& context) {
    return Validator(flow, context).run();
}

}  // namespace crossvoice::core::ivr
