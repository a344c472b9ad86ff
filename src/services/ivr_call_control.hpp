#pragma once

#include <optional>
#include <string>

#include "core/call.hpp"
#include "core/clock.hpp"
#include "core/ivr/engine.hpp"
#include "core/ports/call_store.hpp"
#include "core/ports/carrier.hpp"
#include "core/ports/ivr_call_store.hpp"
#include "core/ports/ivr_markup.hpp"
#include "core/ports/time_zones.hpp"
#include "services/call_event_service.hpp"
#include "services/flow_catalog.hpp"
#include "services/id_generator.hpp"
#include "services/ivr_assistant.hpp"
#include "services/job_runner.hpp"
#include "services/session_service.hpp"

namespace crossvoice::services {

// Transcribes what a caller said at SHANGO's node on a Call Control call (queued on call.recording.saved).
inline constexpr std::string_view kIvrListenJob = "ivr.listen";

// The IVR on Call Control calls: the same flows and engine as TeXML, executed as commands. An incoming
// call.initiated on a number a flow owns opens the call and its session and is answered; call.answered (also for
// an outbound call placed with `flow`) starts the flow; the engine's instructions run one at a time: speak and
// playback wait for their *.ended event, a menu or collect is a gather_using_speak whose call.gather.ended is the
// caller's input, voicemail is record_start until call.recording.saved, a transfer is `transfer` whose far leg
// either bridges (the flow is over) or hangs up unanswered (the flow goes on at no_answer), and hangup ends it.
//
// Each command carries a command_id made of the call, the step and the instruction's position, so a delivery
// redone after a failure repeats the same ids and Telnyx drops the repeats; the position is saved with
// optimistic concurrency after the commands went out. Speech menus are answered by keypad here: Call Control's
// gather has no speech input (TeXML's Gather does). SHANGO's node, which lives on speech, listens by recording
// instead when a listener is set: its prompt is spoken, then record_start with a silence timeout captures the
// caller's question; call.recording.saved queues an ivr.listen job that transcribes it and hands the words back
// through hear(). A key pressed meanwhile (call.dtmf.received) stops the recording and leaves the node.
class IvrCallControl final : public CallEventObserver {
  public:
    IvrCallControl(FlowCatalog& flows, core::ports::IvrCallStore& ivr_calls, core::ports::CallStore& calls,
                   SessionService& sessions, core::ports::Carrier& carrier, const core::ports::IvrMarkup& markup,
                   const core::ports::TimeZones& zones, const core::Clock& clock, IdGenerator& ids)
        : flows_(flows),
          ivr_calls_(ivr_calls),
          calls_(calls),
          sessions_(sessions),
          carrier_(carrier),
          markup_(markup),
          zones_(zones),
          clock_(clock),
          ids_(ids) {}

    // The clock hours nodes read (CROSSVOICE_IVR_NOW rehearses a flow at another time); the service clock when
    // unset. Set before serving.
    void set_hours_clock(const core::Clock* clock) { hours_clock_ = clock; }
    // SHANGO for assistant nodes; without it they apologise and go on as for a hand-off. Set before serving.
    void set_assistant(IvrAssistant* assistant) { assistant_ = assistant; }
    // Lets SHANGO's node listen to speech (see above); without it the node takes keys only. Set before serving.
    void set_listener(JobRunner* jobs) { listen_jobs_ = jobs; }
    // Counts the inbound calls this opens in crossvoice_calls_total. Set before serving.
    void set_metrics(VoiceMetrics* metrics) { metrics_ = metrics; }

    // What the caller said at the assistant node in step `step` of call `call_id` (empty: nothing was heard).
    // Stale words (the call has moved on) change nothing. Called by the ivr.listen job.
    core::Status hear(const std::string& call_id, int step, const std::string& speech);

    // Seconds of silence after the caller's words that end their turn, and the longest turn.
    static constexpr int kListenSilenceSeconds = 2;
    static constexpr int kListenMaxSeconds = 30;

    core::Result<bool> prepare(const core::CallEvent& event, const std::optional<std::string>& call_id_hint) override;
    core::Status follow_up(const core::CallEvent& event, const std::optional<core::Call>& call) override;
    // A recording made while SHANGO listens is a turn of the conversation, not the call's recording.
    bool archives_recording(const core::CallEvent& event, const std::optional<core::Call>& call) override;

  private:
    core::Result<bool> open_inbound(const core::CallEvent& event);
    core::Status start(const core::Call& call);
    core::Status apply_input(const core::Call& call, core::ports::IvrCallRecord record,
                             const core::ivr::CallerInput& input);
    // Sends the pending instructions of `record` up to the next one that waits for an event, then saves it.
    core::Status advance(const core::Call& call, core::ports::IvrCallRecord record, bool created);
    core::Status execute(const core::Call& call, const core::ivr::Instruction& instruction,
                         const std::string& command_id, bool& waits);
    core::Result<core::ivr::StepResult> run(const core::Call& call, const core::ivr::IvrState& state,
                                            const core::ivr::CallerInput& input);
    // At SHANGO's node with a listener: the keypad-and-speech gather becomes its prompts and a recording.
    std::vector<core::ivr::Instruction> listening(const core::ivr::IvrState& state,
                                                  std::vector<core::ivr::Instruction> instructions) const;
    core::Status queue_listen(const core::Call& call, const core::ports::IvrCallRecord& record,
                              const core::CallEvent& event);

    FlowCatalog& flows_;
    core::ports::IvrCallStore& ivr_calls_;
    core::ports::CallStore& calls_;
    SessionService& sessions_;
    core::ports::Carrier& carrier_;
    const core::ports::IvrMarkup& markup_;
    const core::ports::TimeZones& zones_;
    const core::Clock& clock_;
    IdGenerator& ids_;
    const core::Clock* hours_clock_ = nullptr;
    IvrAssistant* assistant_ = nullptr;
    JobRunner* listen_jobs_ = nullptr;
    VoiceMetrics* metrics_ = nullptr;
};

}  // namespace crossvoice::services
