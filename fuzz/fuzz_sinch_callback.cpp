// sinch::parse_callback on arbitrary bytes (a Sinch Conversation API callback body), the same bytes through
// SinchWebhooks without a secret, and the signature check with headers taken from the input. Properties: a parse
// yields vendor "sinch", an event id that names its trigger and ids, and per kind what the messaging use-case
// relies on (a message has an id, a contact and text or media; a delivery report a message id and a status, with
// a printable failure reason exactly when it failed; typing a contact); the channel agrees with Sinch's channel
// name; occurred_at formats back to itself. Failures are bad_request, or validation naming a JSON pointer (that
// the message repeats) or a printable, bounded trigger. SinchWebhooks without a secret reads exactly what the
// parser reads. A signature made for the body verifies, one for other bytes never does, and any header values are
// refused with one of the documented reasons.

#include <algorithm>
#include <array>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "core/clock.hpp"
#include "core/time_format.hpp"
#include "fuzz_check.hpp"
#include "sinch/callback_parser.hpp"
#include "sinch/sinch_webhooks.hpp"
#include "sinch/webhook_signature.hpp"

namespace {

using crossvoice::core::Channel;
using crossvoice::core::ChannelEvent;
using crossvoice::core::ChannelEventKind;
using crossvoice::core::ErrorCode;
using crossvoice::core::MessageStatus;
using crossvoice::core::ports::ChannelDelivery;

constexpr std::int64_t kNowSeconds = 1'790'000'000;

class FixedClock final : public crossvoice::core::Clock {
  public:
    crossvoice::core::TimePoint now() const override { return crossvoice::core::from_unix_ms(kNowSeconds * 1000); }
};

bool printable(std::string_view text) {
    return std::all_of(text.begin(), text.end(), [](char ch) { return ch >= 0x20 && ch < 0x7f; });
}

void check_error(const crossvoice::core::Error& error) {
    FUZZ_CHECK(error.code == ErrorCode::kBadRequest || error.code == ErrorCode::kValidation);
    FUZZ_CHECK(!error.message.empty());
    if (error.code != ErrorCode::kValidation) return;
    bool named = false;
    for (const auto& [key, value] : error.details) {
        if (key == "field") {
            named = true;
            FUZZ_CHECK(value.starts_with("/"));
            FUZZ_CHECK(error.message.find(value) != std::string::npos);
        }
        if (key == "trigger") {
            named = true;
            FUZZ_CHECK(!value.empty() && value.size() <= 300 && printable(value));
        }
    }
    FUZZ_CHECK(named);
}

void check_event(const ChannelEvent& event) {
    FUZZ_CHECK(event.vendor == "sinch");
    if (!event.vendor_channel.empty()) {
        const std::string_view name = event.vendor_channel;
        const Channel expected = name == "WHATSAPP"                 ? Channel::kWhatsapp
                                 : (name == "SMS" || name == "MMS") ? Channel::kSms
                                                                    : Channel::kChat;
        FUZZ_CHECK(event.channel == expected);
        FUZZ_CHECK(!event.contact.empty());
    }
    if (event.contact_id) FUZZ_CHECK(!event.contact_id->empty());
    if (event.conversation_id) FUZZ_CHECK(!event.conversation_id->empty());
    switch (event.kind) {
        case ChannelEventKind::kMessage:
            FUZZ_CHECK(!event.vendor_message_id.empty());
            FUZZ_CHECK(event.event_id == "sinch:msg:" + event.vendor_message_id);
            FUZZ_CHECK(!event.contact.empty());
            FUZZ_CHECK(!event.text.empty() || event.media_urls.size() == 1);
            FUZZ_CHECK(event.text.empty() || event.media_urls.empty());
            FUZZ_CHECK(!event.status && !event.failure_reason);
            break;
        case ChannelEventKind::kDelivery:
            FUZZ_CHECK(!event.vendor_message_id.empty());
            FUZZ_CHECK(event.event_id.starts_with("sinch:dlr:" + event.vendor_message_id + ":"));
            FUZZ_CHECK(event.status.has_value());
            FUZZ_CHECK(event.failure_reason.has_value() == (event.status == MessageStatus::kFailed));
            if (event.failure_reason) FUZZ_CHECK(!event.failure_reason->empty() && printable(*event.failure_reason));
            if (event.correlation_id) FUZZ_CHECK(!event.correlation_id->empty());
            break;
        case ChannelEventKind::kTyping:
            FUZZ_CHECK(event.event_id.starts_with("sinch:evt:"));
            FUZZ_CHECK(!event.contact.empty());
            break;
    }
    // Within the years RFC 3339 can write, formatting the parsed instant and parsing it again is lossless.
    const auto text = crossvoice::core::format_rfc3339(event.occurred_at);
    if (text.size() == 24 && text[0] >= '0' && text[0] <= '9') {
        const auto again = crossvoice::core::parse_rfc3339(text);
        FUZZ_CHECK(again.has_value() && *again == event.occurred_at);
    }
}

void check_signatures(std::string_view input) {
    const std::string secret = "fuzz-secret";
    const auto now = crossvoice::core::from_unix_ms(kNowSeconds * 1000);
    const std::string timestamp = std::to_string(kNowSeconds);
    const auto signature = crossvoice::sinch::callback_signature(secret, input, "nonce", timestamp);
    const ChannelDelivery good{signature, std::string_view("nonce"), timestamp, std::string_view("HmacSHA256"), input};
    FUZZ_CHECK(crossvoice::sinch::verify_callback(secret, good, now).ok());
    const std::string other = std::string(input) + ".";
    ChannelDelivery changed = good;
    changed.body = other;
    FUZZ_CHECK(!crossvoice::sinch::verify_callback(secret, changed, now).ok());

    // Header values from the input: "signature|nonce|timestamp|algorithm|body".
    std::array<std::string_view, 4> headers{};
    std::string_view rest = input;
    for (auto& header : headers) {
        const auto bar = rest.find('|');
        header = rest.substr(0, bar);
        rest = bar == std::string_view::npos ? std::string_view{} : rest.substr(bar + 1);
    }
    const ChannelDelivery fuzzed{headers[0], headers[1], headers[2], headers[3], rest};
    const auto verdict = crossvoice::sinch::verify_callback(secret, fuzzed, now);
    if (verdict) return;  // the input carried the right HMAC: only possible for inputs built that way
    FUZZ_CHECK(verdict.error().code == ErrorCode::kUnauthorized);
    bool reasoned = false;
    for (const auto& [key, value] : verdict.error().details) {
        if (key != "reason") continue;
        reasoned = value == "missing_signature" || value == "missing_nonce" || value == "missing_timestamp" ||
                   value == "unsupported_algorithm" || value == "bad_timestamp" || value == "stale_timestamp" ||
                   value == "future_timestamp" || value == "bad_signature";
    }
    FUZZ_CHECK(reasoned);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view body(reinterpret_cast<const char*>(data), size);
    const auto parsed = crossvoice::sinch::parse_callback(body);
    if (parsed) {
        check_event(parsed.value());
    } else {
        check_error(parsed.error());
    }

    static const FixedClock clock;
    static const crossvoice::sinch::SinchWebhooks open(std::nullopt, clock);
    const auto read = open.read(ChannelDelivery{std::nullopt, std::nullopt, std::nullopt, std::nullopt, body});
    FUZZ_CHECK(read.ok() == parsed.ok());
    if (read.ok()) {
        FUZZ_CHECK(read->event_id == parsed->event_id && read->kind == parsed->kind);
    } else {
        FUZZ_CHECK(read.error().code == parsed.error().code && read.error().details == parsed.error().details);
    }

    check_signatures(body);
    return 0;
}
