#pragma once

#include <string_view>
#include <vector>

#include "core/ivr/flow.hpp"
#include "core/ivr/flow_validator.hpp"
#include "core/result.hpp"

namespace crossvoice::core::ports {

// Reads a flow document (YAML; JSON is accepted as the YAML subset it is) into the model, with line numbers.
// Shape errors (not a mapping, unknown node type, missing or mistyped field) come back as FlowIssues naming
// the source, line and problem; graph soundness is the validator's job, run afterwards. Thread-safe.
class FlowParser {
  public:
    virtual ~FlowParser() = default;
    // `source` names the document in messages ("config/flows/tetrix-main.yaml" or "api").
    virtual Result<ivr::IvrFlow> parse(std::string_view text, std::string_view source,
                                       std::vector<ivr::FlowIssue>& issues) const = 0;
};

}  // namespace crossvoice::core::ports
