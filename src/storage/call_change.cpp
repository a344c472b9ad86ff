#include "storage/call_change.hpp"

#include <algorithm>

namespace crossvoice::storage {

core::Call apply_call_change(const core::Call& current, const core::ports::CallChange& change,
                             core::TimePoint received_at) {
    core::Call after = current;
    if (change.state_changed) after.state = change.state;
    if (change.answered_at && !after.answered_at) after.answered_at = change.answered_at;
    if (change.ended_at && !after.ended_at) after.ended_at = change.ended_at;
    if (change.hangup_cause) after.hangup_cause = change.hangup_cause;
    if (change.hangup_source) after.hangup_source = change.hangup_source;
    if (change.call_control_id && after.call_control_id.empty()) after.call_control_id = *change.call_control_id;
    if (change.call_leg_id && !after.call_leg_id) after.call_leg_id = change.call_leg_id;
    if (change.call_session_id && !after.call_session_id) after.call_session_id = change.call_session_id;
    // A late delivery must not move updated_at backwards.
    after.updated_at = std::max(current.updated_at, received_at);
    return after;
}

}  // namespace crossvoice::storage
