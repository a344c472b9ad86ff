#pragma once

#include <chrono>
#include <optional>
#include <string_view>

namespace crossvoice::sandbox {

// What the far end of a sandbox call does is decided by the LAST THREE DIGITS of the dialled number (`to`;
// for a sip: URI, of its user part). The same table applies to the target of a `transfer`, except that the
// rows that fail the dial request itself (422, 429, 500, 504) behave like an ordinary number there.
//
// | ends in | what happens                                                                                      |
// |---------|---------------------------------------------------------------------------------------------------|
// | 486     | busy: call.initiated, then call.hangup hangup_cause user_busy, hangup_source callee              |
// | 408     | no answer: call.initiated, then call.hangup hangup_cause timeout (hangup_source unknown) after    |
// |         | min(no_answer_after, timeout_secs)                                                                |
// | 404     | fails: call.initiated, then call.hangup hangup_cause not_found, hangup_source unknown             |
// | 603     | rejected: call.initiated, then call.hangup hangup_cause call_rejected, hangup_source callee       |
// | 422     | the dial is answered 422 with a Telnyx error (code 10002 "Invalid phone number", pointer /to)     |
// | 429     | the dial is answered 429 (code 90103) with x-ratelimit-* and Retry-After headers                  |
// | 500     | the dial is answered 500 (code 10007 "Unexpected error")                                          |
// | 504     | the dial request is held for `stall`, then answered 504 (code 10008 "Request timeout")            |
// | 410     | answers like any other number, but its recordings answer 410 Gone                                 |
// | other   | call.initiated after ring_delay, call.answered after answer_delay, then the callee hangs up       |
// |         | after talk_time (normal_clearing, hangup_source callee); earlier when time_limit_secs runs out    |
// |         | (time_limit, hangup_source unknown) or when we send hangup (normal_clearing, hangup_source caller)|
//
// Busy, fails and rejected hang up at answer_delay, the moment an ordinary number would have answered.
enum class NumberBehaviour {
    kAnswers,
    kBusy,
    kNoAnswer,
    kNotFound,
    kRejected,
    kDialInvalid,
    kDialRateLimited,
    kDialServerError,
    kDialStalls,
    kRecordingGone,
};

NumberBehaviour behaviour_for(std::string_view to);

// True for the rows that answer the dial request with an error instead of placing a call.
bool fails_dial(NumberBehaviour behaviour);

// How long an unanswered call rings before giving up: `no_answer_after`, or timeout_secs when that is shorter.
std::chrono::milliseconds ring_timeout(std::chrono::milliseconds no_answer_after, std::optional<int> timeout_secs);

}  // namespace crossvoice::sandbox
