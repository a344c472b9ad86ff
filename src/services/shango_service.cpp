#include "services/shango_service.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <nlohmann/json.hpp>
#include <utility>

#include "observability/logging.hpp"
#include "services/conversation_rules.hpp"
#include "services/text_language.hpp"

namespace crossvoice::services {
namespace {

using core::Channel;
using core::Handoff;
using core::ports::AssistantConversation;
using core::ports::ConversationOwner;

bool supports(core::ports::Translator* translator, const std::string& source, const std::string& target) {
    if (translator == nullptr) return false;
    const auto pairs = translator->pairs();
    return std::any_of(pairs.begin(), pairs.end(),
                       [&](const auto& pair) { return pair.source == source && pair.target == target; });
}

std::string platform_title(core::Platform platform) {
    return platform == core::Platform::kJoromi ? "JoRoMi" : "TETRIX";
}

core::AssistantReply rule_reply(const core::AssistantRequest& request, ConversationCue cue) {
    core::AssistantReply reply;
    reply.persona = request.persona.id;
    reply.intent = request.intent;
    reply.confidence = 1.0;
    reply.responder = "rules";
    const bool voice = request.channel == Channel::kVoice;
    switch (cue) {
        case ConversationCue::kWantsPerson:
            reply.handoff = Handoff::kAgent;
            reply.intent = "agent_request";
            reply.text = voice ? "Of course. I'll connect you with a person now."
                               : "Of course. I've asked a member of our team to take over; they'll reply here.";
            break;
        case ConversationCue::kWantsChat:
            reply.handoff = Handoff::kChat;
            reply.intent = "chat_request";
            reply.text = "Sure. I'll continue with you by text message.";
            break;
        case ConversationCue::kGoodbye:
            reply.end_conversation = true;
            reply.intent = "goodbye";
            reply.text = fmt::format("Thank you for contacting {}. Goodbye.", platform_title(request.platform));
            break;
        case ConversationCue::kNone: break;
    }
    return reply;
}

std::string reply_metadata(const core::AssistantReply& reply, const std::optional<std::string>& original,
                           const std::optional<std::string>& call_id) {
    nlohmann::json metadata{{"persona", reply.persona},
                            {"intent", reply.intent},
                            {"confidence", reply.confidence},
                            {"handoff", core::to_string(reply.handoff)},
                            {"endConversation", reply.end_conversation},
                            {"sources", reply.sources},
                            {"responder", reply.responder}};
    if (original) metadata["originalText"] = *original;
    if (call_id) metadata["callId"] = *call_id;
    return metadata.dump();
}

}  // namespace

std::string ShangoService::greeting(core::Platform platform, std::string_view persona) const {
    return ports_.personas.find(platform, persona).greeting;
}

ShangoService::Understood ShangoService::understand(const ShangoQuestion& question) {
    Understood out;
    out.knowledge_text = question.text;
    if (question.language) out.language = base_language(*question.language);
    if (out.language.empty() && ports_.language_detector != nullptr) {
        if (auto detected = detect_confident_language(*ports_.language_detector, question.text)) {
            out.language = std::move(*detected);
        }
    }
    if (out.language.empty()) out.language = options_.knowledge_language;
    if (out.language != options_.knowledge_language &&
        supports(ports_.translator, out.language, options_.knowledge_language)) {
        auto translated = ports_.translator->translate(question.text, out.language, options_.knowledge_language);
        if (translated) {
            out.knowledge_text = std::move(translated).value();
        } else {
            observability::logger("assistant")
                ->warn("translation {}->{} failed: {}", out.language, options_.knowledge_language,
                       translated.error().message);
        }
    }
    return out;
}

std::optional<std::string> ShangoService::localize(const std::string& text, const std::string& language) {
    if (language == options_.knowledge_language || text.empty()) return std::nullopt;
    if (!supports(ports_.translator, options_.knowledge_language, language)) return std::nullopt;
    auto translated = ports_.translator->translate(text, options_.knowledge_language, language);
    if (!translated) {
        observability::logger("assistant")
            ->warn("translation {}->{} failed: {}", options_.knowledge_language, language, translated.error().message);
        return std::nullopt;
    }
    return std::move(translated).value();
}

core::AssistantReply ShangoService::respond(const core::AssistantRequest& request) {
    if (ports_.model != nullptr) {
        auto answered = ports_.model->respond(request);
        if (answered) {
            ports_.metrics.answers_model.add();
            return std::move(answered).value();
        }
        ports_.metrics.model_fallbacks.add();
        observability::logger("assistant")
            ->warn("chat model '{}' failed ({}: {}); answering from the knowledge base", ports_.model->name(),
                   core::to_string(answered.error().code), answered.error().message);
    }
    auto answered = ports_.knowledge_responder.respond(request);
    ports_.metrics.answers_knowledge_base.add();
    if (answered) return std::move(answered).value();
    // The knowledge-base responder does not fail on a well-formed request; if it ever does, a person helps.
    core::AssistantReply reply;
    reply.text = "I'm sorry, I can't answer that right now. Let me connect you with a person.";
    reply.persona = request.persona.id;
    reply.intent = request.intent;
    reply.handoff = Handoff::kAgent;
    reply.responder = "none";
    return reply;
}

core::TimelineMessage ShangoService::message(const ShangoQuestion& question, core::MessageDirection direction,
                                             core::MessageAuthor author, std::string content, std::string language,
                                             std::string metadata_json) {
    core::TimelineMessage out;
    out.id = ports_.ids.next(core::kMessageIdPrefix);
    out.session_id = question.session_id;
    out.platform = question.platform;
    out.channel = question.channel;
    out.direction = direction;
    out.author = author;
    out.type = question.channel == Channel::kVoice ? core::MessageType::kVoice : core::MessageType::kText;
    out.content = std::move(content);
    out.language = std::move(language);
    // An answer to a customer's SMS or WhatsApp message is pending until the vendor takes it; the web chat, the
    // chat API (whose caller shows the answer itself) and calls have it at once.
    const bool through_vendor = question.question_message_id.has_value() &&
                                (question.channel == Channel::kSms || question.channel == Channel::kWhatsapp);
    out.status = direction == core::MessageDirection::kInbound ? core::MessageStatus::kDelivered
                 : through_vendor                              ? core::MessageStatus::kPending
                                                               : core::MessageStatus::kSent;
    out.created_at = ports_.clock.now();
    out.metadata_json = std::move(metadata_json);
    return out;
}

core::Result<ShangoAnswer> ShangoService::answer(const ShangoQuestion& question) {
    const auto started = std::chrono::steady_clock::now();
    const auto blank =
        std::all_of(question.text.begin(), question.text.end(), [](unsigned char c) { return std::isspace(c) != 0; });
    if (blank) return core::Error::validation("message", "the message is empty");
    if (question.text.size() > kMaxMessageBytes) {
        return core::Error::validation("message", fmt::format("a message is at most {} bytes", kMaxMessageBytes));
    }

    auto stored = ports_.conversations.find(question.platform, question.session_id);
    if (!stored) return std::move(stored).error();
    AssistantConversation conversation;
    if (*stored) {
        conversation = std::move(**stored);
    } else {
        conversation.session_id = question.session_id;
        conversation.platform = question.platform;
        conversation.persona = std::string(kDefaultPersona);
    }
    if (question.persona && ports_.personas.has(question.platform, *question.persona) &&
        (!*stored || question.channel == Channel::kVoice)) {
        conversation.persona = *question.persona;  // an IVR node names who answers on its line
    }

    const auto understood = understand(question);
    ShangoAnswer out;
    out.language = understood.language;
    nlohmann::json question_metadata{{"to", "shango"}};
    if (understood.knowledge_text != question.text) question_metadata["translation"] = understood.knowledge_text;
    if (question.call_id) question_metadata["callId"] = *question.call_id;
    out.question = message(question, core::MessageDirection::kInbound, core::MessageAuthor::kCaller, question.text,
                           understood.language, question_metadata.dump());
    std::vector<core::TimelineMessage> asked{out.question};
    if (question.question_message_id) {
        out.question.id = *question.question_message_id;
        asked.clear();
    }

    // A person owns a chat after a hand-off: SHANGO keeps the record but does not answer over them.
    if (conversation.owner == ConversationOwner::kAgent && question.channel != Channel::kVoice) {
        out.owned_by_agent = true;
        out.reply.persona = conversation.persona;
        out.reply.handoff = Handoff::kAgent;
        out.reply.responder = "none";
        conversation.updated_at = ports_.clock.now();
        if (auto saved = ports_.conversations.save_turn(conversation, asked); !saved) {
            return std::move(saved).error();
        }
        return out;
    }

    core::ports::TimelineQuery recent;
    recent.platform = question.platform;
    recent.session_id = question.session_id;
    recent.limit = static_cast<int>(options_.history_messages);
    recent.newest = true;
    auto history = ports_.timeline.list(recent);
    if (!history) return std::move(history).error();

    // The persona: the one whose topics the words name most, unless the current one is named as much.
    const auto& personas = ports_.personas.personas(question.platform);
    const auto& current = ports_.personas.find(question.platform, conversation.persona);
    const auto named = match_persona(personas, understood.knowledge_text);
    if (named && named->persona->id != current.id) {
        const auto current_hits = match_persona({current}, understood.knowledge_text);
        if (!current_hits || current_hits->hits < named->hits) conversation.persona = named->persona->id;
    }
    const auto& persona = ports_.personas.find(question.platform, conversation.persona);

    core::AssistantRequest request;
    request.platform = question.platform;
    request.session_id = question.session_id;
    request.channel = question.channel;
    request.utterance = understood.knowledge_text;
    request.language = understood.language;
    request.persona = persona;
    request.intent = named ? intent_of_persona(named->persona->id) : intent_of_persona(persona.id);
    for (const auto& earlier : *history) {
        if (earlier.type == core::MessageType::kEvent || earlier.type == core::MessageType::kTranslation) continue;
        if (earlier.id == out.question.id) continue;  // the utterance itself, already on the timeline
        request.history.push_back({earlier.author, earlier.content});
    }

    core::AssistantReply reply;
    const auto cue = conversation_cue(understood.knowledge_text);
    const bool rule_applies = cue == ConversationCue::kWantsPerson || cue == ConversationCue::kGoodbye ||
                              (cue == ConversationCue::kWantsChat && question.channel == Channel::kVoice);
    if (rule_applies) {
        reply = rule_reply(request, cue);
    } else {
        auto passages = ports_.knowledge.search(question.platform, understood.knowledge_text, options_.passages);
        if (!passages) return std::move(passages).error();
        request.passages = std::move(passages).value();
        reply = respond(request);
    }
    if (reply.persona.empty()) reply.persona = persona.id;

    // Said in the asker's language when a translator can; otherwise in the knowledge base's, and marked so.
    std::optional<std::string> original;
    out.language = options_.knowledge_language;
    if (auto spoken = localize(reply.text, understood.language)) {
        original = std::exchange(reply.text, std::move(*spoken));
        out.language = understood.language;
    }

    if (reply.handoff == Handoff::kAgent) ports_.metrics.handoffs_agent.add();
    if (reply.handoff == Handoff::kChat) ports_.metrics.handoffs_chat.add();
    if (reply.handoff == Handoff::kAgent && question.channel != Channel::kVoice) {
        conversation.owner = ConversationOwner::kAgent;
    }
    ++conversation.turns;
    conversation.updated_at = ports_.clock.now();
    out.answer = message(question, core::MessageDirection::kOutbound, core::MessageAuthor::kAssistant, reply.text,
                         out.language, reply_metadata(reply, original, question.call_id));
    asked.push_back(*out.answer);
    if (auto saved = ports_.conversations.save_turn(conversation, asked); !saved) {
        return std::move(saved).error();
    }
    out.reply = std::move(reply);
    const auto elapsed =
        std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now() - started);
    ports_.metrics.answer_seconds.observe_us(static_cast<std::uint64_t>(elapsed.count()));
    return out;
}

