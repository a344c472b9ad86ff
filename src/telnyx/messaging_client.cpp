#include "telnyx/messaging_client.hpp"

#include <nlohmann/json.hpp>

#include <utility>

#include "core/printable.hpp"
#include "telnyx/call_control_reply.hpp"

namespace crossvoice::telnyx {
namespace {

using nlohmann::json;

constexpr std::size_t kMaxExcerpt = 200;  // of a 2xx body we cannot read

bool is_success(int status) { return status >= 200 && status < 300; }

core::Error unusable_reply(std::string message, std::string_view field) {
    return core::Error{
        core::ErrorCode::kVendor, std::move(message), {{"vendor", "telnyx"}, {"field", std::string(field)}}};
}

// The 2xx body of POST /v2/messages: {"data":{"id":"<uuid>","record_type":"message",…}}.
core::Result<std::string> message_id_of(std::string_view body) {
    const json document = json::parse(body.begin(), body.end(), nullptr, false);
    if (document.is_discarded()) {
        return unusable_reply("Telnyx message reply is not JSON", "data")
            .with("vendor_detail", core::printable(body, kMaxExcerpt));
    }
    if (!document.is_object() || !document.contains("data") || !document["data"].is_object()) {
        return unusable_reply("Telnyx message reply has no data object", "data");
    }
    const json& data = document["data"];
    const auto id = data.find("id");
    if (id == data.end() || !id->is_string() || id->get_ref<const std::string&>().empty()) {
        return unusable_reply("Telnyx message reply has no data.id", "data.id");
    }
    return id->get<std::string>();
}

// Telnyx's error body read once (call_control_reply.hpp), then classified the way the ChannelSender port asks:
// a message Telnyx called malformed must not be retried, a 429 must be.
core::Error refusal(const core::ports::HttpResponse& response) {
    auto error = vendor_error(response.status, response.body, response.header("retry-after"),
                              response.header("x-ratelimit-reset"));
    if (response.status == 400 || response.status == 422) error.code = core::ErrorCode::kValidation;
    if (response.status == 429) error.code = core::ErrorCode::kRateLimited;
    return error;
}

}  // namespace

TelnyxMessagingClient::TelnyxMessagingClient(MessagingOptions options, core::ports::HttpClient& http)
    : options_(std::move(options)), http_(http) {
    while (options_.api_base.ends_with('/')) options_.api_base.pop_back();
}

core::Result<core::ports::SentMessage> TelnyxMessagingClient::send(const core::ports::OutboundMessage& message) {
    if (message.channel != core::Channel::kSms) {
        return core::Error::validation("channel",
                                       "Telnyx sends SMS only, not " + std::string(core::to_string(message.channel)));
    }
    if (message.to.empty()) return core::Error::validation("to", "to is required");
    if (message.text.empty()) return core::Error::validation("text", "text is required");
    const std::string& from = message.from && !message.from->empty() ? *message.from : options_.default_from;
    // With a messaging profile Telnyx may pick the sender from the profile's number pool; otherwise it needs one.
    if (from.empty() && !options_.messaging_profile_id) {
        return core::Error::validation("from", "from is required: set the message's sender or the default number");
    }

    json body = json::object();
    body["to"] = message.to;
    if (!from.empty()) body["from"] = from;
    body["text"] = message.text;
    if (options_.messaging_profile_id) body["messaging_profile_id"] = *options_.messaging_profile_id;
    const auto& webhook_url = message.callback_url ? message.callback_url : options_.webhook_url;
    if (webhook_url) body["webhook_url"] = *webhook_url;

    core::ports::HttpRequest request;
    request.method = "POST";
    request.url = options_.api_base + "/v2/messages";
    request.headers = {{"Authorization", "Bearer " + options_.api_key},
                       {"Content-Type", "application/json"},
                       {"Accept", "application/json"}};
    // Replace invalid UTF-8 instead of throwing: the text came from a user, and the adapter must not throw.
    request.body = body.dump(-1, ' ', false, json::error_handler_t::replace);
    request.connect_timeout = options_.connect_timeout;
    request.attempt_timeout = options_.attempt_timeout;
    if (options_.deadline.count() > 0) request.deadline = options_.deadline;
    request.retry = options_.retry;
    // No idempotency key exists for messages: repeating a request Telnyx may have acted on sends the SMS twice.
    request.retry.retry_if_maybe_processed = false;

    auto response = http_.send(request);
    if (!response) return std::move(response).error().with("vendor", "telnyx");
    if (!is_success(response->status)) return refusal(*response);
    auto id = message_id_of(response->body);
    if (!id) return std::move(id).error().with("vendor_status", std::to_string(response->status));
    return core::ports::SentMessage{"telnyx", std::move(id).value()};
}

}  // namespace crossvoice::telnyx
