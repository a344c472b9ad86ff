#include "services/integration_transcribe.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>

#include <nlohmann/json.hpp>

#include "services/text_language.hpp"

namespace crossvoice::services {
namespace {

using core::Channel;
using nlohmann::json;

bool blank(const std::string& text) {
    return std::all_of(text.begin(), text.end(), [](unsigned char c) { return std::isspace(c) != 0; });
}

// How many of the newest timeline messages are searched for the transcription's own: it wrote at most two, and
// only concurrent writers to the same session can have come after them.
constexpr int kTranscriptLookback = 50;

}  // namespace

core::Status IntegrationTranscribe::check(const core::Principal& caller, const IntegrationTranscribeRequest& request,
                                          std::optional<Channel>& reply_channel) {
    const auto& transcription = request.transcription;
    if (!transcription.session_id || transcription.session_id->empty()) {
        return core::Error::validation("sessionId", "sessionId is required: the session the transcript joins");
    }
    if (transcription.callback_url) {
        // The integration answers with the transcript and SHANGO's reply; a callback would leave SHANGO unasked.
        return core::Error::validation("callbackUrl", "callbackUrl is not taken here; use POST /api/voice/transcribe");
    }
    if (request.target_language) {
        if (!is_language_tag(*request.target_language)) {
            return core::Error::validation("targetLanguage",
                                           "targetLanguage must be a language tag such as es or pt-BR")
                .with("value", *request.target_language);
        }
        if (transcription.options.translate_to && *transcription.options.translate_to != *request.target_language) {
            return core::Error::validation("targetLanguage", "targetLanguage and options.translateTo disagree");
        }
    }
    if (request.reply_on) {
        const auto channel = core::parse_channel(*request.reply_on);
        if (!channel || *channel == Channel::kVoice) {
            return core::Error::validation("replyOn", "replyOn must be one of sms, whatsapp, chat")
                .with("value", *request.reply_on);
        }
        if (!request.ask_shango) {
            return core::Error::validation("replyOn", "replyOn sends SHANGO's answer: it needs askShango true");
        }
        if (ports_.messaging == nullptr) {
            return core::Error::validation("replyOn", "messaging is not configured on this service");
        }
        reply_channel = *channel;
    }

    auto session = ports_.sessions.get(caller, *transcription.session_id);
    if (!session) return std::move(session).error();
    if (session->status == core::SessionStatus::kEnded) {
        return core::Error::conflict(fmt::format("session {} has ended", session->id)).with("sessionId", session->id);
    }
    // The customer must be reachable on the reply channel before anything is heard: as MessagingService::send
    // finds them, a contact the session used on that channel, else the session's own number.
    if (reply_channel && *reply_channel != Channel::kChat) {
        auto contact = ports_.contacts.contact_of_session(session->platform, session->id, *reply_channel);
        if (!contact) return std::move(contact).error();
        const bool reachable =
            (*contact && (*contact)->first == *reply_channel) || (!*contact && session->phone_number.has_value());
        if (!reachable) {
            return core::Error::validation("replyOn", fmt::format("session {} has no {} contact to write to",
                                                                  session->id, core::to_string(*reply_channel)));
        }
    }
    return {};
}

core::Result<IntegrationTranscribed> IntegrationTranscribe::run(const core::Principal& caller,
                                                                IntegrationTranscribeRequest request) {
    std::optional<Channel> reply_channel;
    if (auto checked = check(caller, request, reply_channel); !checked) return std::move(checked).error();
    const bool translates_target = request.target_language && !request.transcription.options.translate_to;
    if (request.target_language) request.transcription.options.translate_to = request.target_language;

    IntegrationTranscribed out;
    out.session_id = *request.transcription.session_id;
    auto outcome = ports_.transcription.transcribe(caller, request.transcription);
    if (!outcome) {
        // The pipeline names its own option; the client sent targetLanguage.
        auto error = std::move(outcome).error();
        for (auto& [key, value] : error.details) {
            if (translates_target && key == "field" && (value == "translate_to" || value == "options.translateTo")) {
                value = "targetLanguage";
            }
        }
        return error;
    }
    out.transcription = std::move(outcome).value();
    if (out.transcription.queued) return out;  // long audio: the job puts the transcript on the timeline later

    // The messages the transcription wrote: what was said (SHANGO's question) and its translation.
    core::ports::TimelineQuery query;
    query.platform = caller.platform;
    query.session_id = out.session_id;
    query.limit = kTranscriptLookback;
    query.newest = true;
    auto recent = ports_.timeline.list(query);
    if (!recent) return std::move(recent).error();
    std::optional<core::TimelineMessage> said;
    for (const auto& message : *recent) {
        const auto metadata = json::parse(message.metadata_json, nullptr, false);
        if (!metadata.is_object() || metadata.value("transcriptId", std::string()) != out.transcription.transcript_id) {
            continue;
        }
        out.message_ids.push_back(message.id);
        if (message.type == core::MessageType::kTranscription) said = message;
    }

    if (!request.ask_shango || !said || blank(said->content)) return out;  // silence asks nothing
    ShangoQuestion question;
    question.platform = caller.platform;
    question.session_id = out.session_id;
    // As a chat turn: SHANGO stays quiet when a person owns the conversation, as it does for customers' messages.
    question.channel = Channel::kChat;
    question.text = said->content;
    if (said->language && !said->language->empty()) question.language = said->language;
    question.question_message_id = said->id;  // already on the timeline as the transcription
    auto answered = ports_.shango.answer(question);
    if (!answered) {
        out.errors.push_back({"shango", std::move(answered).error()});
        return out;
    }
    out.shango = std::move(answered).value();
    if (!out.shango->answer) return out;  // a person owns the conversation
    out.message_ids.push_back(out.shango->answer->id);

    // The web chat shows the answer from the timeline itself; sms and whatsapp get a copy sent to the customer.
    if (!reply_channel || *reply_channel == Channel::kChat) return out;
    OutgoingMessage reply;
    reply.text = out.shango->answer->content;
    reply.channel = reply_channel;
    reply.author = core::MessageAuthor::kAssistant;
    reply.takes_over = false;
    auto sent = ports_.messaging->send(caller, out.session_id, std::move(reply));
    if (!sent) {
        out.errors.push_back({"reply", std::move(sent).error()});
        return out;
    }
    out.message_ids.push_back(sent->id);
    out.reply = std::move(sent).value();
    return out;
}

}  // namespace crossvoice::services
