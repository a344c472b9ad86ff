#include "core/ivr/flow.hpp"

#include <algorithm>

namespace crossvoice::core::ivr {

std::string_view node_type_name(const NodeBody& body) { return kNodeTypeNames[body.index()]; }

const Node* IvrFlow::find(std::string_view id) const {
    const auto it = std::find_if(nodes.begin(), nodes.end(), [&](const Node& node) { return node.id == id; });
    return it == nodes.end() ? nullptr : &*it;
}

namespace {

void add(std::vector<std::string>& out, const std::string& id) {
    if (!id.empty()) out.push_back(id);
}

}  // namespace

std::vector<std::string> successors(const NodeBody& body) {
    std::vector<std::string> out;
    std::visit(
        [&](const auto& node) {
            using T = std::decay_t<decltype(node)>;
            if constexpr (std::is_same_v<T, MenuNode>) {
                for (const auto& option : node.options) add(out, option.next);
                add(out, node.fallback);
            } else if constexpr (std::is_same_v<T, CollectNode>) {
                add(out, node.next);
                add(out, node.fallback);
            } else if constexpr (std::is_same_v<T, TransferNode>) {
                add(out, node.no_answer);
            } else if constexpr (std::is_same_v<T, HoursNode>) {
                add(out, node.open);
                add(out, node.closed);
                add(out, node.holiday);
            } else if constexpr (std::is_same_v<T, AssistantNode>) {
                add(out, node.next);
                add(out, node.agent);
                add(out, node.chat);
            } else if constexpr (std::is_same_v<T, RedirectNode> || std::is_same_v<T, HangupNode>) {
                // leaves the flow (or the call)
            } else {
                add(out, node.next);
            }
        },
        body);
    return out;
}

bool is_valid_flow_name(std::string_view name) {
    if (name.empty() || name.size() > 64) return false;
    return std::all_of(name.begin(), name.end(),
                       [](char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_'; });
}

}  // namespace crossvoice::core::ivr
