#include "telnyx/call_control_client.hpp"

#include <fmt/format.h>

#include <utility>

#include "telnyx/call_control_body.hpp"
#include "telnyx/call_control_reply.hpp"
#include "telnyx/command_id.hpp"

namespace crossvoice::telnyx {
namespace {

using core::ports::CommandOptions;

// Telnyx's code for a command on a call that has already ended.
constexpr std::string_view kCallEnded = "90018";

bool is_success(int status) { return status >= 200 && status < 300; }

// One path segment: unreserved characters and ':' (Telnyx ids look like "v3:MdI9…") stay as they are, every
// other byte is %XX, so an id can never add a segment ('/'), start a query ('?') or fragment ('#'), or smuggle
// an escape ('%').
std::string path_segment(std::string_view text) {
    constexpr std::string_view kHex = "0123456789ABCDEF";
    std::string out;
    out.reserve(text.size());
    for (const char ch : text) {
        const auto byte = static_cast<unsigned char>(ch);
        const bool plain = (byte >= 'A' && byte <= 'Z') || (byte >= 'a' && byte <= 'z') ||
                           (byte >= '0' && byte <= '9') || byte == '-' || byte == '.' || byte == '_' || byte == '~' ||
                           byte == ':';
        if (plain) {
            out.push_back(ch);
        } else {
            out.push_back('%');
            out.push_back(kHex[byte >> 4]);
            out.push_back(kHex[byte & 0x0f]);
        }
    }
    return out;
}

std::string command_id_for(const CommandOptions& options) {
    return options.command_id.empty() ? generate_command_id() : options.command_id;
}

core::Error vendor_failure(const core::ports::HttpResponse& response, std::string_view action) {
    return vendor_error(response.status, response.body, response.header("retry-after"),
                        response.header("x-ratelimit-reset"))
        .with("action", std::string(action));
}

}  // namespace

CallControlClient::CallControlClient(CallControlOptions options, core::ports::HttpClient& http)
    : options_(std::move(options)), http_(http) {
    while (options_.base_url.ends_with('/')) options_.base_url.pop_back();
}

core::Result<core::ports::DialedCall> CallControlClient::dial(const core::ports::DialRequest& request) {
    const std::string command_id = request.command_id.empty() ? generate_command_id() : request.command_id;
    auto body = dial_body(request, command_id);
    if (!body) return std::move(body).error();
    // A dial has no call_control_id yet, and Telnyx only documents command_id deduplication per call: a retry
    // after the request may have arrived could ring the callee twice. Only provably unprocessed tries repeat.
    auto response = post(options_.base_url + "/calls", std::move(body).value(), "dial", /*may_repeat=*/false);
    if (!response) return std::move(response).error();
    if (!is_success(response->status)) return vendor_failure(*response, "dial");
    auto call = parse_dial_reply(response->body);
    if (!call) {
        return std::move(call).error().with("vendor_status", std::to_string(response->status)).with("action", "dial");
    }
    return call;
}

core::Status CallControlClient::answer(const std::string& call_control_id, const core::ports::AnswerRequest& request) {
    return command(call_control_id, "answer", answer_body(request, command_id_for(request.options)));
}

core::Status CallControlClient::hangup(const std::string& call_control_id, const CommandOptions& options) {
    return command(call_control_id, "hangup", options_body(options, command_id_for(options)), AlreadyEnded::kSuccess);
}

core::Status CallControlClient::reject(const std::string& call_control_id, const core::ports::RejectRequest& request) {
    return command(call_control_id, "reject", reject_body(request, command_id_for(request.options)));
}

core::Status CallControlClient::speak(const std::string& call_control_id, const core::ports::SpeakRequest& request) {
    return command(call_control_id, "speak", speak_body(request, command_id_for(request.options)));
}

core::Status CallControlClient::playback_start(const std::string& call_control_id,
                                               const core::ports::PlaybackStartRequest& request) {
    return command(call_control_id, "playback_start", playback_start_body(request, command_id_for(request.options)));
}

core::Status CallControlClient::playback_stop(const std::string& call_control_id,
                                              const core::ports::PlaybackStopRequest& request) {
    return command(call_control_id, "playback_stop", playback_stop_body(request, command_id_for(request.options)));
}

core::Status CallControlClient::gather(const std::string& call_control_id, const core::ports::GatherRequest& request) {
    return command(call_control_id, "gather", gather_body(request, command_id_for(request.options)));
}

core::Status CallControlClient::gather_using_speak(const std::string& call_control_id,
                                                   const core::ports::GatherUsingSpeakRequest& request) {
    return command(call_control_id, "gather_using_speak",
                   gather_using_speak_body(request, command_id_for(request.options)));
}

core::Status CallControlClient::gather_using_audio(const std::string& call_control_id,
                                                   const core::ports::GatherUsingAudioRequest& request) {
    return command(call_control_id, "gather_using_audio",
                   gather_using_audio_body(request, command_id_for(request.options)));
}

core::Status CallControlClient::transfer(const std::string& call_control_id,
                                         const core::ports::TransferRequest& request) {
    return command(call_control_id, "transfer", transfer_body(request, command_id_for(request.options)));
}

core::Status CallControlClient::bridge(const std::string& call_control_id, const core::ports::BridgeRequest& request) {
    return command(call_control_id, "bridge", bridge_body(request, command_id_for(request.options)));
}

core::Status CallControlClient::record_start(const std::string& call_control_id,
                                             const core::ports::RecordStartRequest& request) {
    return command(call_control_id, "record_start", record_start_body(request, command_id_for(request.options)));
}

core::Status CallControlClient::record_stop(const std::string& call_control_id, const CommandOptions& options) {
    return command(call_control_id, "record_stop", options_body(options, command_id_for(options)));
}

core::Status CallControlClient::streaming_start(const std::string& call_control_id,
                                                const core::ports::StreamingStartRequest& request) {
    return command(call_control_id, "streaming_start", streaming_start_body(request, command_id_for(request.options)));
}

core::Status CallControlClient::streaming_stop(const std::string& call_control_id, const CommandOptions& options) {
    return command(call_control_id, "streaming_stop", options_body(options, command_id_for(options)));
}

core::Status CallControlClient::send_dtmf(const std::string& call_control_id,
                                          const core::ports::SendDtmfRequest& request) {
    return command(call_control_id, "send_dtmf", send_dtmf_body(request, command_id_for(request.options)));
}

core::Status CallControlClient::command(const std::string& call_control_id, std::string_view action,
                                        core::Result<std::string> body, AlreadyEnded already_ended) {
    if (call_control_id.empty()) return core::Error::validation("call_control_id", "call_control_id is required");
    if (!body) return std::move(body).error();
    const auto url = fmt::format("{}/calls/{}/actions/{}", options_.base_url, path_segment(call_control_id), action);
    const auto response = post(url, std::move(body).value(), action);
    if (!response) return response.error();
    if (is_success(response->status)) return {};
    // Hanging up a call that is over already reached the goal; a repeated hangup after a crash must not fail.
    if (already_ended == AlreadyEnded::kSuccess && response->status == 422 &&
        has_error_code(response->body, kCallEnded)) {
        return {};
    }
    return vendor_failure(*response, action);
}

core::Result<core::ports::HttpResponse> CallControlClient::post(std::string url, std::string body,
                                                                std::string_view action, bool may_repeat) {
    core::ports::HttpRequest request;
    request.method = "POST";
    request.url = std::move(url);
    request.headers = {{"Authorization", "Bearer " + options_.api_key},
                       {"Content-Type", "application/json"},
                       {"Accept", "application/json"}};
    request.body = std::move(body);
    request.connect_timeout = options_.connect_timeout;
    request.attempt_timeout = options_.attempt_timeout;
    if (options_.deadline.count() > 0) request.deadline = options_.deadline;
    request.retry = options_.retry;
    request.retry.retry_if_maybe_processed = may_repeat;

    auto response = http_.send(request);
    if (!response) {
        // The HttpClient's own kind and details (url, attempts, reason) are what the caller needs; only say whose.
        return std::move(response).error().with("vendor", "telnyx").with("action", std::string(action));
    }
    return response;
}

}  // namespace crossvoice::telnyx
