// The MessageStore port (contacts, deliveries, statuses) against every adapter.

#include <gtest/gtest.h>

#include <atomic>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "store_backends.hpp"

namespace crossvoice::contract {
namespace {

using core::Channel;
using core::MessageStatus;
using core::Platform;

core::TimePoint at(std::int64_t ms) { return core::from_unix_ms(1'790'000'000'000 + ms); }

class MessageStoreContract : public StoreContractTest {
  protected:
    core::Session session(std::string id, std::optional<std::string> phone = std::nullopt,
                          Platform platform = Platform::kTetrix) {
        core::Session out;
        out.id = std::move(id);
        out.platform = platform;
        out.channel = Channel::kSms;
        out.phone_number = std::move(phone);
        out.start_time = at(0);
        out.created_by_key = "test";
        return out;
    }

    core::ports::InboundMessage inbound(std::string event_id, std::string contact, std::string text,
                                        std::string new_session_id, Channel channel = Channel::kSms) {
        core::ports::InboundMessage out;
        out.event_id = std::move(event_id);
        out.platform = Platform::kTetrix;
        out.channel = channel;
        out.contact = contact;
        out.message.id = "msg_" + out.event_id;
        out.message.channel = channel;
        out.message.content = std::move(text);
        out.message.created_at = at(++clock_);
        out.new_session = session(std::move(new_session_id), contact);
        return out;
    }

    core::TimelineMessage outbound(std::string id, std::string session_id) {
        core::TimelineMessage out;
        out.id = std::move(id);
        out.session_id = std::move(session_id);
        out.channel = Channel::kSms;
        out.direction = core::MessageDirection::kOutbound;
        out.author = core::MessageAuthor::kAgent;
        out.content = "We are on it.";
        out.status = MessageStatus::kPending;
        out.created_at = at(++clock_);
        return out;
    }

    core::ports::OutboundDelivery delivery(const core::TimelineMessage& message, std::string to) {
        core::ports::OutboundDelivery out;
        out.message_id = message.id;
        out.platform = Platform::kTetrix;
        out.session_id = message.session_id;
        out.channel = Channel::kSms;
        out.recipient = std::move(to);
        return out;
    }

    std::vector<core::TimelineMessage> timeline(const std::string& session_id) {
        core::ports::TimelineQuery query;
        query.platform = Platform::kTetrix;
        query.session_id = session_id;
        query.limit = 100;
        auto listed = backend().timeline().list(query);
        EXPECT_TRUE(listed.ok()) << listed.error().message;
        return listed.ok() ? *listed : std::vector<core::TimelineMessage>{};
    }

    core::ports::MessageStore& store() { return backend().messages(); }
    core::ports::SessionStore& sessions() { return backend().sessions(); }

