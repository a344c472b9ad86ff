// parse_message_event on arbitrary bytes (a Telnyx Messaging webhook body that passed, or would fail, the
// signature check). Properties: a parse is an SMS event from "telnyx" with an event_id "telnyx:<data.id>" and a
// vendor message id; a message names both parties and carries no status; a delivery carries a status, and a
// failure reason exactly when it failed; occurred_at formats back to itself. Failures are bad_request, or
// validation naming a JSON pointer under /data that the message repeats.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "core/channel_event.hpp"
#include "core/time_format.hpp"
#include "fuzz_check.hpp"
#include "telnyx/message_event_parser.hpp"

namespace {

using crossvoice::core::ChannelEvent;
using crossvoice::core::ChannelEventKind;
using crossvoice::core::ErrorCode;
using crossvoice::core::MessageStatus;

void check_error(const crossvoice::core::Error& error) {
    FUZZ_CHECK(error.code == ErrorCode::kBadRequest || error.code == ErrorCode::kValidation);
    FUZZ_CHECK(!error.message.empty());
    if (error.code != ErrorCode::kValidation) return;
    bool named = false;
    for (const auto& [key, value] : error.details) {
        if (key != "field") continue;
        named = true;
        FUZZ_CHECK(value.starts_with("/data"));
        FUZZ_CHECK(error.message.find(value) != std::string::npos);
    }
    FUZZ_CHECK(named);
}

void check_event(const ChannelEvent& event) {
    FUZZ_CHECK(event.vendor == "telnyx");
    FUZZ_CHECK(event.event_id.starts_with("telnyx:") && event.event_id.size() > 7);
    FUZZ_CHECK(event.channel == crossvoice::core::Channel::kSms && event.vendor_channel == "sms");
    FUZZ_CHECK(!event.vendor_message_id.empty());
    FUZZ_CHECK(!event.contact.empty());
    FUZZ_CHECK(!event.correlation_id && !event.contact_id && !event.conversation_id);
    if (event.kind == ChannelEventKind::kMessage) {
        FUZZ_CHECK(!event.our_identity.empty());
        FUZZ_CHECK(!event.status && !event.failure_reason);
        for (const auto& url : event.media_urls) FUZZ_CHECK(!url.empty());
    } else {
        FUZZ_CHECK(event.kind == ChannelEventKind::kDelivery);
        FUZZ_CHECK(event.status.has_value());
        FUZZ_CHECK(event.failure_reason.has_value() == (*event.status == MessageStatus::kFailed));
        FUZZ_CHECK(*event.status != MessageStatus::kRead);
        FUZZ_CHECK(event.text.empty() && event.media_urls.empty());
        if (event.failure_reason) {
            for (const char ch : *event.failure_reason) FUZZ_CHECK(ch >= 0x20 && ch < 0x7f);
        }
    }

    // Within the years RFC 3339 can write, formatting the parsed instant and parsing it again is lossless.
    const auto text = crossvoice::core::format_rfc3339(event.occurred_at);
    if (text.size() == 24 && text[0] >= '0' && text[0] <= '9') {
        const auto again = crossvoice::core::parse_rfc3339(text);
        FUZZ_CHECK(again.has_value() && *again == event.occurred_at);
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view body(reinterpret_cast<const char*>(data), size);
    const auto parsed = crossvoice::telnyx::parse_message_event(body);
    if (!parsed) {
        check_error(parsed.error());
        return 0;
    }
    check_event(parsed.value());
    return 0;
}
