// The messaging part of the composition root: channels, their callbacks and the messaging use-case.
#include <fmt/format.h>

#include <vector>

#include "app/runtime.hpp"
#include "infra/sodium_handoff_sealer.hpp"
#include "observability/logging.hpp"
#include "sinch/conversation_client.hpp"
#include "sinch/sinch_webhooks.hpp"
#include "telnyx/message_event_parser.hpp"
#include "telnyx/messaging_client.hpp"

namespace crossvoice::app {
namespace {

bool sinch_configured(const Config& config) {
    return config.sinch_project_id && config.sinch_app_id && config.sinch_key_id && config.sinch_key_secret;
}

}  // namespace

core::Status Runtime::open_messaging() {
    std::optional<std::string> webhook_secret;
    if (sinch_configured(config_)) {
        // Sinch signs only when a secret is set; an unsigned callback could be anyone's, so one is required.
        if (!config_.sinch_webhook_secret) {
            return core::Error::validation("SINCH_WEBHOOK_SECRET",
                                           "SINCH_WEBHOOK_SECRET: required with Sinch, so that its callbacks can be "
                                           "verified (set the same secret on the app's webhook)");
        }
        sinch::ConversationConfig sinch_config;
        sinch_config.base_url = config_.sinch_api_base_url.value_or("https://us.conversation.api.sinch.com");
        sinch_config.auth_url = config_.sinch_auth_url.value_or("https://auth.sinch.com/oauth2/token");
        sinch_config.project_id = *config_.sinch_project_id;
        sinch_config.app_id = *config_.sinch_app_id;
        sinch_config.key_id = *config_.sinch_key_id;
        sinch_config.key_secret = *config_.sinch_key_secret;
        if (config_.webhook_base_url)
            sinch_config.callback_url = *config_.webhook_base_url + std::string(kSinchWebhookPath);
        sinch_sender_ = std::make_unique<sinch::SinchConversationClient>(sinch_config, http_client_, clock_);
        webhook_secret = config_.sinch_webhook_secret;
    } else {
        std::vector<std::uint8_t> bytes(32);
        crypto_.random_bytes(bytes.data(), bytes.size());
        sandbox::SandboxMessagingOptions options;
        options.route_prefix = "/sandbox";
        options.secret = crypto_.base64url(bytes);
        webhook_secret = options.secret;
        sandbox_messaging_ = std::make_unique<sandbox::SandboxMessaging>(options, http_client_, clock_);
    }
    sinch_webhooks_ = std::make_unique<sinch::SinchWebhooks>(webhook_secret, clock_);

    core::ports::ChannelSender* sinch_like =
        sinch_sender_ ? sinch_sender_.get() : static_cast<core::ports::ChannelSender*>(sandbox_messaging_.get());
    services::ChannelSenders senders{sinch_like, sinch_like, &web_chat_};
    if (config_.telnyx_api_key && config_.telnyx_messaging_profile_id) {
        telnyx::MessagingOptions options;
        const auto& base = config_.telnyx_api_base_url;
        options.api_base = base.ends_with("/v2") ? base.substr(0, base.size() - 3) : base;
        options.api_key = *config_.telnyx_api_key;
        options.messaging_profile_id = config_.telnyx_messaging_profile_id;
        options.default_from = config_.telnyx_phone_number.value_or("");
        if (config_.webhook_base_url) options.webhook_url = *config_.webhook_base_url + "/api/voice/webhook";
        telnyx_sms_ = std::make_unique<telnyx::TelnyxMessagingClient>(options, http_client_);
        senders.sms = telnyx_sms_.get();
    }

    services::MessagingSettings settings;
    const auto sinch_platform = core::parse_platform(config_.sinch_platform.value_or("tetrix"));
    settings.platform_of = [this, sinch_platform](const core::ChannelEvent& event) -> std::optional<core::Platform> {
        if (event.vendor == "telnyx") {
            // An SMS to a number a flow owns belongs to that flow's platform, as a call to it would.
            auto route = flows_->route_for(event.our_identity);
            if (route && *route) return (*route)->platform;
            return std::nullopt;
        }
        // One Sinch app serves both platforms: a customer already in a session stays on its platform.
        std::optional<core::Platform> known;
        for (const auto platform : {core::Platform::kTetrix, core::Platform::kJoromi}) {
            auto session = message_store_.session_of_contact(platform, event.channel, event.contact);
            if (session && *session) {
                if (known) return sinch_platform;  // in sessions on both: the configured platform decides
                known = platform;
            }
        }
        return known ? known : sinch_platform;
    };

    live_translations_ = std::make_unique<services::LiveTranslations>(translator_.get(), language_pipeline_.get(),
                                                                      config_.agent_language);
    live_hub_.set_translations(live_translations_.get());

    services::MessagingService::Ports ports{
        message_store_, assistant_store_, replay_guard_,         sessions_, *shango_, jobs_,
        senders,        &live_log_,       sinch_webhooks_.get(), clock_,    ids_};
    messaging_ = std::make_unique<services::MessagingService>(ports, std::move(settings));
    jobs_.register_handler(std::string(services::kMessageSendJob),
                           [this](const core::Job& job) { return messaging_->run_send_job(job); });
    jobs_.register_handler(std::string(services::kMessageAssistantJob),
                           [this](const core::Job& job) { return messaging_->run_assistant_job(job); });
    callbacks_ = std::make_unique<services::CallbackService>(*calls_, sessions_, message_store_);
    jobs_.register_handler(std::string(services::kCallbackJob),
                           [this](const core::Job& job) { return callbacks_->run_job(job); });
    call_events_->set_message_handler([this](std::string_view body) -> core::Status {
        auto event = telnyx::parse_message_event(body);
        if (!event) return std::move(event).error();
        auto received = messaging_->receive(*event);
        if (!received) return std::move(received).error();
        return {};
    });
    // The IVR chat node: the caller gets a message that continues the call's session by text, with the agents.
    ivr_assistant_->set_chat([this](const core::Call& call, core::Channel channel, std::string text) -> core::Status {
        auto sent = messaging_->continue_by_text(core::Principal{call.platform, "ivr"}, call.session_id, channel,
                                                 std::move(text));
        if (!sent) return std::move(sent).error();
        return {};
    });
    if (config_.cross_platform_session_secret) {
        auto sealer = infra::SodiumHandoffSealer::create(*config_.cross_platform_session_secret);
        if (!sealer) return std::move(sealer).error();
        handoff_sealer_ = std::move(sealer).value();
    }
    handoffs_ = std::make_unique<services::HandoffService>(handoff_sealer_.get(), replay_guard_, session_store_,
                                                           sessions_, clock_, ids_);
    observability::logger("app")->info("messaging: WhatsApp through {}, SMS through {}",
                                       sinch_sender_ ? "Sinch" : "the sandbox channel",
                                       telnyx_sms_     ? "Telnyx"
                                       : sinch_sender_ ? "Sinch"
                                                       : "the sandbox channel");
    return {};
}

}  // namespace crossvoice::app
