// The widget's wiring: visitor tokens (sealed with a key derived from CROSS_PLATFORM_SESSION_SECRET, else a
// random key of this process) and the visitor use-case over SHANGO, hand-off and call back.
#include "app/runtime.hpp"
#include "infra/sodium_visitor_sealer.hpp"
#include "observability/logging.hpp"

namespace crossvoice::app {

core::Status Runtime::open_widget() {
    std::optional<std::string_view> secret;
    if (config_.cross_platform_session_secret) secret = *config_.cross_platform_session_secret;
    auto sealer = infra::SodiumVisitorSealer::create(secret);
    if (!sealer) return std::move(sealer).error();
    visitor_tokens_ = std::move(sealer).value();
    if (!secret) {
        observability::logger("app")->info(
            "widget: visitor tokens sealed with a key of this process (set CROSS_PLATFORM_SESSION_SECRET to keep "
            "visitors' conversations across restarts and instances)");
    }
    services::VisitorSettings settings;
    settings.starts_per_window = config_.widget_starts_per_minute;
    settings.messages_per_window = config_.widget_messages_per_minute;
    const services::VisitorService::Ports ports{
        *shango_,         *handoffs_,    *callbacks_,    sessions_,        transcript_store_,
        assistant_store_, rate_limiter_, phone_numbers_, *visitor_tokens_, clock_};
    visitors_ = std::make_unique<services::VisitorService>(ports, settings);
    return {};
}

}  // namespace crossvoice::app
