#pragma once

#include "core/call.hpp"
#include "core/ports/call_store.hpp"

namespace crossvoice::storage {

// The call after `change`. Times and carrier ids are facts learnt once: a later event never overwrites them.
// Only a change that says so moves the state, so a decide that fills in nothing else cannot reset it.
core::Call apply_call_change(const core::Call& current, const core::ports::CallChange& change,
                             core::TimePoint received_at);

}  // namespace crossvoice::storage
