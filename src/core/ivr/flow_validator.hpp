#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "core/ivr/flow.hpp"

namespace crossvoice::core::ivr {

// One problem in a flow, located: "config/flows/retail.yaml:42: menu 'main': digit 2 is used twice".
struct FlowIssue {
    std::string source;
    int line = 0;
    std::string message;
};

std::string to_string(const FlowIssue& issue);

struct FlowContext {
    // Whether a flow of the same platform with this name exists (for redirect targets). Unset: not checked.
    std::function<bool(std::string_view flow)> flow_exists;
    // Whether an IANA time zone exists. Unset: not checked.
    std::function<bool(std::string_view zone)> zone_exists;
};

// Everything that would make the flow misbehave on a live call, all reported at once: a missing start node,
// duplicate node ids, targets that name no node, unreachable nodes, option digits used twice, menus without
// options, speech options without phrases, bad digits, collect length and pattern errors, transfers with no
// or malformed targets, bad hours and holidays, unknown time zones and redirect flows, numbers not in E.164,
// and loops: a cycle the caller can never leave, or one that never waits for the caller (it would spin).
std::vector<FlowIssue> validate(const IvrFlow& flow, const FlowContext& context = {});

}  // namespace crossvoice::core::ivr
