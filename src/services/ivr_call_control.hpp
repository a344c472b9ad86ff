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
#include "services/session_service.hpp"

namespace crossvoice::services {

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
// gather has no speech input (TeXML's Gather does).
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

    core::Result<bool> prepare(const core::CallEvent& event, const std::optional<std::string>& call_id_hint) override;
    core::Status follow_up(const core::CallEvent& event, const std::optional<core::Call>& call) override;

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
};

}  // namespace crossvoice::services
