#include "services/messaging_service.hpp"

#include <gtest/gtest.h>

#include <mutex>
#include <thread>
#include <vector>

#include <nlohmann/json.hpp>

#include "assistant_fixture.hpp"
#include "services/callback_service.hpp"
#include "sinch/sinch_webhooks.hpp"
#include "sinch/webhook_signature.hpp"
#include "storage/sqlite/sqlite_job_queue.hpp"
#include "storage/sqlite/sqlite_message_store.hpp"
#include "storage/sqlite/sqlite_replay_guard.hpp"
#include "support/error_detail.hpp"

namespace crossvoice::services::testing_assistant {
namespace {

using core::Channel;
using core::MessageStatus;

// Records what it was asked to send and answers as scripted (default: accepted, with an id of its own).
class RecordingSender final : public core::ports::ChannelSender {
  public:
    explicit RecordingSender(std::string vendor) : vendor_(std::move(vendor)) {}
    core::Result<core::ports::SentMessage> send(const core::ports::OutboundMessage& message) override {
        std::lock_guard lock(mutex_);
        sent.push_back(message);
        if (!errors.empty()) {
            auto error = errors.front();
            errors.erase(errors.begin());
            return error;
        }
        return core::ports::SentMessage{vendor_, vendor_ + "-" + std::to_string(sent.size())};
    }
    std::vector<core::ports::OutboundMessage> sent;
    std::vector<core::Error> errors;

  private:
    std::string vendor_;
    std::mutex mutex_;
};

class RecordingLive final : public core::ports::LiveEventSink {
  public:
    void publish(core::ports::LiveEvent event) override {
        std::lock_guard lock(mutex_);
        events.push_back(std::move(event));
    }
    std::vector<std::string> types() {
        std::lock_guard lock(mutex_);
        std::vector<std::string> out;
        for (const auto& event : events) out.push_back(event.type);
        return out;
    }
    std::vector<core::ports::LiveEvent> events;

  private:
    std::mutex mutex_;
};

class MessagingServiceTest : public AssistantFixture {
  protected:
    static constexpr const char* kCustomer = "+12025550111";

    core::ChannelEvent inbound(std::string id, std::string text, Channel channel = Channel::kSms,
                               std::string contact = kCustomer) {
        core::ChannelEvent event;
        event.kind = core::ChannelEventKind::kMessage;
        event.vendor = "sinch";
        event.event_id = "sinch:msg:" + id;
        event.channel = channel;
        event.vendor_channel = channel == Channel::kWhatsapp ? "WHATSAPP" : "SMS";
        event.contact = std::move(contact);
        event.our_identity = "app-tetrix";
        event.text = std::move(text);
        event.vendor_message_id = id;
        return event;
    }

    core::ChannelEvent report(const std::string& vendor_id, MessageStatus status, std::string event_suffix = "") {
        core::ChannelEvent event;
        event.kind = core::ChannelEventKind::kDelivery;
        event.vendor = "sinch";
        event.event_id = "sinch:dlr:" + vendor_id + ":" + std::string(core::to_string(status)) + event_suffix;
        event.vendor_message_id = vendor_id;
        event.status = status;
        if (status == MessageStatus::kFailed) event.failure_reason = "63: blocked by the carrier";
        return event;
    }

    core::Job job(const std::string& dedupe_key) {
        auto found = jobs_.find_by_dedupe_key(dedupe_key);
        EXPECT_TRUE(found.ok() && found->has_value()) << "no job " << dedupe_key;
        return found.ok() && found->has_value() ? **found : core::Job{};
    }

    bool has_job(const std::string& dedupe_key) {
        auto found = jobs_.find_by_dedupe_key(dedupe_key);
        return found.ok() && found->has_value();
    }

