#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/clock.hpp"
#include "core/ports/http_client.hpp"
#include "core/ports/speech_synthesizer.hpp"
#include "sandbox/recording_store.hpp"
#include "sandbox/webhook_signer.hpp"

namespace crossvoice::sandbox {

// One thing the simulated caller does, consumed in order by the verbs that listen (see run_texml_call).
struct CallerAction {
    enum class Kind { kPress, kSay, kRecord, kSilence };
    Kind kind = Kind::kSilence;
    std::string text;  // the digits (press), the words (say, record); empty for silence
    bool operator==(const CallerAction&) const = default;
};

// The call to simulate: an inbound call from `from` to `to`, answered by the TeXML application at `url`.
struct TexmlCall {
    std::string from;
    std::string to;
    std::string url;                             // absolute http(s) URL of the application
    std::string method = "POST";                 // POST (form body) or GET (query string)
    std::optional<std::string> status_callback;  // gets the final call status, when set
    std::vector<CallerAction> script;
    std::string connection_id = "sandbox";
};

// What the session needs from the sandbox. Every reference must outlive the call.
struct TexmlEnvironment {
    core::ports::HttpClient& http;
    const WebhookSigner& signer;
    core::ports::SpeechSynthesizer& speech;  // voices `record` actions
    RecordingStore& recordings;
    const core::Clock& clock;
    std::string public_base;             // recordings are served at {public_base}/recordings/{id}.wav
    int talk_secs = 20;                  // how long a connected <Dial> or <Enqueue> lasts (simulated seconds)
    std::size_t max_documents = 100;     // TeXML documents fetched (the first one, actions, redirects)
    std::size_t max_instructions = 300;  // verbs executed, over every document
};

// How a simulated call went, and the reply of POST {prefix}/sandbox/texml/calls (see to_json).
struct TexmlTranscript {
    std::string call_sid;
    std::string from;
    std::string to;
    // hangup          the application ended the call (<Hangup>, or its document ran out of verbs)
    // transferred     a <Dial> connected the caller to `connected_to` (a number, SIP URI, queue:X or conference:X)
    // queued          <Enqueue> put the caller in queue `connected_to`, where the sandbox's agent answered
    // rejected        <Reject>: the call was never answered
    // caller_hung_up  the caller gave up: a second <Gather> came after the script had run out
    // error           the application failed (no answer, a non-2xx status, not TeXML) or a limit was reached
    // A transfer or queue stays the outcome when the application hangs up (or the caller leaves) afterwards; an
    // error or a rejection wins over everything.
    std::string outcome;
    std::optional<std::string> connected_to;
    int duration_secs = 0;  // simulated: nothing here sleeps
    nlohmann::json steps = nlohmann::json::array();
    std::size_t unused_actions = 0;  // script actions left when the call ended
    std::optional<std::string> error;

    // {success:true, callSid, from, to, outcome, connectedTo?, durationSecs, unusedActions, error?, steps:[...]}
    nlohmann::json to_json() const;
};

// The AccountSid every sandbox TeXML request carries.
inline constexpr std::string_view kSandboxAccountSid = "0b5e55ed-5a4d-4b0c-8a11-5a4db0c5ca11";

// Runs one simulated inbound TeXML call to its end, synchronously, as Telnyx would (vendor-apis.md B):
//
// Requests. The application URL is fetched with every parameter of B.1 (AccountSid, CallSid "v3:...",
// CallSidLegacy, From, To, FromSipUri, ToSipUri, CallerId, CallingPartyType=pstn, ConnectionId,
// CallStatus=in-progress, Direction=inbound), signed (TexmlClient). Action callbacks carry the same plus their
// own fields (B.3) and use the verb's `method` (Gather: default the application's method, B.4; the others POST);
// relative URLs resolve against the current document's. A failed request, a non-2xx answer or a body that is
// not TeXML ends the call with an `error` step. Recording status and final status callbacks are POSTed too
// (step `callback`); their answer does not change the call.
//
// Verbs (each logged as a step; `duration` counts simulated seconds):
//   Say      `say` {text, voice?, language?, loop?}: 2 s per repetition (loop="0" counts once)
//   Play     `play` {url, loop?, digits?}: 2 s per repetition
//   Pause    `pause` {seconds}: its length (default 1)
//   Gather   `gather` {input, timeout?, numDigits?, hints?}, then its Say/Play/Pause as heard, then the next
//            script action: press -> `press` {digits} and the action gets Digits (cut at finishOnKey and
//            numDigits/maxDigits; keys only when input includes dtmf or is absent); say -> `speak` {text, heard}
//            and the action gets SpeechResult and Confidence=0.92 when input includes speech, otherwise it is
//            not heard; silence, a key or speech the Gather does not take, or an exhausted script ->
//            `no_input` {reason} and the next verb runs. A `record` action is left for the <Record> it belongs
//            to (the gather hears nothing). The second Gather after the script has run out makes the caller
//            hang up (`hangup` {by:"caller"}). 2 s per key or phrase, `timeout` (5) s for no input.
//   Record   `record` {recordingSid, url, durationSecs, text?}: a `record TEXT` action next in the script is
//            voiced by the SpeechSynthesizer (mono WAV, cut at maxLength), otherwise the recording is empty
//            (0 s). Stored in the RecordingStore and served at {public_base}/recordings/{id}.wav; then
//            recordingStatusCallback (RecordingSid, RecordingUrl, RecordingDuration, RecordingStatus=completed,
//            RecordingChannels=1) and the action (RecordingUrl, RecordingDuration, RecordingSid). No action:
//            the next verb runs.
//   Dial     `dial` {targets:[{target, result}], result, connectedTo?, durationSecs}: each Number/Sip by the
//            number plan (answers -> answered, 486 busy, 408 no-answer, 404/603 failed); Queue and Conference
//            targets connect. The first target that answers is connected for talk_secs (or timeLimit), the
//            other ones that would have answered are `canceled`;
//            DialCallStatus is completed, or else no-answer, busy, failed (in that order of preference). The
//            action gets DialCallStatus, DialCallSid, DialCallDuration; no action: the next verb runs.
//   Enqueue  `enqueue` {queue, result:"bridged", waitSecs}: the sandbox's agent answers after a short wait;
//            the action gets QueueResult=bridged, QueueSid, QueueTime; no action: the next verb runs.
//   Redirect `redirect` {url, method}, then the fetch of that URL.
//   Hangup   `hangup` {by:"application"}. The end of a document without one: `hangup` {by:"end_of_document"}.
//   Reject   `reject` {reason}: the call ends unanswered, status busy (reason busy) or failed.
//   Leave, Refer, Start, Stop: logged (`leave`, `refer` {targets}, `start`, `stop` {tasks}); nothing else.
// Every fetch is a `fetch` step {method, url, reason, status}.
//
// At the end the status callback, when set, gets CallStatus (completed; busy or failed after a Reject; failed
// after an error), CallDuration, HangupCause, HangupSource, Timestamp (RFC 3339) and SequenceNumber.
// Limits: more than max_documents fetches or max_instructions verbs end the call with an `error` step.
TexmlTranscript run_texml_call(const TexmlCall& call, const TexmlEnvironment& environment);

}  // namespace crossvoice::sandbox
