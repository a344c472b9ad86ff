#pragma once

#include <string_view>

#include "core/call.hpp"

namespace crossvoice::core {

// The terminal state a hang-up leaves a call in, from the carrier's hangup_cause (compared without regard to
// case) and whether the call had been answered.
//
// Answered calls always end kCompleted: the parties talked, and how the call ended (time_limit,
// originator_cancel, even not_found from a failed transfer) is kept in the event's hangup_cause. Unanswered:
//   normal_clearing, originator_cancel  -> kCanceled  (our side or the caller hung up while it rang)
//   user_busy                           -> kBusy
//   call_rejected                       -> kBusy      (the callee was reached and declined, which is how
//                                                      production platforms report a declined call; the
//                                                      cause still says "call_rejected")
//   no_answer, timeout, time_limit      -> kNoAnswer  (nobody picked up before a timer ran out; calling an
//                                                      unanswered call "completed" would count a
//                                                      conversation that never happened)
//   not_found, unspecified, "", other   -> kFailed
CallState map_hangup_cause(std::string_view cause, bool was_answered);

struct Transition {
    CallState next;
    bool changed;  // next != current
};

// Advances a call by one event. Webhooks arrive late, twice and out of order, so:
// - a terminal state never changes: the first hang-up wins, and a late call.answered never revives a call;
// - call.initiated moves kInitiated to kRinging: Call Control sends no separate ringing event, and
//   call.initiated is the carrier confirming that the leg exists and is alerting (outbound: the far end is
//   being rung; inbound: the call is parked waiting for us to answer). It never moves a call backwards;
// - call.answered moves kInitiated or kRinging to kAnswered;
// - call.hangup ends the call in map_hangup_cause(cause, current == kAnswered). A hang-up delivered before
//   its call.answered therefore ends the call as if it was never answered (e.g. kCanceled); the later
//   call.answered is ignored, since nothing in the hang-up itself proves the answer;
// - every other event leaves the state alone.
Transition apply(CallState current, const CallEvent& event);

}  // namespace crossvoice::core
