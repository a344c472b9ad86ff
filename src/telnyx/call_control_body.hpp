#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "core/ports/carrier.hpp"
#include "core/result.hpp"

namespace crossvoice::telnyx {

// The JSON bodies of Telnyx Call Control v2 requests (vendor-apis.md A.2, A.3), one function per endpoint.
// Pure: no I/O, nothing throws. A body holds only the fields that are set (an optional that is nullopt is
// left out, so Telnyx applies its own default), client_state and target_leg_client_state base64-encoded, and
// always `command_id`, which the caller has already chosen: the request's own, or a generated one when that
// was empty. Every text field must be UTF-8.
//
// Input Telnyx would refuse with a 422 is refused here first, so that nothing is sent: kValidation with
// details["field"] naming the request field (and the message saying why).

// The payload of speak and gather_using_speak, in Unicode characters.
inline constexpr std::size_t kMaxSpeakCharacters = 3000;

core::Result<std::string> dial_body(const core::ports::DialRequest& request, std::string_view command_id);
core::Result<std::string> answer_body(const core::ports::AnswerRequest& request, std::string_view command_id);
// hangup, record_stop and streaming_stop carry nothing but the common fields.
core::Result<std::string> options_body(const core::ports::CommandOptions& options, std::string_view command_id);
core::Result<std::string> reject_body(const core::ports::RejectRequest& request, std::string_view command_id);
core::Result<std::string> speak_body(const core::ports::SpeakRequest& request, std::string_view command_id);
core::Result<std::string> playback_start_body(const core::ports::PlaybackStartRequest& request,
                                              std::string_view command_id);
core::Result<std::string> playback_stop_body(const core::ports::PlaybackStopRequest& request,
                                             std::string_view command_id);
core::Result<std::string> gather_body(const core::ports::GatherRequest& request, std::string_view command_id);
core::Result<std::string> gather_using_speak_body(const core::ports::GatherUsingSpeakRequest& request,
                                                  std::string_view command_id);
core::Result<std::string> gather_using_audio_body(const core::ports::GatherUsingAudioRequest& request,
                                                  std::string_view command_id);
core::Result<std::string> transfer_body(const core::ports::TransferRequest& request, std::string_view command_id);
// The other leg goes in the body's `call_control_id`.
core::Result<std::string> bridge_body(const core::ports::BridgeRequest& request, std::string_view command_id);
core::Result<std::string> record_start_body(const core::ports::RecordStartRequest& request,
                                            std::string_view command_id);
core::Result<std::string> streaming_start_body(const core::ports::StreamingStartRequest& request,
                                               std::string_view command_id);
core::Result<std::string> send_dtmf_body(const core::ports::SendDtmfRequest& request, std::string_view command_id);

}  // namespace crossvoice::telnyx