    std::int64_t clock_ = 0;
};

TEST_P(MessageStoreContract, AFirstMessageOpensASessionAndTheNextJoinsIt) {
    auto first = store().append_inbound(inbound("e1", "+12025550111", "Hi", "ses_new"));
    ASSERT_TRUE(first.ok()) << first.error().message;
    EXPECT_TRUE(first->opened);
    EXPECT_FALSE(first->duplicate);
    EXPECT_EQ(first->session.id, "ses_new");
    EXPECT_EQ(first->message.session_id, "ses_new");

    auto second = store().append_inbound(inbound("e2", "+12025550111", "Are you there?", "ses_other"));
    ASSERT_TRUE(second.ok());
    EXPECT_FALSE(second->opened);
    EXPECT_EQ(second->session.id, "ses_new");
    const auto messages = timeline("ses_new");
    ASSERT_EQ(messages.size(), 2u);
    EXPECT_EQ(messages[0].content, "Hi");
    EXPECT_EQ(messages[1].content, "Are you there?");
    auto missing = sessions().find(Platform::kTetrix, "ses_other");
    ASSERT_TRUE(missing.ok());
    EXPECT_FALSE(missing->has_value()) << "the prepared session was not needed";
}

TEST_P(MessageStoreContract, ARepeatedEventAppendsNothing) {
    ASSERT_TRUE(store().append_inbound(inbound("e1", "+12025550111", "Hi", "ses_new")).ok());
    auto again = store().append_inbound(inbound("e1", "+12025550111", "Hi", "ses_new"));
    ASSERT_TRUE(again.ok());
    EXPECT_TRUE(again->duplicate);
    EXPECT_EQ(timeline("ses_new").size(), 1u);
}

TEST_P(MessageStoreContract, ACallerWhoTextsContinuesTheCallsSession) {
    ASSERT_TRUE(sessions().insert(session("ses_call", "+12025550111")).ok());
    auto texted = store().append_inbound(inbound("e1", "+12025550111", "It's me again", "ses_new"));
    ASSERT_TRUE(texted.ok());
    EXPECT_FALSE(texted->opened);
    EXPECT_EQ(texted->session.id, "ses_call");
}

TEST_P(MessageStoreContract, AnEndedSessionIsNotContinued) {
    ASSERT_TRUE(store().append_inbound(inbound("e1", "+12025550111", "Hi", "ses_first")).ok());
    ASSERT_TRUE(sessions().end(Platform::kTetrix, "ses_first", at(50)).ok());
    auto later = store().append_inbound(inbound("e2", "+12025550111", "New question", "ses_second"));
    ASSERT_TRUE(later.ok());
    EXPECT_TRUE(later->opened);
    EXPECT_EQ(later->session.id, "ses_second");
}

TEST_P(MessageStoreContract, AnOutboundMessagePointsTheContactAtItsSession) {
    ASSERT_TRUE(sessions().insert(session("ses_voice")).ok());
    const auto message = outbound("msg_out", "ses_voice");
    ASSERT_TRUE(store().append_outbound(message, delivery(message, "+12025550122")).ok());
    auto contact = store().session_of_contact(Platform::kTetrix, Channel::kSms, "+12025550122");
    ASSERT_TRUE(contact.ok());
    EXPECT_EQ(*contact, "ses_voice");
    auto reply = store().append_inbound(inbound("e1", "+12025550122", "Thanks", "ses_new"));
    ASSERT_TRUE(reply.ok());
    EXPECT_EQ(reply->session.id, "ses_voice") << "the answer to our text continues the same session";

    auto found = store().find_delivery("msg_out");
    ASSERT_TRUE(found.ok() && found->has_value());
    EXPECT_EQ((*found)->recipient, "+12025550122");
    EXPECT_FALSE((*found)->vendor_message_id.has_value());
}

TEST_P(MessageStoreContract, AnOutboundMessageForAnotherPlatformsSessionIsRefused) {
    ASSERT_TRUE(sessions().insert(session("ses_j", std::nullopt, Platform::kJoromi)).ok());
    const auto message = outbound("msg_out", "ses_j");
    const auto refused = store().append_outbound(message, delivery(message, "+12025550122"));
    ASSERT_FALSE(refused.ok());
    EXPECT_EQ(refused.error().code, core::ErrorCode::kNotFound);
    EXPECT_TRUE(store().find_delivery("msg_out")->has_value() == false);
}

TEST_P(MessageStoreContract, StatusesOnlyMoveForward) {
    ASSERT_TRUE(sessions().insert(session("ses_1")).ok());
    const auto message = outbound("msg_out", "ses_1");
    ASSERT_TRUE(store().append_outbound(message, delivery(message, "+12025550122")).ok());

    // A delivery report overtaking our record of the vendor's id still finds the message by correlation id.
    auto early = store().report_status("sinch", "V1", std::string("msg_out"), MessageStatus::kDelivered, std::nullopt);
    ASSERT_TRUE(early.ok());
    EXPECT_TRUE(early->changed);
    EXPECT_EQ(early->message->status, MessageStatus::kDelivered);

    auto sent = store().mark_sent("msg_out", "sinch", "V1");
    ASSERT_TRUE(sent.ok());
    EXPECT_FALSE(sent->changed) << "sent never undoes delivered";
    EXPECT_EQ(sent->message->status, MessageStatus::kDelivered);

    auto failed =
        store().report_status("sinch", "V1", std::nullopt, MessageStatus::kFailed, std::string("63: blocked"));
    ASSERT_TRUE(failed.ok());
    EXPECT_FALSE(failed->changed) << "a delivered message cannot fail afterwards";

    auto read = store().report_status("sinch", "V1", std::nullopt, MessageStatus::kRead, std::nullopt);
    ASSERT_TRUE(read.ok());
    EXPECT_TRUE(read->changed);
    EXPECT_EQ(timeline("ses_1").back().status, MessageStatus::kRead);

    auto unknown = store().report_status("sinch", "nope", std::nullopt, MessageStatus::kRead, std::nullopt);
    ASSERT_TRUE(unknown.ok());
    EXPECT_FALSE(unknown->message.has_value());
}

TEST_P(MessageStoreContract, AFailureKeepsItsReason) {
    ASSERT_TRUE(sessions().insert(session("ses_1")).ok());
    const auto message = outbound("msg_out", "ses_1");
    ASSERT_TRUE(store().append_outbound(message, delivery(message, "+12025550122")).ok());
    ASSERT_TRUE(store().mark_sent("msg_out", "telnyx", "T1").ok());
    auto failed = store().report_status("telnyx", "T1", std::nullopt, MessageStatus::kFailed,
                                        std::string("delivery_failed: 40002 Blocked"));
    ASSERT_TRUE(failed.ok());
    EXPECT_TRUE(failed->changed);
    EXPECT_NE(failed->message->metadata_json.find("40002 Blocked"), std::string::npos)
        << failed->message->metadata_json;
    auto revived = store().set_status("msg_out", MessageStatus::kDelivered, std::nullopt);
    ASSERT_TRUE(revived.ok());
    EXPECT_FALSE(revived->changed) << "failed is final";
}

TEST_P(MessageStoreContract, ConcurrentFirstMessagesFromOneContactOpenOneSession) {
    std::vector<std::thread> threads;
    std::atomic<int> opened{0};
    for (int i = 0; i < 8; ++i) {
        threads.emplace_back([&, i] {
            auto in =
                inbound("e" + std::to_string(i), "+12025550111", "m" + std::to_string(i), "ses_" + std::to_string(i));
            auto done = store().append_inbound(in);
            ASSERT_TRUE(done.ok()) << done.error().message;
            if (done->opened) ++opened;
        });
    }
    for (auto& thread : threads) thread.join();
    EXPECT_EQ(opened.load(), 1);
    auto contact = store().session_of_contact(Platform::kTetrix, Channel::kSms, "+12025550111");
    ASSERT_TRUE(contact.ok() && contact->has_value());
    EXPECT_EQ(timeline(**contact).size(), 8u);
}

INSTANTIATE_TEST_SUITE_P(Adapters, MessageStoreContract, ::testing::ValuesIn(store_backends()), backend_name);

}  // namespace
}  // namespace crossvoice::contract