    // A customer's first message, answered by SHANGO and sent: returns the session id.
    std::string conversation_with_shango() {
        auto received = messaging_.receive(inbound("m1", "How do I get a refund?"));
        EXPECT_TRUE(received.ok()) << received.error().message;
        EXPECT_TRUE(messaging_.run_assistant_job(job("assistant:" + *received->message_id)).ok());
        return *received->session_id;
    }

    storage::SqliteMessageStore message_store_{*db_};
    storage::SqliteReplayGuard replay_{*db_};
    storage::SqliteJobQueue queue_{*db_};
    JobRunner jobs_{queue_, clock_, ids_, crypto_};
    RecordingSender sms_{"sinch"};
    RecordingSender chat_{"webchat"};
    RecordingLive live_;
    sinch::SinchWebhooks sinch_{std::string("s3cret"), clock_};
    MessagingSettings settings_{[](const core::ChannelEvent& event) -> std::optional<core::Platform> {
                                    if (event.our_identity == "app-tetrix") return core::Platform::kTetrix;
                                    return std::nullopt;
                                },
                                4096};
    MessagingService messaging_{{message_store_, assistant_store_, replay_, sessions_, *shango_, jobs_,
                                 ChannelSenders{&sms_, &sms_, &chat_}, &live_, &sinch_, clock_, ids_},
                                settings_};
};

TEST_F(MessagingServiceTest, ACustomersTextOpensASessionAndShangosAnswerGoesBackOnTheSameChannel) {
    auto received = messaging_.receive(inbound("m1", "How do I get a refund?"));
    ASSERT_TRUE(received.ok()) << received.error().message;
    ASSERT_TRUE(received->session_id.has_value());
    auto session = sessions_.get(tetrix_, *received->session_id);
    ASSERT_TRUE(session.ok());
    EXPECT_EQ(session->channel, Channel::kSms);
    EXPECT_EQ(session->phone_number, kCustomer);

    ASSERT_TRUE(messaging_.run_assistant_job(job("assistant:" + *received->message_id)).ok());
    auto messages = timeline(*received->session_id, core::Platform::kTetrix);
    ASSERT_EQ(messages.size(), 2u);
    EXPECT_EQ(messages[0].content, "How do I get a refund?");
    EXPECT_EQ(messages[0].author, core::MessageAuthor::kCaller);
    EXPECT_EQ(messages[1].author, core::MessageAuthor::kAssistant);
    EXPECT_EQ(messages[1].channel, Channel::kSms);
    EXPECT_EQ(messages[1].status, MessageStatus::kPending) << "not sent yet";
    EXPECT_NE(messages[1].content.find("30 days"), std::string::npos) << messages[1].content;

    ASSERT_TRUE(messaging_.run_send_job(job("send:" + messages[1].id)).ok());
    ASSERT_EQ(sms_.sent.size(), 1u);
    EXPECT_EQ(sms_.sent[0].to, kCustomer);
    EXPECT_EQ(sms_.sent[0].channel, Channel::kSms);
    EXPECT_EQ(sms_.sent[0].message_id, messages[1].id);
    EXPECT_EQ(sms_.sent[0].text, messages[1].content);
    EXPECT_EQ(timeline(*received->session_id, core::Platform::kTetrix)[1].status, MessageStatus::kSent);

    // A re-run of the job (a worker died after the vendor took it) sends nothing twice.
    ASSERT_TRUE(messaging_.run_send_job(job("send:" + messages[1].id)).ok());
    EXPECT_EQ(sms_.sent.size(), 1u);

    auto delivered = messaging_.receive(report("sinch-1", MessageStatus::kDelivered));
    ASSERT_TRUE(delivered.ok());
    EXPECT_EQ(delivered->message_id, messages[1].id);
    EXPECT_EQ(timeline(*received->session_id, core::Platform::kTetrix)[1].status, MessageStatus::kDelivered);
    auto repeated = messaging_.receive(report("sinch-1", MessageStatus::kDelivered));
    ASSERT_TRUE(repeated.ok());
    EXPECT_TRUE(repeated->duplicate);

    // Messages and their statuses reach the live events through the store's log (migration 8), in the same
    // transaction; the service announces only what has no row of its own.
    const auto types = live_.types();
    EXPECT_EQ(std::count(types.begin(), types.end(), "message"), 0);
    EXPECT_EQ(std::count(types.begin(), types.end(), "message.status"), 0);
}

// Each message appended and each status a message moved to, counted once: a repeated report changes nothing.
TEST_F(MessagingServiceTest, MessagesAndStatusChangesAreCountedByChannel) {
    MessagingMetrics metrics;
    messaging_.set_metrics(&metrics);
    auto received = messaging_.receive(inbound("m1", "How do I get a refund?"));
    ASSERT_TRUE(received.ok()) << received.error().message;
    ASSERT_TRUE(messaging_.run_assistant_job(job("assistant:" + *received->message_id)).ok());
    const auto answer = timeline(*received->session_id, core::Platform::kTetrix).at(1);
    ASSERT_TRUE(messaging_.run_send_job(job("send:" + answer.id)).ok());
    ASSERT_TRUE(messaging_.receive(report("sinch-1", MessageStatus::kDelivered)).ok());
    ASSERT_TRUE(messaging_.receive(report("sinch-1", MessageStatus::kDelivered, ":again")).ok());
    std::string out;
    metrics.render(out);
    for (const std::string line : {"crossvoice_messages_total{channel=\"sms\",direction=\"inbound\"} 1\n",
                                   "crossvoice_messages_total{channel=\"sms\",direction=\"outbound\"} 1\n",
                                   "crossvoice_message_status_total{channel=\"sms\",status=\"sent\"} 1\n",
                                   "crossvoice_message_status_total{channel=\"sms\",status=\"delivered\"} 1\n",
                                   "crossvoice_message_status_total{channel=\"sms\",status=\"failed\"} 0\n"}) {
        EXPECT_NE(out.find(line), std::string::npos) << line << out;
    }
}

TEST_F(MessagingServiceTest, ACustomerWhoAsksToBeCalledGetsACallBackJobInsteadOfAnAnswer) {
    auto received = messaging_.receive(inbound("m1", "Can you call me back please?"));
    ASSERT_TRUE(received.ok()) << received.error().message;
    const auto callback = job("callback:" + *received->message_id);
    EXPECT_EQ(callback.kind, std::string(kCallbackJob));
    const auto payload = nlohmann::json::parse(callback.payload_json);
    EXPECT_EQ(payload["sessionId"], *received->session_id);
    EXPECT_EQ(payload["to"], kCustomer);
    EXPECT_EQ(payload["platform"], "tetrix");
    EXPECT_FALSE(has_job("assistant:" + *received->message_id)) << "the call is the answer";
    // In the web chat there is no number to call: SHANGO answers as usual.
    auto web = messaging_.receive(inbound("m2", "call me", Channel::kChat, "visitor-7"));
    ASSERT_TRUE(web.ok()) << web.error().message;
    EXPECT_FALSE(has_job("callback:" + *web->message_id));
}

TEST_F(MessagingServiceTest, ACallerContinuingByTextIsHandedToTheAgents) {
    // A caller's session, as the IVR opens it.
    const core::Principal ivr{core::Platform::kTetrix, "ivr"};
    auto call_session = sessions_.open(ivr, NewSession{"voice", std::string(kCustomer), std::nullopt, "{}"});
    ASSERT_TRUE(call_session.ok()) << call_session.error().message;

    auto sent =
        messaging_.continue_by_text(ivr, call_session->id, Channel::kSms, "Reply here to keep talking with us.");
    ASSERT_TRUE(sent.ok()) << sent.error().message;
    EXPECT_EQ(sent->author, core::MessageAuthor::kSystem);
    auto reply = messaging_.receive(inbound("m1", "Thanks, my order is late"));
    ASSERT_TRUE(reply.ok()) << reply.error().message;
    EXPECT_EQ(reply->session_id, call_session->id) << "the text continues the call's session";
    EXPECT_FALSE(has_job("assistant:" + *reply->message_id)) << "the agents answer, not SHANGO";
}

TEST_F(MessagingServiceTest, ARepeatedCallbackAppendsNothingAndQueuesNoSecondAnswer) {
    auto first = messaging_.receive(inbound("m1", "Hello"));
    ASSERT_TRUE(first.ok());
    auto again = messaging_.receive(inbound("m1", "Hello"));
    ASSERT_TRUE(again.ok());
    EXPECT_TRUE(again->duplicate);
    EXPECT_EQ(timeline(*first->session_id, core::Platform::kTetrix).size(), 1u);
}

TEST_F(MessagingServiceTest, MessagesNoPlatformTakesOrWithNothingInThemAreRefused) {
    auto stranger = inbound("m1", "Hello");
    stranger.our_identity = "app-unknown";
    auto refused = messaging_.receive(stranger);
    ASSERT_FALSE(refused.ok());
    EXPECT_EQ(refused.error().code, core::ErrorCode::kValidation);
    EXPECT_NE(refused.error().message.find("app-unknown"), std::string::npos);
    auto empty = messaging_.receive(inbound("m2", "   "));
    ASSERT_FALSE(empty.ok());
    EXPECT_EQ(testing::detail(empty.error(), "field"), "message");
}

TEST_F(MessagingServiceTest, AnAgentsReplyTakesTheConversationAndShangoThenStaysQuiet) {
    const auto session = conversation_with_shango();
    OutgoingMessage reply;
    reply.text = "Hi, this is Ana from billing. Let me look at your account.";
    reply.agent_id = "ana";
    auto sent = messaging_.send(tetrix_, session, reply);
    ASSERT_TRUE(sent.ok()) << sent.error().message;
    EXPECT_EQ(sent->channel, Channel::kSms);
    EXPECT_EQ(sent->status, MessageStatus::kPending);
    auto conversation = assistant_store_.find(core::Platform::kTetrix, session);
    ASSERT_TRUE(conversation.ok() && conversation->has_value());
    EXPECT_EQ((*conversation)->owner, core::ports::ConversationOwner::kAgent);
    EXPECT_EQ((*conversation)->agent_id, "ana");
    ASSERT_TRUE(messaging_.run_send_job(job("send:" + sent->id)).ok());
    EXPECT_EQ(sms_.sent.back().text, reply.text);
    EXPECT_EQ(sms_.sent.back().to, kCustomer);

    auto next = messaging_.receive(inbound("m2", "Thanks Ana"));
    ASSERT_TRUE(next.ok());
    EXPECT_EQ(next->session_id, session);
    EXPECT_FALSE(has_job("assistant:" + *next->message_id)) << "a person owns it: SHANGO does not answer";

    // Handed back, SHANGO answers again.
    ASSERT_TRUE(messaging_.set_owner(tetrix_, session, core::ports::ConversationOwner::kAssistant, std::nullopt).ok());
    auto later = messaging_.receive(inbound("m3", "What are your support hours?"));
    ASSERT_TRUE(later.ok());
    EXPECT_TRUE(has_job("assistant:" + *later->message_id));
    auto messages = timeline(session, core::Platform::kTetrix);
    std::vector<std::string> events;
    for (const auto& message : messages) {
        if (message.type == core::MessageType::kEvent) events.push_back(message.content);
    }
    EXPECT_EQ(events, (std::vector<std::string>{"A person took over the conversation.",
                                                "The conversation was handed back to SHANGO."}));
}

TEST_F(MessagingServiceTest, SendingRefusesWhatCannotBeDeliveredAndWritesNothing) {
    const auto session = conversation_with_shango();
    const auto before = timeline(session, core::Platform::kTetrix).size();
    OutgoingMessage empty;
    empty.text = " ";
    EXPECT_EQ(testing::detail(messaging_.send(tetrix_, session, empty).error(), "field"), "message");
    OutgoingMessage huge;
    huge.text = std::string(4097, 'a');
    EXPECT_EQ(testing::detail(messaging_.send(tetrix_, session, huge).error(), "field"), "message");
    OutgoingMessage voice;
    voice.text = "hi";
    voice.channel = Channel::kVoice;
    EXPECT_EQ(testing::detail(messaging_.send(tetrix_, session, voice).error(), "field"), "channel");
    OutgoingMessage fine;
    fine.text = "hi";
    EXPECT_EQ(messaging_.send(joromi_, session, fine).error().code, core::ErrorCode::kNotFound);
    EXPECT_EQ(timeline(session, core::Platform::kTetrix).size(), before);

    // A chat session without a phone number has no SMS contact.
    const auto chat = chat_session(tetrix_);
    OutgoingMessage sms;
    sms.text = "hi";
    sms.channel = Channel::kSms;
    auto refused = messaging_.send(tetrix_, chat, sms);
    ASSERT_FALSE(refused.ok());
    EXPECT_EQ(testing::detail(refused.error(), "field"), "channel");

    ASSERT_TRUE(sessions_.end(tetrix_, session).ok());
    EXPECT_EQ(messaging_.send(tetrix_, session, fine).error().code, core::ErrorCode::kConflict);
}

TEST_F(MessagingServiceTest, TheWebChatIsAnsweredOnTheTimelineWithoutAVendor) {
    const auto chat = chat_session(tetrix_);
    OutgoingMessage reply;
    reply.text = "An agent here: how can I help?";
    auto sent = messaging_.send(tetrix_, chat, reply);
    ASSERT_TRUE(sent.ok()) << sent.error().message;
    EXPECT_EQ(sent->channel, Channel::kChat);
    ASSERT_TRUE(messaging_.run_send_job(job("send:" + sent->id)).ok());
    ASSERT_EQ(chat_.sent.size(), 1u);
    EXPECT_EQ(chat_.sent[0].to, chat) << "the web chat's address is the conversation";
    EXPECT_EQ(timeline(chat, core::Platform::kTetrix).back().status, MessageStatus::kDelivered);
}

TEST_F(MessagingServiceTest, AVendorRefusalFailsTheMessageAtOnceAndAnOutageIsRetriedUntilTheLastAttempt) {
    const auto session = conversation_with_shango();
    OutgoingMessage reply;
    reply.text = "One moment please.";
    auto refused_message = messaging_.send(tetrix_, session, reply);
    ASSERT_TRUE(refused_message.ok());
    sms_.errors.push_back(core::Error::validation("recipient", "not a WhatsApp user"));
    auto refused = messaging_.run_send_job(job("send:" + refused_message->id));
    ASSERT_FALSE(refused.ok());
    EXPECT_TRUE(is_final(refused.error())) << "no retry can cure a refusal";
    auto messages = timeline(session, core::Platform::kTetrix);
    EXPECT_EQ(messages.back().status, MessageStatus::kFailed);
    EXPECT_NE(messages.back().metadata_json.find("not a WhatsApp user"), std::string::npos);

    auto retried_message = messaging_.send(tetrix_, session, reply);
    ASSERT_TRUE(retried_message.ok());
    auto retried = job("send:" + retried_message->id);
    retried.attempts = 1;
    sms_.errors.push_back(core::Error::unavailable("Sinch did not answer"));
    auto outage = messaging_.run_send_job(retried);
    ASSERT_FALSE(outage.ok());
    EXPECT_FALSE(is_final(outage.error()));
    EXPECT_EQ(timeline(session, core::Platform::kTetrix).back().status, MessageStatus::kPending);
    retried.attempts = retried.max_attempts;
    sms_.errors.push_back(core::Error::unavailable("Sinch did not answer"));
    ASSERT_FALSE(messaging_.run_send_job(retried).ok());
    EXPECT_EQ(timeline(session, core::Platform::kTetrix).back().status, MessageStatus::kFailed);
}

TEST_F(MessagingServiceTest, TypingIsALiveEventOnTheContactsSession) {
    core::ChannelEvent typing;
    typing.kind = core::ChannelEventKind::kTyping;
    typing.vendor = "sinch";
    typing.event_id = "sinch:evt:c1:1";
    typing.channel = Channel::kSms;
    typing.contact = kCustomer;
    typing.our_identity = "app-tetrix";
    auto early = messaging_.receive(typing);
    ASSERT_TRUE(early.ok());
    EXPECT_FALSE(early->session_id.has_value()) << "no session yet: nothing to show";

    const auto session = conversation_with_shango();
    typing.event_id = "sinch:evt:c1:2";
    auto shown = messaging_.receive(typing);
    ASSERT_TRUE(shown.ok());
    EXPECT_EQ(shown->session_id, session);
    EXPECT_EQ(live_.types().back(), "typing");
    EXPECT_TRUE(messaging_.receive(typing)->duplicate);
}

TEST_F(MessagingServiceTest, ASignedSinchCallbackIsAcceptedOnceAndItsReplayIsRefused) {
    const std::string body =
        R"({"app_id":"app-tetrix","accepted_time":"2026-09-21T10:00:00Z","event_time":"2026-09-21T10:00:00Z",)"
        R"("message":{"id":"m-9","direction":"TO_APP","contact_message":{"text_message":)"
        R"({"text":"Hello"}},"channel_identity":{"channel":"SMS","identity":"+12025550111"}}})";
    const auto timestamp = std::to_string(core::to_unix_ms(clock_.now()) / 1000);
    const auto signature = sinch::callback_signature("s3cret", body, "nonce-1", timestamp);
    const core::ports::ChannelDelivery delivery{signature, std::string_view("nonce-1"), timestamp,
                                                std::string_view("HmacSHA256"), body};
    auto accepted = messaging_.accept_sinch(delivery);
    ASSERT_TRUE(accepted.ok()) << accepted.error().message;
    ASSERT_TRUE(accepted->session_id.has_value());
    auto replayed = messaging_.accept_sinch(delivery);
    ASSERT_FALSE(replayed.ok());
    EXPECT_EQ(replayed.error().code, core::ErrorCode::kUnauthorized);
    EXPECT_EQ(testing::detail(replayed.error(), "reason"), "replayed_nonce");
    auto forged = delivery;
    forged.nonce = std::string_view("nonce-2");  // the signature no longer matches
    EXPECT_EQ(messaging_.accept_sinch(forged).error().code, core::ErrorCode::kUnauthorized);
    EXPECT_EQ(timeline(*accepted->session_id, core::Platform::kTetrix).size(), 1u);
}

TEST_F(MessagingServiceTest, ConcurrentMessagesFromOneCustomerLandInOneSessionInOrder) {
    std::vector<std::thread> threads;
    for (int i = 0; i < 6; ++i) {
        threads.emplace_back([&, i] {
            auto received = messaging_.receive(inbound("m" + std::to_string(i), "message " + std::to_string(i)));
            ASSERT_TRUE(received.ok()) << received.error().message;
        });
    }
    for (auto& thread : threads) thread.join();
    auto contact = message_store_.session_of_contact(core::Platform::kTetrix, Channel::kSms, kCustomer);
    ASSERT_TRUE(contact.ok() && contact->has_value());
    const auto messages = timeline(**contact, core::Platform::kTetrix);
    ASSERT_EQ(messages.size(), 6u);
    for (std::size_t i = 1; i < messages.size(); ++i) {
        EXPECT_LT(messages[i - 1].id, messages[i].id);
        EXPECT_LE(messages[i - 1].created_at, messages[i].created_at);
    }
}

}  // namespace
}  // namespace crossvoice::services::testing_assistant
