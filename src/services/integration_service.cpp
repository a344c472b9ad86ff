#include "services/integration_service.hpp"

#include <cctype>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "core/e164.hpp"
#include "core/ids.hpp"
#include "services/text_language.hpp"

namespace crossvoice::services {
namespace {

using core::Channel;

// What the integration asked for, kept with the session so the platforms' own pages can show it.
std::string integration_metadata(const IntegrationInitiate& input) {
    nlohmann::json settings{{"enableTranslation", input.enable_translation}};
    if (input.enable_transcription) settings["enableTranscription"] = *input.enable_transcription;
    if (input.target_language) settings["targetLanguage"] = *input.target_language;
    return nlohmann::json{{"source", "integration"}, {"integration", std::move(settings)}}.dump();
}

}  // namespace

core::Result<SessionPage> IntegrationService::list(const core::Principal& caller, const SessionFilter& filter) {
    if (filter.limit < 1 || filter.limit > kMaxPageSize) {
        return core::Error::validation("limit", fmt::format("limit must be between 1 and {}", kMaxPageSize))
            .with("value", std::to_string(filter.limit));
    }
    return ports_.sessions.list(caller, filter);
}

core::Result<IntegrationSessionDetail> IntegrationService::detail(const core::Principal& caller, const std::string& id,
                                                                  int messages) {
    if (messages < 0 || messages > kMaxRecentMessages) {
        return core::Error::validation("messages",
                                       fmt::format("messages must be between 0 and {}", kMaxRecentMessages));
    }
    auto session = ports_.sessions.get(caller, id);
    if (!session) return std::move(session).error();
    IntegrationSessionDetail detail;
    detail.session = std::move(session).value();
    // A linked session's calls and timeline stay under its own platform; the caller was allowed to see the
    // session, so it sees them too.
    auto calls = ports_.call_store.list_for_session(detail.session.platform, detail.session.id);
    if (!calls) return std::move(calls).error();
    detail.calls = std::move(calls).value();
    if (messages > 0) {
        core::ports::TimelineQuery query;
        query.platform = detail.session.platform;
        query.session_id = detail.session.id;
        query.limit = messages;
        query.newest = true;
        auto recent = ports_.timeline.list(query);
        if (!recent) return std::move(recent).error();
        detail.recent_messages = std::move(recent).value();
    }
    return detail;
}

core::Result<SessionStatusChange> IntegrationService::set_status(const core::Principal& caller, const std::string& id,
                                                                 const std::string& status) {
    const auto wanted = core::parse_session_status(status);
    if (!wanted) {
        return core::Error::validation("status", "status must be one of active, ended").with("value", status);
    }
    auto current = ports_.sessions.get(caller, id);
    if (!current) return std::move(current).error();
    if (current->status == *wanted) return SessionStatusChange{std::move(current).value(), false};
    if (*wanted == core::SessionStatus::kActive) {
        // Its calls, timeline and deliveries were closed with it; a new conversation is a new session.
        return core::Error::conflict(fmt::format("session {} has ended; it cannot be reopened", id))
            .with("sessionId", id);
    }
    auto ended = ports_.sessions.end(caller, id);
    if (!ended) return std::move(ended).error();
    return SessionStatusChange{std::move(ended).value(), true};
}

core::Status IntegrationService::validate(const core::Principal& caller, const IntegrationInitiate& input,
                                          Channel channel) const {
    if (input.platform) {
        const auto platform = core::parse_platform(*input.platform);
        if (!platform) {
            return core::Error::validation("platform", "platform must be one of tetrix, joromi")
                .with("value", *input.platform);
        }
        if (*platform != caller.platform) {
            // Keys are scoped to their platform: starting a conversation for the other one needs its key.
            return core::Error{core::ErrorCode::kForbidden,
                               fmt::format("this API key belongs to {}; it cannot start conversations for {}",
                                           core::to_string(caller.platform), core::to_string(*platform)),
                               {{"field", "platform"}}};
        }
    }
    if (channel == Channel::kChat) {
        if (input.to.empty() || input.to.size() > SessionService::kMaxUserIdLength) {
            return core::Error::validation("to", fmt::format("to must name the chat's user in 1 to {} characters",
                                                             SessionService::kMaxUserIdLength));
        }
    } else if (!core::is_e164(input.to)) {
        return core::Error::validation("to", "to must be an E.164 number such as +15551234567");
    }
    if (input.from && channel != Channel::kVoice) {
        return core::Error::validation("from", "from is only for voice; messages go out from the channel's sender");
    }
    if (input.enable_translation && !input.target_language) {
        return core::Error::validation("targetLanguage", "targetLanguage is required when enableTranslation is true");
    }
    if (input.target_language && !is_language_tag(*input.target_language)) {
        return core::Error::validation("targetLanguage", "targetLanguage must be a language tag such as es or pt-BR")
            .with("value", *input.target_language);
    }
    if (channel == Channel::kVoice) {
        if (input.message) {
            return core::Error::validation("message", "message is for sms, whatsapp and chat; a call follows its flow");
        }
    } else if (channel != Channel::kChat && (!input.message || input.message->empty())) {
        return core::Error::validation("message", fmt::format("message is required for {}", core::to_string(channel)));
    }
    if (input.conversation_id && !core::is_valid_id(core::kSessionIdPrefix, *input.conversation_id)) {
        return core::Error::not_found("session", *input.conversation_id);
    }
    return {};
}

core::Result<core::Session> IntegrationService::session_for(const core::Principal& caller,
                                                            const IntegrationInitiate& input, Channel channel,
                                                            bool& opened) {
    opened = false;
    if (input.conversation_id) {
        auto session = ports_.sessions.get(caller, *input.conversation_id);
        if (!session) return session;
        if (session->status != core::SessionStatus::kActive) {
            return core::Error::conflict("session " + session->id + " has ended; start a new one")
                .with("sessionId", session->id);
        }
        return session;
    }
    NewSession fresh;
    fresh.channel = std::string(core::to_string(channel));
    if (channel == Channel::kChat) {
        fresh.user_id = input.user_id.value_or(input.to);
    } else {
        fresh.phone_number = input.to;
        fresh.user_id = input.user_id;
    }
    fresh.metadata_json = integration_metadata(input);
    auto session = ports_.sessions.open(caller, std::move(fresh));
    if (session) opened = true;
    return session;
}

void IntegrationService::abandon(const core::Principal& caller, const core::Session& session, bool opened) {
    // Best effort: the request's own error is what the client needs to see.
    if (opened) (void)ports_.sessions.end(caller, session.id);
}

core::Result<IntegrationInitiated> IntegrationService::initiate(const core::Principal& caller,
                                                                IntegrationInitiate input) {
    const auto channel = core::parse_channel(input.channel);
    if (!channel) {
        return core::Error::validation("channel", "channel must be one of voice, sms, whatsapp, chat")
            .with("value", input.channel);
    }
    if (auto valid = validate(caller, input, *channel); !valid) return std::move(valid).error();
    if (*channel == Channel::kVoice && ports_.calls == nullptr) {
        return core::Error::unavailable("voice is not available in this process");
    }
    if (*channel != Channel::kVoice && ports_.messaging == nullptr) {
        return core::Error::unavailable("messaging is not available in this process");
    }

    bool opened = false;
    auto session = session_for(caller, input, *channel, opened);
    if (!session) return std::move(session).error();
    IntegrationInitiated result;
    result.channel = *channel;
    result.opened_session = opened;

    if (*channel == Channel::kVoice) {
        InitiateCall call;
        call.to = input.to;
        call.from = input.from;
        call.transcription = input.enable_transcription;
        call.session_id = session->id;
        auto placed = ports_.calls->initiate(caller, std::move(call));
        if (!placed) {
            abandon(caller, *session, opened);
            return std::move(placed).error();
        }
        result.session = std::move(placed->session);
        result.call = std::move(placed->call);
        return result;
    }

    if (input.message && !input.message->empty()) {
        OutgoingMessage outgoing;
        outgoing.text = *input.message;
        outgoing.channel = *channel;
        // The integration's system speaks, not a person: SHANGO keeps the conversation and answers the reply.
        outgoing.author = core::MessageAuthor::kSystem;
        outgoing.takes_over = false;
        auto sent = ports_.messaging->send(caller, session->id, std::move(outgoing));
        if (!sent) {
            abandon(caller, *session, opened);
            return std::move(sent).error();
        }
        result.message = std::move(sent).value();
    }
    result.session = std::move(session).value();
    return result;
}

}  // namespace crossvoice::services
