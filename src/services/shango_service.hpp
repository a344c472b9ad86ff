#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/api_key.hpp"
#include "core/assistant.hpp"
#include "core/clock.hpp"
#include "core/message.hpp"
#include "core/ports/assistant_responder.hpp"
#include "core/ports/assistant_store.hpp"
#include "core/ports/transcript_pipeline.hpp"
#include "core/ports/transcript_store.hpp"
#include "core/ports/translator.hpp"
#include "core/result.hpp"
#include "core/session.hpp"
#include "services/assistant_metrics.hpp"
#include "services/id_generator.hpp"
#include "services/knowledge_service.hpp"
#include "services/persona_catalog.hpp"
#include "services/session_service.hpp"

namespace crossvoice::services {

struct ShangoOptions {
    std::size_t history_messages = 12;  // recent timeline messages a responder sees
    std::size_t passages = 4;           // knowledge passages retrieved per utterance
    std::string knowledge_language = "en";
};

// Something said to SHANGO, in a call (the IVR assistant node) or a chat.
struct ShangoQuestion {
    core::Platform platform = core::Platform::kTetrix;
    std::string session_id;
    core::Channel channel = core::Channel::kChat;
    std::string text;
    std::optional<std::string> language;  // "es", "es-US"; detected when unset
    std::optional<std::string> persona;   // the persona a new conversation starts with (an IVR node's)
    std::optional<std::string> call_id;
    // The question is already on the timeline as this message (a customer's SMS, appended when it arrived):
    // SHANGO answers it without writing it again.
    std::optional<std::string> question_message_id;
};

struct ShangoAnswer {
    core::AssistantReply reply;   // text in the asker's language; empty when a person owns the conversation
    std::string language;         // of reply.text
    bool owned_by_agent = false;  // a person owns the conversation: SHANGO stayed quiet
    core::TimelineMessage question;
    std::optional<core::TimelineMessage> answer;
};

struct NewShangoSession {
    std::optional<std::string> user_id;
    std::optional<std::string> persona;  // "agentId": the SHANGO persona to start with
    std::string channel = "chat";
};

struct ShangoConversationView {
    core::Session session;
    core::ports::AssistantConversation conversation;
    std::vector<core::TimelineMessage> history;  // the newest messages, oldest first
};

// SHANGO, the assistant: picks the persona from what is said and remembers it per session, retrieves the
// platform's knowledge, asks the configured responder (a model, falling back to the knowledge base on any
// failure), applies the hand-off rules, translates for askers in another language, and puts every turn on the
// session's timeline.
class ShangoService {
  public:
    struct Ports {
        const PersonaCatalog& personas;
        KnowledgeService& knowledge;
        core::ports::AssistantResponder& knowledge_responder;
        core::ports::AssistantResponder* model = nullptr;              // OpenAI-compatible chat model, when configured
        core::ports::Translator* translator = nullptr;                 // for askers in another language
        core::ports::TranscriptPipeline* language_detector = nullptr;  // for chat text without a language
        core::ports::AssistantStore& conversations;
        core::ports::TimelineStore& timeline;
        SessionService& sessions;
        const core::Clock& clock;
        IdGenerator& ids;
        AssistantMetrics& metrics;
    };

    ShangoService(Ports ports, ShangoOptions options) : ports_(ports), options_(std::move(options)) {}

    static constexpr std::size_t kMaxMessageBytes = 4000;

    // One turn. kValidation for empty or oversized text; kNotFound for a session not on the platform.
    core::Result<ShangoAnswer> answer(const ShangoQuestion& question);

    // The chat API: a new session with SHANGO (its greeting on the timeline), one message, the conversation.
    // `language` (BCP 47), when the chatter declared one: the greeting is said in it, and live events translate the
    // staff's words into it before the chatter has written anything (as an integration's targetLanguage does).
    core::Result<ShangoConversationView> open(const core::Principal& caller, const NewShangoSession& request,
                                              const std::optional<std::string>& language = std::nullopt);
    core::Result<ShangoAnswer> chat(const core::Principal& caller, const std::string& session_id,
                                    const std::string& message);
    core::Result<ShangoConversationView> get(const core::Principal& caller, const std::string& session_id);

    // What a persona says first.
    std::string greeting(core::Platform platform, std::string_view persona) const;

  private:
    struct Understood {
        std::string language;        // ISO 639-1 of the asker's words
        std::string knowledge_text;  // the words in the knowledge base's language
    };
    Understood understand(const ShangoQuestion& question);
    core::AssistantReply respond(const core::AssistantRequest& request);
    // `text` (in the knowledge base's language) in `language`; nullopt when it is already, or no translator can.
    std::optional<std::string> localize(const std::string& text, const std::string& language);
    core::TimelineMessage message(const ShangoQuestion& question, core::MessageDirection direction,
                                  core::MessageAuthor author, std::string content, std::string language,
                                  std::string metadata_json);

    Ports ports_;
    ShangoOptions options_;
};

}  // namespace crossvoice::services