core::Result<ShangoConversationView> ShangoService::open(const core::Principal& caller, const NewShangoSession& request,
                                                         const std::optional<std::string>& language) {
    const auto channel = core::parse_channel(request.channel);
    if (!channel || *channel == Channel::kVoice) {
        return core::Error::validation("channel", "channel must be one of chat, sms, whatsapp");
    }
    if (request.persona && !ports_.personas.has(caller.platform, *request.persona)) {
        return core::Error::validation("agentId",
                                       "agentId must be a SHANGO persona: shango-general, shango-technical, "
                                       "shango-sales or shango-billing");
    }
    NewSession session_request;
    session_request.channel = request.channel;
    session_request.user_id = request.user_id;
    nlohmann::json metadata{{"assistant", "shango"}};
    if (language) {
        if (!is_language_tag(*language)) {
            return core::Error::validation("language", "language must be a language tag such as es or pt-BR")
                .with("value", *language);
        }
        metadata["integration"] = {{"enableTranslation", true}, {"targetLanguage", *language}};
    }
    session_request.metadata_json = metadata.dump();
    auto session = ports_.sessions.open(caller, std::move(session_request));
    if (!session) return std::move(session).error();

    AssistantConversation conversation;
    conversation.session_id = session->id;
    conversation.platform = caller.platform;
    conversation.persona = request.persona.value_or(std::string(kDefaultPersona));
    conversation.updated_at = ports_.clock.now();
    ShangoQuestion context;
    context.platform = caller.platform;
    context.session_id = session->id;
    context.channel = *channel;
    const auto& persona = ports_.personas.find(caller.platform, conversation.persona);
    std::string greeting_text = persona.greeting;
    std::string greeting_language = options_.knowledge_language;
    if (language) {
        const std::string wanted = language->substr(0, language->find('-'));
        if (auto spoken = localize(greeting_text, wanted)) {
            greeting_text = std::move(*spoken);
            greeting_language = wanted;
        }
    }
    auto hello =
        message(context, core::MessageDirection::kOutbound, core::MessageAuthor::kAssistant, std::move(greeting_text),
                std::move(greeting_language),
                nlohmann::json{{"persona", persona.id}, {"intent", "greeting"}, {"responder", "rules"}}.dump());
    if (auto saved = ports_.conversations.save_turn(conversation, {hello}); !saved) return std::move(saved).error();
    return ShangoConversationView{std::move(session).value(), std::move(conversation), {std::move(hello)}};
}

