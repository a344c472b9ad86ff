#pragma once

#include <memory>
#include <string>

#include "core/clock.hpp"
#include "core/ports/http_client.hpp"
#include "core/ports/speech_synthesizer.hpp"
#include "http/router.hpp"
#include "sandbox/sandbox_options.hpp"

namespace crossvoice::sandbox {

// The sandbox carrier: a stand-in for Telnyx Call Control v2 that crossvoice talks to when no Telnyx account is
// configured. It answers exactly the requests and sends exactly the signed webhooks of vendor-apis.md A.1-A.6,
// and simulates each call's life from the dialled number (see number_plan.hpp for the table).
//
// Routes (all Access::kPublic; the Telnyx ones check the Bearer key themselves and answer Telnyx error bodies):
//   POST {prefix}/v2/calls                                    dial (Execution::kWorker: the "504" number stalls)
//   POST {prefix}/v2/calls/{call_control_id}/actions/{action} the Call Control commands
//   GET  {prefix}/recordings/{id}.wav                         a recording, as a real WAV file
// and, sandbox-only (no key; for tests and `crossvoice simulate`):
//   POST {prefix}/sandbox/calls/{call_control_id}/dtmf        {"digits":"12#"}: the far end presses keys
//   POST {prefix}/sandbox/calls/{call_control_id}/hangup      the far end hangs up now
//   POST {prefix}/sandbox/inbound                             {"from","to","webhook_url"?,"connection_id"?,
//                                                             "client_state"?}: a call comes in
//   GET  {prefix}/sandbox/calls/{call_control_id}             the leg: state, events sent, commands received
//   GET  {prefix}/sandbox/calls                               every leg the sandbox remembers
//   POST {prefix}/sandbox/texml/calls                         a simulated inbound TeXML call, run to its end
//                                                             (Execution::kWorker; see texml_session.hpp)
//
// Everything is in memory. The carrier must outlive the server that routes to it.
class SandboxCarrier {
  public:
    // `http` delivers webhooks, `speech` voices recordings; both, and `clock`, must outlive the carrier.
    SandboxCarrier(SandboxOptions options, core::ports::HttpClient& http, core::ports::SpeechSynthesizer& speech,
                   const core::Clock& clock);
    ~SandboxCarrier();  // stops its threads, drops pending work, releases a stalled dial
    SandboxCarrier(const SandboxCarrier&) = delete;
    SandboxCarrier& operator=(const SandboxCarrier&) = delete;

    void add_routes(http::Router& router);
    // Base64 of the Ed25519 public key: what the service configures as TELNYX_PUBLIC_KEY.
    std::string public_key_base64() const;
    // The TeXML application and status callback URLs of simulated calls that name none (SandboxOptions::
    // texml_url, texml_status_url), for when they are known only once the server has bound its port.
    void set_texml_urls(std::string texml, std::string status);
    // Where recordings are served from (prefix included) once the server's address is known, for requests whose
    // Host header does not name it (a client that sends no port). SandboxOptions::public_base_url still wins.
    void set_bound_base_url(std::string base);

  private:
    struct State;
    std::unique_ptr<State> state_;
};

}  // namespace crossvoice::sandbox
