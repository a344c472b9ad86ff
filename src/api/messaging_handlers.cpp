#include "api/messaging_handlers.hpp"

#include <nlohmann/json.hpp>

#include "api/json_body.hpp"
#include "services/message_json.hpp"

namespace crossvoice::api {
namespace {

using http::HandlerResult;
using http::RequestContext;
using nlohmann::json;
using services::message_json;

json optional_text(const std::optional<std::string>& value) { return value ? json(*value) : json(); }

HandlerResult sinch_callback(RequestContext& context, services::MessagingService& messaging) {
    context.audit.recorded_elsewhere = true;  // the timeline is the record of what customers wrote
    const auto& request = context.request;
    const core::ports::ChannelDelivery delivery{request.header("x-sinch-webhook-signature"),
                                                request.header("x-sinch-webhook-signature-nonce"),
                                                request.header("x-sinch-webhook-signature-timestamp"),
                                                request.header("x-sinch-webhook-signature-algorithm"), request.body};
    auto outcome = messaging.accept_sinch(delivery);
    if (!outcome) return std::move(outcome).error();
    return success(200, {{"duplicate", outcome->duplicate},
                         {"sessionId", optional_text(outcome->session_id)},
                         {"messageId", optional_text(outcome->message_id)}});
}

HandlerResult post_message(RequestContext& context, services::MessagingService& messaging) {
    const std::string id(context.param("id"));
    context.audit.action = "message.send";
    context.audit.target = "session:" + id;
    auto body = parse_json_object(context.request);
    if (!body) return std::move(body).error();
    const Fields fields(*body);
    services::OutgoingMessage outgoing;
    auto text = fields.required_string("message");
    if (!text) return std::move(text).error();
    outgoing.text = std::move(text).value();
    auto channel = fields.optional_string("channel");
    if (!channel) return std::move(channel).error();
    if (*channel) {
        const auto parsed = core::parse_channel(**channel);
        if (!parsed || *parsed == core::Channel::kVoice) {
            return core::Error::validation("channel", "channel must be one of sms, whatsapp, chat");
        }
        outgoing.channel = *parsed;
    }
    auto agent = fields.optional_string("agentId");
    if (!agent) return std::move(agent).error();
    outgoing.agent_id = std::move(agent).value();
    auto author = fields.optional_string("author");
    if (!author) return std::move(author).error();
    if (*author && **author != "agent" && **author != "system") {
        return core::Error::validation("author", "author must be agent or system");
    }
    if (*author && **author == "system") outgoing.author = core::MessageAuthor::kSystem;
    auto sent = messaging.send(context.caller(), id, std::move(outgoing));
    if (!sent) return std::move(sent).error();
    // Accepted: the vendor gets it from a job; its status moves as delivery reports arrive.
    return success(202, {{"sessionId", id}, {"message", message_json(*sent)}});
}

HandlerResult put_owner(RequestContext& context, services::MessagingService& messaging) {
    const std::string id(context.param("id"));
    context.audit.action = "conversation.owner";
    context.audit.target = "session:" + id;
    auto body = parse_json_object(context.request);
    if (!body) return std::move(body).error();
    const Fields fields(*body);
    auto owner = fields.required_string("owner");
    if (!owner) return std::move(owner).error();
    if (*owner != "agent" && *owner != "assistant") {
        return core::Error::validation("owner", "owner must be agent (a person takes over) or assistant (SHANGO)");
    }
    auto agent = fields.optional_string("agentId");
    if (!agent) return std::move(agent).error();
    const auto wanted =
        *owner == "agent" ? core::ports::ConversationOwner::kAgent : core::ports::ConversationOwner::kAssistant;
    auto conversation = messaging.set_owner(context.caller(), id, wanted, *agent);
    if (!conversation) return std::move(conversation).error();
    return success(200, {{"sessionId", id},
                         {"owner", *owner},
                         {"agentId", optional_text(conversation->agent_id)},
                         {"persona", conversation->persona}});
}

}  // namespace

void add_messaging_routes(http::Router& router, services::MessagingService& messaging) {
    using http::Access;
    using http::Execution;
    using http::Method;
    // Open: Sinch cannot hold our API key; every callback is checked against its HMAC signature and nonce.
    router.add({Method::kPost, "/api/webhooks/sinch", "Sinch Conversation API callbacks (signed)", Access::kPublic,
                Execution::kWorker,
                [&messaging](RequestContext& context) { return sinch_callback(context, messaging); }});
    router.add({Method::kPost, "/api/voice/integration/sessions/{id}/messages",
                "Send a message to the session's customer on their channel", Access::kApiKey, Execution::kWorker,
                [&messaging](RequestContext& context) { return post_message(context, messaging); }});
    router.add({Method::kPut, "/api/voice/integration/sessions/{id}/owner",
                "Take a conversation over from SHANGO, or hand it back", Access::kApiKey, Execution::kWorker,
                [&messaging](RequestContext& context) { return put_owner(context, messaging); }});
}

}  // namespace crossvoice::api
