#pragma once

#include "core/message.hpp"

namespace crossvoice::storage {

// Statuses only move forward; failed can follow only what has not been delivered. The rule every message store
// applies to delivery reports, whatever its SQL.
inline bool message_status_may_follow(core::MessageStatus from, core::MessageStatus to) {
    using core::MessageStatus;
    auto rank = [](MessageStatus status) {
        switch (status) {
            case MessageStatus::kPending: return 0;
            case MessageStatus::kSent: return 1;
            case MessageStatus::kDelivered: return 2;
            case MessageStatus::kRead: return 3;
            case MessageStatus::kFailed: return 2;
        }
        return 0;
    };
    if (from == MessageStatus::kFailed) return false;
    if (to == MessageStatus::kFailed) return from == MessageStatus::kPending || from == MessageStatus::kSent;
    return rank(to) > rank(from);
}

}  // namespace crossvoice::storage
