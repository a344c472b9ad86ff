#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/call.hpp"
#include "core/clock.hpp"
#include "core/ivr/engine.hpp"
#include "core/ports/call_store.hpp"
#include "core/ports/carrier_webhooks.hpp"
#include "core/ports/ivr_call_store.hpp"
#include "core/ports/ivr_markup.hpp"
#include "core/ports/time_zones.hpp"
#include "core/result.hpp"
#include "services/call_event_service.hpp"
#include "services/flow_catalog.hpp"
#include "services/id_generator.hpp"
#include "services/ivr_assistant.hpp"
#include "services/session_service.hpp"

namespace crossvoice::services {

using FormParams = std::vector<std::pair<std::string, std::string>>;

// One request from a TeXML application: the carrier's parameters (form body or query string, PascalCase) and
// ours from the action URLs we rendered (`step`, `input`), plus what was signed.
struct TexmlRequest {
    core::ports::SignedDelivery delivery;  // signed over the form body (POST) or the query string (GET)
    FormParams params;
    std::optional<int> step;  // absent on the application's first fetch for a call
    std::string input;        // which callback: gather | none | record | dial | queue ("" on the first fetch)
};

struct TexmlReply {
    std::string content_type;
    std::string body;
    std::optional<std::string> call_id;
};

struct IvrOptions {
    std::string texml_url;         // absolute URL of POST /api/voice/texml, for action URLs
    std::string texml_status_url;  // absolute URL of POST /api/voice/texml/status, for recording callbacks
};

// Where a call stands in its IVR, for the calls API.
struct IvrPosition {
    std::string flow;
    core::ivr::IvrState state;
};

// The TeXML IVR: the carrier fetches instructions for a call, we answer with markup. The first fetch for a
// CallSid opens the call and its session on the platform that owns the called number and starts its flow;
// each later callback (from the action URLs we rendered) applies the caller's input to the stored position
// and answers with what comes next. A repeated or stale callback is answered with the reply already given,
// so retries never advance a call twice.
class IvrService {
  public:
    IvrService(const core::ports::CarrierWebhooks& webhooks, FlowCatalog& flows, core::ports::IvrCallStore& ivr_calls,
               core::ports::CallStore& calls, SessionService& sessions, CallEventService& events,
               const core::ports::IvrMarkup& markup, const core::ports::TimeZones& zones, const core::Clock& clock,
               IdGenerator& ids, IvrOptions options)
        : webhooks_(webhooks),
          flows_(flows),
          ivr_calls_(ivr_calls),
          calls_(calls),
          sessions_(sessions),
          events_(events),
          markup_(markup),
          zones_(zones),
          clock_(clock),
          ids_(ids),
          options_(std::move(options)) {}

    // Fixes the callback URLs once the server has bound (when WEBHOOK_BASE_URL is unset); before serving.
    void set_urls(std::string texml_url, std::string texml_status_url) {
        options_.texml_url = std::move(texml_url);
        options_.texml_status_url = std::move(texml_status_url);
    }

    // The clock hours nodes read (CROSSVOICE_IVR_NOW rehearses a flow at another time); the service clock when
    // unset. Set before serving.
    void set_hours_clock(const core::Clock* clock) { hours_clock_ = clock; }
    // SHANGO for assistant nodes; without it they apologise and go on as for a hand-off. Set before serving.
    void set_assistant(IvrAssistant* assistant) { assistant_ = assistant; }
    // Counts the inbound calls this opens in crossvoice_calls_total. Set before serving.
    void set_metrics(VoiceMetrics* metrics) { metrics_ = metrics; }

    // kUnauthorized for a bad signature; kValidation when CallSid (or To, on a first fetch) is missing.
    core::Result<TexmlReply> instructions(const TexmlRequest& request);

    // Status callbacks (CallStatus) and recording status callbacks (RecordingSid/RecordingUrl), applied to the
    // call as carrier events: idempotent, and a recording is fetched and transcribed like any other.
    core::Result<WebhookOutcome> status(const TexmlRequest& request);

    // The IVR position of one of the platform's calls; nullopt when the call never ran a flow.
    core::Result<std::optional<IvrPosition>> position(core::Platform platform, const std::string& call_id);

  private:
    core::Result<TexmlReply> start_call(const TexmlRequest& request, const std::string& call_sid);
    core::Result<TexmlReply> continue_call(const TexmlRequest& request, const core::Call& call);
    core::Result<core::ivr::StepResult> run(const core::Call& call, const core::ivr::IvrState& state,
                                            const core::ivr::CallerInput& input);
    // Renders the step's instructions with our callback URLs for the step that follows.
    std::string render(core::ivr::StepResult& result) const;
    TexmlReply reply(std::string body, const std::string& call_id) const;

    const core::ports::CarrierWebhooks& webhooks_;
    FlowCatalog& flows_;
    core::ports::IvrCallStore& ivr_calls_;
    core::ports::CallStore& calls_;
    SessionService& sessions_;
    CallEventService& events_;
    const core::ports::IvrMarkup& markup_;
    const core::ports::TimeZones& zones_;
    const core::Clock& clock_;
    IdGenerator& ids_;
    const core::Clock* hours_clock_ = nullptr;
    IvrAssistant* assistant_ = nullptr;
    VoiceMetrics* metrics_ = nullptr;
    IvrOptions options_;
};

// The first value of `name` in `params`, or nullopt.
std::optional<std::string> param(const FormParams& params, std::string_view name);

// The engine's input from a callback of kind `input` (gather, none, record, dial, queue).
core::Result<core::ivr::CallerInput> caller_input(std::string_view input, const FormParams& params);

// A TeXML status or recording callback as a core carrier event, with a stable id for idempotency.
core::Result<core::CallEvent> texml_call_event(const FormParams& params, core::TimePoint received_at);

}  // namespace crossvoice::services
