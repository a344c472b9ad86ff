#pragma once

#include <string_view>
#include <vector>

#include "core/assistant.hpp"
#include "core/result.hpp"

namespace crossvoice::assistant {

// A platform's SHANGO personas from YAML (config/assistant/<platform>.yaml):
//   personas:
//     - {id: shango-billing, name: SHANGO Billing, greeting: "...", tone: "...", scope: "...", topics: [bill, ...]}
// kValidation naming `source` and the line for YAML errors, a missing field, a field of the wrong shape or an
// unknown field. Which personas must exist is checked by the catalog, not here.
core::Result<std::vector<core::Persona>> parse_personas(std::string_view yaml, std::string_view source);

}  // namespace crossvoice::assistant
