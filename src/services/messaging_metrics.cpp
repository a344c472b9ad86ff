#include "services/messaging_metrics.hpp"

#include <fmt/format.h>

#include <iterator>

namespace crossvoice::services {
namespace {

constexpr std::array kChannelOrder{core::Channel::kSms, core::Channel::kWhatsapp, core::Channel::kChat,
                                   core::Channel::kVoice};
constexpr std::array kDirectionOrder{core::MessageDirection::kInbound, core::MessageDirection::kOutbound};
constexpr std::array kStatusOrder{core::MessageStatus::kSent, core::MessageStatus::kDelivered,
                                  core::MessageStatus::kRead, core::MessageStatus::kFailed};

std::size_t index(auto value) { return static_cast<std::size_t>(value); }

}  // namespace

void MessagingMetrics::count_message(core::Channel channel, core::MessageDirection direction) {
    messages_[index(channel)][index(direction)].add();
}

void MessagingMetrics::count_status(core::Channel channel, core::MessageStatus status) {
    if (status == core::MessageStatus::kPending) return;
    statuses_[index(channel)][index(status)].add();
}

void MessagingMetrics::render(std::string& out) const {
    auto inserter = std::back_inserter(out);
    out +=
        "# HELP crossvoice_messages_total Messages appended to timelines by channel and direction.\n"
        "# TYPE crossvoice_messages_total counter\n";
    for (const auto channel : kChannelOrder) {
        for (const auto direction : kDirectionOrder) {
            fmt::format_to(inserter, "crossvoice_messages_total{{channel=\"{}\",direction=\"{}\"}} {}\n",
                           core::to_string(channel), core::to_string(direction),
                           messages_[index(channel)][index(direction)].value());
        }
    }
    out +=
        "# HELP crossvoice_message_status_total Message delivery status changes by channel and new status.\n"
        "# TYPE crossvoice_message_status_total counter\n";
    for (const auto channel : kChannelOrder) {
        for (const auto status : kStatusOrder) {
            fmt::format_to(inserter, "crossvoice_message_status_total{{channel=\"{}\",status=\"{}\"}} {}\n",
                           core::to_string(channel), core::to_string(status),
                           statuses_[index(channel)][index(status)].value());
        }
    }
}

}  // namespace crossvoice::services
