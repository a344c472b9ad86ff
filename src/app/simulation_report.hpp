#pragma once

#include <string>

#include <nlohmann/json.hpp>

namespace crossvoice::app {

// A simulated call (the reply of POST /sandbox/sandbox/texml/calls) as a person would follow it: who called
// whom, then one line per thing the caller heard, pressed, said or recorded and where the call went, then how
// it ended. Requests, redirects and callbacks are left out (`crossvoice simulate --json` shows them). Pure;
// tolerates missing or mistyped fields (they print as "?" or not at all).
//
//   Calling +12025550100 (tetrix) from +12025550199
//     heard    "Thanks for calling TETRIX."
//     pressed  1
//     dialed   +12025550120 -> answered
//   Ended: transferred to +12025550120 after 24 s
std::string format_simulation(const nlohmann::json& reply);

}  // namespace crossvoice::app
