#pragma once

#include <memory>
#include <vector>

#include "core/assistant.hpp"
#include "core/ivr/flow.hpp"
#include "core/ports/transcript_pipeline.hpp"

namespace crossvoice::services {

// What context analysis matches a transcript against, for one platform: the SHANGO personas' topics (billing,
// technical, sales, general; from the platform's persona configuration) and every option of the platform's IVR menus,
// named after the node it leads to and signalled by its phrases and synonyms. A menu option whose words belong to a
// persona's topic carries that persona, so an intent found in a call says which SHANGO persona should take it.
std::vector<core::ports::IntentCandidate> intent_vocabulary(
    const std::vector<std::shared_ptr<const core::ivr::IvrFlow>>& flows,
    const std::vector<core::Persona>& personas_of_platform);

}  // namespace crossvoice::services
