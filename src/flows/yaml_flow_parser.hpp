#pragma once

#include <cstddef>
#include <string_view>
#include <vector>

#include "core/ivr/flow.hpp"
#include "core/ivr/flow_validator.hpp"
#include "core/ports/flow_parser.hpp"
#include "core/result.hpp"

namespace crossvoice::flows {

// core::ports::FlowParser for flow files (config/flows/*.yaml) and flow bodies of the API: one YAML document
// (JSON is read as the YAML it is) in the schema of docs/FLOWS.md, read with yaml-cpp.
//
// Every shape problem of the document is reported, not only the first: a YAML syntax error, a document that
// is not a mapping, an unknown node type, a missing, empty, mistyped or unknown field (typos never pass
// silently), a bad platform, time of day, day name or number out of range. Each is a FlowIssue naming the
// source and the 1-based line; parse() appends them to `issues` and then returns kValidation. Graph soundness
// (targets, reachability, duplicate digits, loops) is core::ivr::validate()'s job, run on the result.
//
// Limits: a document over kMaxDocumentBytes or a flow over kMaxNodes nodes is refused, and YAML aliases may
// not expand the document beyond kMaxExpandedBytes. Never throws; stateless, so thread-safe.
class YamlFlowParser final : public core::ports::FlowParser {
  public:
    static constexpr std::size_t kMaxDocumentBytes = 256 * 1024;
    static constexpr std::size_t kMaxNodes = 500;
    static constexpr std::size_t kMaxExpandedBytes = 4 * 1024 * 1024;
    // After this many issues the parser stops and says so.
    static constexpr std::size_t kMaxIssues = 100;

    core::Result<core::ivr::IvrFlow> parse(std::string_view text, std::string_view source,
                                           std::vector<core::ivr::FlowIssue>& issues) const override;
};

}  // namespace crossvoice::flows