core::Result<ShangoAnswer> ShangoService::chat(const core::Principal& caller, const std::string& session_id,
                                               const std::string& message_text) {
    auto session = ports_.sessions.get(caller, session_id);
    if (!session) return std::move(session).error();
    if (session->status == core::SessionStatus::kEnded) {
        return core::Error::conflict(fmt::format("session {} has ended", session_id));
    }
    ShangoQuestion question;
    question.platform = session->platform;
    question.session_id = session_id;
    question.channel = session->channel;
    question.text = message_text;
    return answer(question);
}

core::Result<ShangoConversationView> ShangoService::get(const core::Principal& caller, const std::string& session_id) {
    auto session = ports_.sessions.get(caller, session_id);
    if (!session) return std::move(session).error();
    auto conversation = ports_.conversations.find(session->platform, session_id);
    if (!conversation) return std::move(conversation).error();
    if (!*conversation) return core::Error::not_found("SHANGO session", session_id);
    core::ports::TimelineQuery recent;
    recent.platform = session->platform;
    recent.session_id = session_id;
    recent.limit = 200;
    recent.newest = true;
    auto history = ports_.timeline.list(recent);
    if (!history) return std::move(history).error();
    return ShangoConversationView{std::move(session).value(), std::move(**conversation), std::move(history).value()};
}

}  // namespace crossvoice::services
