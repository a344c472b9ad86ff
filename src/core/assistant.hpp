#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/message.hpp"
#include "core/platform.hpp"
#include "core/session.hpp"

// SHANGO, the assistant: what it is asked and what it answers. The responders (knowledge base, OpenAI-compatible
// model) and the use-case that picks personas, retrieves passages and keeps the timeline all speak these types.
namespace crossvoice::core {

// Who should take the conversation after this answer.
enum class Handoff { kNone, kAgent, kChat };
std::string_view to_string(Handoff handoff);
std::optional<Handoff> parse_handoff(std::string_view text);

// One of a platform's SHANGO personas: shango-general, shango-technical, shango-sales, shango-billing.
struct Persona {
    std::string id;                   // "shango-billing"
    std::string name;                 // "SHANGO Billing"
    std::string greeting;             // said or shown when a conversation starts with it
    std::string tone;                 // for a model's system prompt: "calm, precise, reassuring"
    std::string scope;                // what it helps with, one sentence
    std::vector<std::string> topics;  // words and phrases that make an utterance this persona's (lower case)
};

// A passage of a platform's knowledge base: one heading of one document and the text under it.
struct KnowledgePassage {
    std::string id;        // "<document>#<heading-slug>", e.g. "billing#refunds"
    std::string document;  // the document's name (file stem): "billing"
    std::string heading;   // "Refunds"
    std::string text;      // the section's text, markdown stripped of its heading line
    double score = 0;      // retrieval relevance, higher is better; comparable within one query
    std::string asks;      // example questions it answers ("<!-- ask: ... -->"): for matching, never said
};

// A knowledge document as a platform keeps it: markdown, split by heading into passages when indexed.
struct KnowledgeDocument {
    Platform platform = Platform::kTetrix;
    std::string name;  // [a-z0-9-]{1,64}: the file stem under config/knowledge/<platform>/
    std::string markdown;
    std::string origin = "api";  // "file" (shipped, seeded at start) or "api"
    int version = 0;
    TimePoint updated_at{};
};

// A turn of the recent conversation, oldest first, as the responder sees it.
struct AssistantTurn {
    MessageAuthor author = MessageAuthor::kCaller;
    std::string text;
};

struct AssistantRequest {
    Platform platform = Platform::kTetrix;
    std::string session_id;
    Channel channel = Channel::kChat;
    std::string utterance;               // in English when the knowledge base is English (the use-case translates)
    std::string language = "en";         // ISO 639-1 of the caller's own words
    Persona persona;                     // chosen by the use-case from the utterance's intent and the session
    std::string intent;                  // the intent that chose it: "billing", "technical_support", "sales", "general"
    std::vector<AssistantTurn> history;  // bounded, oldest first, without this utterance
    std::vector<KnowledgePassage> passages;  // the best passages for the utterance, best first
};

// What SHANGO says. Voice answers are one or two plain sentences; chat answers may be longer.
struct AssistantReply {
    std::string text;
    std::string persona;  // the persona's id
    std::string intent;
    double confidence = 0;  // 0..1: how well the answer is grounded
    Handoff handoff = Handoff::kNone;
    bool end_conversation = false;     // the caller is done (goodbye)
    std::vector<std::string> sources;  // ids of the passages the answer used
    std::string responder;             // "knowledge-base", "openai"
};

}  // namespace crossvoice::core
