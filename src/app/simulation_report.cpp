#include "app/simulation_report.hpp"

#include <fmt/format.h>

#include <string_view>

namespace crossvoice::app {
namespace {

using nlohmann::json;

std::string text_of(const json& object, const char* key, std::string_view fallback = "?") {
    if (!object.is_object()) return std::string(fallback);
    const auto it = object.find(key);
    if (it == object.end() || !it->is_string()) return std::string(fallback);
    return it->get<std::string>();
}

long long number_of(const json& object, const char* key, long long fallback = 0) {
    if (!object.is_object()) return fallback;
    const auto it = object.find(key);
    if (it == object.end() || !it->is_number_integer()) return fallback;
    return it->get<long long>();
}

bool flag_of(const json& object, const char* key, bool fallback) {
    if (!object.is_object()) return fallback;
    const auto it = object.find(key);
    if (it == object.end() || !it->is_boolean()) return fallback;
    return it->get<bool>();
}

// Quoted for the reader; control characters (a newline in a prompt) become spaces so each step stays one line.
std::string in_quotes(std::string_view text) {
    std::string out = "\"";
    for (const char ch : text) out += (static_cast<unsigned char>(ch) < 0x20) ? ' ' : ch;
    return out + "\"";
}

void line(std::string& out, std::string_view label, std::string_view text) {
    out += fmt::format("  {:<8} {}\n", label, text);
}

std::string dial_words(std::string_view result) {
    if (result == "no-answer") return "no answer";
    return std::string(result);
}

void describe_step(std::string& out, const json& step) {
    const auto kind = text_of(step, "kind", "");
    if (kind == "say") {
        const auto loop = number_of(step, "loop", 1);
        auto text = in_quotes(text_of(step, "text", ""));
        if (loop > 1) text += fmt::format(" (x{})", loop);
        if (loop == 0) text += " (repeated)";
        line(out, "heard", text);
    } else if (kind == "play") {
        if (step.contains("digits")) {
            line(out, "heard", "the tones " + text_of(step, "digits"));
        } else {
            line(out, "heard", "audio " + text_of(step, "url"));
        }
    } else if (kind == "pause") {
        line(out, "waited", fmt::format("{} s", number_of(step, "seconds")));
    } else if (kind == "press") {
        line(out, "pressed", text_of(step, "digits"));
    } else if (kind == "speak") {
        auto text = in_quotes(text_of(step, "text", ""));
        if (!flag_of(step, "heard", true)) text += " (not heard)";
        line(out, "said", text);
    } else if (kind == "no_input") {
        line(out, "no input", text_of(step, "reason", ""));
    } else if (kind == "record") {
        const auto what = step.contains("text") ? in_quotes(text_of(step, "text", "")) : std::string("nothing");
        line(out, "recorded", fmt::format("{} ({} s) {}", what, number_of(step, "durationSecs"), text_of(step, "url")));
    } else if (kind == "dial") {
        const auto& targets = step.contains("targets") ? step["targets"] : json::array();
        for (const auto& target : targets) {
            line(out, "dialed",
                 fmt::format("{} -> {}", text_of(target, "target"), dial_words(text_of(target, "result"))));
        }
    } else if (kind == "enqueue") {
        line(out, "queued",
             fmt::format("in {} -> an agent answered after {} s", text_of(step, "queue"), number_of(step, "waitSecs")));
    } else if (kind == "refer") {
        std::string targets;
        for (const auto& target : step.value("targets", json::array())) {
            if (!targets.empty()) targets += ", ";
            targets += target.is_string() ? target.get<std::string>() : "?";
        }
        line(out, "referred", targets);
    } else if (kind == "leave") {
        line(out, "left", "the queue");
    } else if (kind == "reject") {
        line(out, "rejected", "reason: " + text_of(step, "reason"));
    } else if (kind == "hangup" && text_of(step, "by", "") == "caller") {
        line(out, "hung up", "(the caller)");
    } else if (kind == "error") {
        line(out, "error", text_of(step, "text"));
    }
    // fetch, redirect, gather, callback, start, stop and the application's hangup: machinery, not conversation.
}

std::string ending(const json& reply) {
    const auto outcome = text_of(reply, "outcome");
    const auto seconds = number_of(reply, "durationSecs");
    if (outcome == "hangup") return fmt::format("Ended: the application hung up after {} s", seconds);
    if (outcome == "transferred") {
        return fmt::format("Ended: transferred to {} after {} s", text_of(reply, "connectedTo"), seconds);
    }
    if (outcome == "queued") {
        return fmt::format("Ended: queued in {} and answered by an agent after {} s", text_of(reply, "connectedTo"),
                           seconds);
    }
    if (outcome == "rejected") return "Ended: rejected, never answered";
    if (outcome == "caller_hung_up") {
        return fmt::format("Ended: the caller hung up after {} s (the script had run out)", seconds);
    }
    if (outcome == "error") return fmt::format("Ended: failed after {} s: {}", seconds, text_of(reply, "error"));
    return fmt::format("Ended: {} after {} s", outcome, seconds);
}

}  // namespace

std::string format_simulation(const json& reply) {
    std::string out = "Calling " + text_of(reply, "to");
    if (reply.is_object() && reply.contains("platform")) {
        out += reply["platform"].is_string() ? " (" + reply["platform"].get<std::string>() + ")" : " (no platform)";
    }
    out += " from " + text_of(reply, "from") + "\n";
    if (reply.is_object() && reply.contains("steps") && reply["steps"].is_array()) {
        for (const auto& step : reply["steps"]) describe_step(out, step);
    }
    out += ending(reply) + "\n";
    if (const auto unused = number_of(reply, "unusedActions"); unused > 0) {
        out += fmt::format("({} scripted action{} not used)\n", unused, unused == 1 ? " was" : "s were");
    }
    return out;
}

}  // namespace crossvoice::app
