#include "sinch/send_body.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <vector>

namespace crossvoice::sinch {
namespace {

using nlohmann::json;

std::vector<std::string> whatsapp_order(const std::vector<std::string>& configured) {
    std::vector<std::string> order{"WHATSAPP"};
    for (const auto& channel : configured) {
        if (!channel.empty() && std::find(order.begin(), order.end(), channel) == order.end()) {
            order.push_back(channel);
        }
    }
    return order;
}

json identified_by(const std::vector<std::string>& channels, const std::string& number) {
    json identities = json::array();
    for (const auto& channel : channels) identities.push_back({{"channel", channel}, {"identity", number}});
    return {{"identified_by", {{"channel_identities", std::move(identities)}}}};
}

}  // namespace

core::Result<std::string> send_body(const ConversationConfig& config, const core::ports::OutboundMessage& message) {
    if (message.channel == core::Channel::kVoice) {
        return core::Error::validation("channel", "Sinch carries sms, whatsapp and chat messages, not voice");
    }
    if (message.to.empty()) return core::Error::validation("to", "to is required");
    if (message.text.empty()) return core::Error::validation("text", "text is required");

    json body = json::object();
    body["app_id"] = config.app_id;
    switch (message.channel) {
        case core::Channel::kWhatsapp: {
            const auto order = whatsapp_order(config.channel_priority);
            body["recipient"] = identified_by(order, message.to);
            body["channel_priority_order"] = order;
            break;
        }
        case core::Channel::kSms:
            body["recipient"] = identified_by({"SMS"}, message.to);
            body["channel_priority_order"] = {"SMS"};
            break;
        default:  // kChat: Messenger, Instagram, Telegram… users have no number; Sinch knows them as a contact
            body["recipient"] = {{"contact_id", message.to}};
            break;
    }
    body["message"] = {{"text_message", {{"text", message.text}}}};
    const auto& callback_url = message.callback_url ? message.callback_url : config.callback_url;
    if (callback_url) body["callback_url"] = *callback_url;
    if (!message.message_id.empty()) body["correlation_id"] = message.message_id;
    // Replace invalid UTF-8 instead of throwing: the text came from a person, and the adapter must not throw.
    return body.dump(-1, ' ', false, json::error_handler_t::replace);
}

}  // namespace crossvoice::sinch
