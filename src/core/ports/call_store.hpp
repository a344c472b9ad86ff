#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "core/call.hpp"
#include "core/result.hpp"

namespace crossvoice::core::ports {

// What the use-case decided an event does to its call, computed inside the store's transaction from the
// call as it is at that moment (see CallStore::ingest_event).
struct CallChange {
    CallState state = CallState::kInitiated;
    bool state_changed = false;
    std::optional<TimePoint> answered_at;  // set when this event answered the call
    std::optional<TimePoint> ended_at;     // set when this event ended it
    std::optional<std::string> hangup_cause;
    std::optional<std::string> hangup_source;
    std::optional<std::string> call_control_id;  // learnt from the event when the call had none yet
    std::optional<std::string> call_leg_id;
    std::optional<std::string> call_session_id;
};

using DecideChange = std::function<CallChange(const Call& current, const CallEvent& event)>;

// The carrier's ids for a leg it accepted to dial.
struct DialedIds {
    std::string call_control_id;
    std::string call_leg_id;
    std::string call_session_id;
};

// Whether the caller has work to do once an event is stored (queueing a job for a recording).
enum class FollowUps { kNone, kPending };

enum class IngestStatus {
    kNew,         // first delivery: stored and applied
    kDuplicate,   // already stored and fully processed: nothing was changed
    kUnfinished,  // stored earlier but its follow-up work was never confirmed (crash): the caller redoes it
};

struct IngestResult {
    IngestStatus status = IngestStatus::kNew;
    std::optional<Call> call;  // the call after the event (nullopt when no call matches)
    bool state_changed = false;
};

// Calls, their carrier events and recordings. Calls are platform-scoped for readers; webhooks find their call
// by our id (from client_state) or by call_control_id, whatever the platform.
class CallStore {
  public:
    virtual ~CallStore() = default;

    virtual Status insert(const Call& call) = 0;
    virtual Result<std::optional<Call>> find(Platform platform, const std::string& id) = 0;
    virtual Result<std::optional<Call>> find_by_id_any_platform(const std::string& id) = 0;
    virtual Result<std::optional<Call>> find_by_control_id(const std::string& call_control_id) = 0;
    // Oldest first.
    virtual Result<std::vector<Call>> list_for_session(Platform platform, const std::string& session_id) = 0;

    // After the dial request: the carrier's ids (dialed) or the refusal (failed, ended_at and failure_reason
    // set). Only moves a call that is still kInitiated with no call_control_id; returns the call afterwards.
    virtual Result<Call> record_dial_result(const std::string& call_id, const std::optional<DialedIds>& dialed,
                                            const std::optional<std::string>& failure_reason, TimePoint at) = 0;

    // One carrier event, in one transaction that serialises it against every other event of the same call:
    //  - an event id already stored and marked processed -> kDuplicate, nothing changes;
    //  - stored but not processed -> kUnfinished, nothing changes (the caller redoes its follow-ups);
    //  - otherwise the call is found (by `call_id_hint` first, then call_control_id); when found, `decide` is
    //    called with the call as it is now and its change applied; the event is stored with the state after
    //    it; a recording in the event is stored and marks the call and its session has_recording.
    // With FollowUps::kPending the event stays unprocessed until mark_processed; with kNone (nothing to do
    // after it) it is stored processed, in the same transaction: one write per ordinary event.
    virtual Result<IngestResult> ingest_event(const CallEvent& event, const std::optional<std::string>& call_id_hint,
                                              const std::string& raw_body, TimePoint received_at,
                                              const DecideChange& decide, FollowUps follow_ups) = 0;
    virtual Status mark_processed(const std::string& event_id, TimePoint at) = 0;

    // Notes that the recording reported by `event_id` has been copied into our blob store under `blob_key`.
    // kNotFound when no recording came with that event.
    virtual Status mark_recording_archived(const std::string& event_id, const std::string& blob_key) = 0;

    // The call's events in the order they happened (occurred_at, then arrival).
    virtual Result<std::vector<StoredCallEvent>> events_for_call(const std::string& call_id) = 0;
    virtual Result<std::vector<StoredRecording>> recordings_for_call(const std::string& call_id) = 0;
    // The recording reported by carrier event `event_id`; the caller checks the call's platform.
    virtual Result<std::optional<StoredRecording>> find_recording(const std::string& event_id) = 0;
};

}  // namespace crossvoice::core::ports
