#pragma once

#include <gtest/gtest.h>

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "assistant/fts5_knowledge_index.hpp"
#include "assistant/knowledge_responder.hpp"
#include "services/assistant_metrics.hpp"
#include "services/id_generator.hpp"
#include "services/knowledge_service.hpp"
#include "services/persona_catalog.hpp"
#include "services/session_service.hpp"
#include "services/shango_service.hpp"
#include "storage/sqlite/sqlite_assistant_store.hpp"
#include "storage/sqlite/sqlite_knowledge_store.hpp"
#include "storage/sqlite/sqlite_session_store.hpp"
#include "storage/sqlite/sqlite_transcript_store.hpp"
#include "support/fake_clock.hpp"
#include "support/fake_crypto.hpp"
#include "support/test_database.hpp"

namespace crossvoice::services::testing_assistant {

inline core::Persona persona(std::string id, std::string greeting, std::vector<std::string> topics) {
    core::Persona out;
    out.id = std::move(id);
    out.name = "SHANGO";
    out.greeting = std::move(greeting);
    out.tone = "friendly";
    out.scope = "help";
    out.topics = std::move(topics);
    return out;
}

inline std::vector<core::Persona> personas_for(const std::string& platform) {
    return {persona("shango-general", "Hi, I'm SHANGO of " + platform + ". How can I help?", {"hours", "open", "help"}),
            persona("shango-technical", "Tech here.", {"not working", "error", "password", "login"}),
            persona("shango-sales", "Sales here.", {"buy", "pricing", "upgrade", "plan"}),
            persona("shango-billing", "Billing here.", {"bill", "invoice", "refund", "charge", "payment"})};
}

inline const char* kTetrixBilling = R"(# Billing
How TETRIX bills you.

## Refunds
New customers who cancel within 30 days of their first paid invoice get a full refund of the plan fees. To ask for a
refund, call the main line and press 3 for billing.

## Payment methods
TETRIX accepts Visa, Mastercard and American Express cards, and bank debit from US bank accounts.
)";

inline const char* kTetrixSupport = R"(# Support
## Support hours
Our support team is open Monday to Friday from 8 AM to 8 PM Eastern time, and Saturday from 9 AM to 5 PM.

## Password reset
To reset a forgotten password, choose Forgot password on the sign-in page; the reset link is valid for one hour.
)";

inline const char* kJoromiPlans = R"(# Plans
## Free plan
The JoRoMi Free plan includes 500 assistant messages a month and keeps chat history for 90 days.
)";

// A responder standing in for a chat model: answers, or fails, as told; remembers what it was asked.
class ScriptedResponder final : public core::ports::AssistantResponder {
  public:
    std::string_view name() const override { return "openai"; }
    core::Result<core::AssistantReply> respond(const core::AssistantRequest& request) override {
        requests.push_back(request);
        if (fail) return core::Error{core::ErrorCode::kTimeout, "the chat model did not answer in time", {}};
        core::AssistantReply reply;
        reply.text = "Model says: " + request.utterance;
        reply.persona = request.persona.id;
        reply.intent = request.intent;
        reply.confidence = 0.8;
        reply.handoff = handoff;
        reply.responder = "openai";
        for (const auto& passage : request.passages) reply.sources.push_back(passage.id);
        return reply;
    }
    bool fail = false;
    core::Handoff handoff = core::Handoff::kNone;
    std::vector<core::AssistantRequest> requests;
};

// A translator for the few sentences the tests use, in both directions between en and es.
class PhrasebookTranslator final : public core::ports::Translator {
  public:
    std::string_view name() const override { return "phrasebook"; }
    std::vector<core::ports::LanguagePair> pairs() const override { return {{"es", "en"}, {"en", "es"}}; }
    core::Result<std::string> translate(std::string_view text, std::string_view source,
                                        std::string_view target) override {
        calls.push_back(std::string(source) + ">" + std::string(target) + ":" + std::string(text));
        if (source == "es" && target == "en" && text == "como pido un reembolso")
            return std::string("how do I ask for a refund");
        if (source == "en" && target == "es") return "[es] " + std::string(text);
        return core::Error::validation("pair", "unsupported");
    }
    std::vector<std::string> calls;
};

class AssistantFixture : public ::testing::Test {
  protected:
    AssistantFixture() {
        auto catalog = PersonaCatalog::create(
            {{core::Platform::kTetrix, personas_for("TETRIX")}, {core::Platform::kJoromi, personas_for("JoRoMi")}});
        EXPECT_TRUE(catalog.ok()) << (catalog.ok() ? "" : catalog.error().message);
        personas_.emplace(std::move(catalog).value());
        index_ = std::make_unique<assistant::Fts5KnowledgeIndex>(":memory:");
        knowledge_ = std::make_unique<KnowledgeService>(knowledge_store_, *index_, clock_);
        auto loaded = knowledge_->load_files({{core::Platform::kTetrix, "billing", kTetrixBilling},
                                              {core::Platform::kTetrix, "support", kTetrixSupport},
                                              {core::Platform::kJoromi, "plans", kJoromiPlans}});
        EXPECT_TRUE(loaded.ok()) << (loaded.ok() ? "" : loaded.error().message);
        rebuild_shango();
    }

    void rebuild_shango() {
        ShangoService::Ports ports{*personas_,       *knowledge_,  responder_, model_, translator_, nullptr,
                                   assistant_store_, transcripts_, sessions_,  clock_, ids_,        metrics_};
        shango_ = std::make_unique<ShangoService>(ports, ShangoOptions{});
    }

    std::string chat_session(const core::Principal& who) {
        auto opened = shango_->open(who, {std::string("user-1"), std::nullopt, "chat"});
        EXPECT_TRUE(opened.ok()) << (opened.ok() ? "" : opened.error().message);
        return opened.ok() ? opened->session.id : std::string();
    }

    std::vector<core::TimelineMessage> timeline(const std::string& session, core::Platform platform) {
        core::ports::TimelineQuery query;
        query.platform = platform;
        query.session_id = session;
        query.limit = 200;
        auto listed = transcripts_.list(query);
        EXPECT_TRUE(listed.ok());
        return listed.ok() ? *listed : std::vector<core::TimelineMessage>{};
    }

    testing::TempDir dir_;
    std::unique_ptr<storage::SqliteDatabase> db_ = testing::open_test_database(dir_);
    storage::SqliteSessionStore session_store_{*db_};
    storage::SqliteTranscriptStore transcripts_{*db_};
    storage::SqliteKnowledgeStore knowledge_store_{*db_};
    storage::SqliteAssistantStore assistant_store_{*db_};
    testing::FakeCrypto crypto_;
    testing::FakeClock clock_;
    IdGenerator ids_{clock_, crypto_};
    SessionService sessions_{session_store_, clock_, ids_};
    std::optional<PersonaCatalog> personas_;
    std::unique_ptr<core::ports::KnowledgeIndex> index_;
    std::unique_ptr<KnowledgeService> knowledge_;
    assistant::KnowledgeResponder responder_{assistant::KnowledgeResponderOptions{}};
    ScriptedResponder* model_ = nullptr;
    PhrasebookTranslator* translator_ = nullptr;
    AssistantMetrics metrics_;
    std::unique_ptr<ShangoService> shango_;
    core::Principal tetrix_{core::Platform::kTetrix, "key_t"};
    core::Principal joromi_{core::Platform::kJoromi, "key_j"};
};

}  // namespace crossvoice::services::testing_assistant
