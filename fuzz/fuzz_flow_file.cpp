// flows::YamlFlowParser on arbitrary bytes, then core::ivr::validate on every flow it accepts. Properties:
// a refusal is kValidation with at least one issue, all naming the source, on a line of the document (or 0);
// an accepted flow has no issues and keeps the parser's promises (node limit, unique well-formed ids, values
// inside their documented ranges, opening windows within one day); validation reports issues on real lines.

#include <cstddef>
#include <cstdint>
#include <set>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "core/ivr/flow_validator.hpp"
#include "flows/yaml_flow_parser.hpp"
#include "fuzz_check.hpp"

namespace {

namespace ivr = crossvoice::core::ivr;

constexpr std::string_view kSource = "fuzz.yaml";

int line_count(std::string_view text) {
    int lines = 1;
    for (char ch : text) lines += ch == '\n' || ch == '\r' ? 1 : 0;
    return lines;
}

bool is_node_id(std::string_view id) {
    if (id.empty() || id.size() > 64) return false;
    for (char ch : id) {
        const bool ok =
            (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') || ch == '_' || ch == '-';
        if (!ok) return false;
    }
    return true;
}

bool in(int value, int low, int high) { return value >= low && value <= high; }

void check_body(const ivr::NodeBody& body) {
    if (const auto* menu = std::get_if<ivr::MenuNode>(&body)) {
        FUZZ_CHECK(in(menu->timeout_secs, 1, 120));
        FUZZ_CHECK(in(menu->max_retries, 0, 10));
        FUZZ_CHECK(menu->options.size() <= 20);
        // An empty target (`next: ""`, `next: !tag`) is the validator's to report, not the parser's.
        for (const auto& option : menu->options) FUZZ_CHECK(option.line > 0);
    } else if (const auto* collect = std::get_if<ivr::CollectNode>(&body)) {
        FUZZ_CHECK(in(collect->min_digits, 1, 32) && in(collect->max_digits, 1, 32));
        FUZZ_CHECK(in(collect->timeout_secs, 1, 120));
        FUZZ_CHECK(in(collect->max_retries, 0, 10));
    } else if (const auto* transfer = std::get_if<ivr::TransferNode>(&body)) {
        FUZZ_CHECK(in(transfer->timeout_secs, 5, 120));
        FUZZ_CHECK(transfer->targets.size() <= 10);
    } else if (const auto* record = std::get_if<ivr::RecordNode>(&body)) {
        FUZZ_CHECK(in(record->max_length_secs, 1, 3600) && in(record->silence_timeout_secs, 1, 120));
    } else if (const auto* queue = std::get_if<ivr::QueueNode>(&body)) {
        FUZZ_CHECK(in(queue->max_wait_secs, 1, 7200));
    } else if (const auto* hours = std::get_if<ivr::HoursNode>(&body)) {
        for (const auto& window : hours->hours) {
            FUZZ_CHECK(window.days != 0 && window.days <= 0x7Fu);
            FUZZ_CHECK(0 <= window.open_minute && window.open_minute < window.close_minute &&
                       window.close_minute <= 24 * 60);
            FUZZ_CHECK(window.line > 0);
        }
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    const int lines = line_count(text);
    std::vector<ivr::FlowIssue> issues;
    auto flow = crossvoice::flows::YamlFlowParser{}.parse(text, kSource, issues);
    if (!flow) {
        FUZZ_CHECK(flow.error().code == crossvoice::core::ErrorCode::kValidation);
        FUZZ_CHECK(!issues.empty());
        FUZZ_CHECK(issues.size() <= crossvoice::flows::YamlFlowParser::kMaxIssues + 1);
        for (const auto& issue : issues) {
            FUZZ_CHECK(issue.source == kSource);
            FUZZ_CHECK(!issue.message.empty());
            FUZZ_CHECK(issue.line >= 0 && issue.line <= lines);
        }
        return 0;
    }

    FUZZ_CHECK(issues.empty());
    FUZZ_CHECK(flow->source == kSource);
    FUZZ_CHECK(flow->nodes.size() <= crossvoice::flows::YamlFlowParser::kMaxNodes);
    FUZZ_CHECK(flow->line > 0 && flow->line <= lines);
    std::set<std::string> ids;
    for (const auto& node : flow->nodes) {
        FUZZ_CHECK(is_node_id(node.id));
        FUZZ_CHECK(ids.insert(node.id).second);
        FUZZ_CHECK(node.line > 0 && node.line <= lines);
        check_body(node.body);
    }
    FUZZ_CHECK(flow->nodes.empty() || !flow->start.empty());

    ivr::FlowContext context;
    context.flow_exists = [](std::string_view name) { return name == "other"; };
    context.zone_exists = [](std::string_view zone) { return zone == "UTC" || zone == "America/New_York"; };
    for (const auto& issue : ivr::validate(*flow, context)) {
        FUZZ_CHECK(issue.source == kSource);
        FUZZ_CHECK(!issue.message.empty());
        FUZZ_CHECK(issue.line >= 0 && issue.line <= lines);
    }
    return 0;
}
