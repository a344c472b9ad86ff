#pragma once

#include <string>

#include "core/clock.hpp"
#include "core/ivr/engine.hpp"
#include "core/platform.hpp"
#include "core/ports/time_zones.hpp"
#include "core/result.hpp"
#include "services/flow_catalog.hpp"
#include "services/ivr_assistant.hpp"

namespace crossvoice::services {

// What both IVR renderings (TeXML and Call Control) say when a flow breaks under a live call.
inline constexpr std::string_view kIvrSorry =
    "Sorry, this line is not working right now. Please call again later. Goodbye.";

// One engine step of a call on `platform`: its current flow and any flow it redirects to come from the catalog.
// A flow that no longer exists is kValidation, like a flow broken at run time.
// With `assistant`, assistant nodes greet with the persona's greeting, and speech at one is answered by SHANGO
// (for `call`, which must then be given) before the engine runs.
core::Result<core::ivr::StepResult> run_ivr_step(FlowCatalog& flows, const core::ports::TimeZones& zones,
                                                 core::TimePoint now, core::Platform platform,
                                                 const core::ivr::IvrState& state, const core::ivr::CallerInput& input,
                                                 IvrAssistant* assistant = nullptr, const core::Call* call = nullptr);

// The step that ends a call whose flow broke: an apology and a hang-up, the position marked ended ("error").
core::ivr::StepResult ivr_error_ending(const core::ivr::IvrState& state);

// The session metadata of a call that came in on a flow's number.
std::string inbound_session_metadata(const std::string& called, const std::string& flow, std::string_view mode);

}  // namespace crossvoice::services
