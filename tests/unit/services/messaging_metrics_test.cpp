#include "services/messaging_metrics.hpp"

#include <gtest/gtest.h>

namespace crossvoice::services {
namespace {

using core::Channel;
using core::MessageDirection;
using core::MessageStatus;

TEST(MessagingMetricsTest, RendersEveryChannelDirectionAndStatusAsPrometheusText) {
    MessagingMetrics metrics;
    metrics.count_message(Channel::kSms, MessageDirection::kInbound);
    metrics.count_message(Channel::kSms, MessageDirection::kInbound);
    metrics.count_message(Channel::kWhatsapp, MessageDirection::kOutbound);
    metrics.count_message(Channel::kChat, MessageDirection::kOutbound);
    metrics.count_status(Channel::kSms, MessageStatus::kSent);
    metrics.count_status(Channel::kSms, MessageStatus::kDelivered);
    metrics.count_status(Channel::kWhatsapp, MessageStatus::kRead);
    metrics.count_status(Channel::kChat, MessageStatus::kFailed);
    metrics.count_status(Channel::kSms, MessageStatus::kPending);  // where messages start: not a change
    std::string out;
    metrics.render(out);
    EXPECT_EQ(out,
              "# HELP crossvoice_messages_total Messages appended to timelines by channel and direction.\n"
              "# TYPE crossvoice_messages_total counter\n"
              "crossvoice_messages_total{channel=\"sms\",direction=\"inbound\"} 2\n"
              "crossvoice_messages_total{channel=\"sms\",direction=\"outbound\"} 0\n"
              "crossvoice_messages_total{channel=\"whatsapp\",direction=\"inbound\"} 0\n"
              "crossvoice_messages_total{channel=\"whatsapp\",direction=\"outbound\"} 1\n"
              "crossvoice_messages_total{channel=\"chat\",direction=\"inbound\"} 0\n"
              "crossvoice_messages_total{channel=\"chat\",direction=\"outbound\"} 1\n"
              "crossvoice_messages_total{channel=\"voice\",direction=\"inbound\"} 0\n"
              "crossvoice_messages_total{channel=\"voice\",direction=\"outbound\"} 0\n"
              "# HELP crossvoice_message_status_total Message delivery status changes by channel and new status.\n"
              "# TYPE crossvoice_message_status_total counter\n"
              "crossvoice_message_status_total{channel=\"sms\",status=\"sent\"} 1\n"
              "crossvoice_message_status_total{channel=\"sms\",status=\"delivered\"} 1\n"
              "crossvoice_message_status_total{channel=\"sms\",status=\"read\"} 0\n"
              "crossvoice_message_status_total{channel=\"sms\",status=\"failed\"} 0\n"
              "crossvoice_message_status_total{channel=\"whatsapp\",status=\"sent\"} 0\n"
              "crossvoice_message_status_total{channel=\"whatsapp\",status=\"delivered\"} 0\n"
              "crossvoice_message_status_total{channel=\"whatsapp\",status=\"read\"} 1\n"
              "crossvoice_message_status_total{channel=\"whatsapp\",status=\"failed\"} 0\n"
              "crossvoice_message_status_total{channel=\"chat\",status=\"sent\"} 0\n"
              "crossvoice_message_status_total{channel=\"chat\",status=\"delivered\"} 0\n"
              "crossvoice_message_status_total{channel=\"chat\",status=\"read\"} 0\n"
              "crossvoice_message_status_total{channel=\"chat\",status=\"failed\"} 1\n"
              "crossvoice_message_status_total{channel=\"voice\",status=\"sent\"} 0\n"
              "crossvoice_message_status_total{channel=\"voice\",status=\"delivered\"} 0\n"
              "crossvoice_message_status_total{channel=\"voice\",status=\"read\"} 0\n"
              "crossvoice_message_status_total{channel=\"voice\",status=\"failed\"} 0\n");
}

}  // namespace
}  // namespace crossvoice::services
