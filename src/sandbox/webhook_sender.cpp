#include "sandbox/webhook_sender.hpp"

#include <algorithm>
#include <string>
#include <utility>

#include "observability/logging.hpp"

namespace crossvoice::sandbox {

WebhookSender::WebhookSender(core::ports::HttpClient& http, const WebhookSigner& signer, const core::Clock& clock,
                             int max_attempts, Pause pause)
    : http_(http), signer_(signer), clock_(clock), max_attempts_(std::max(1, max_attempts)), pause_(std::move(pause)) {}

bool WebhookSender::retryable(int status) { return status == 408 || status == 429 || status >= 500; }

std::chrono::milliseconds WebhookSender::backoff(int failed_attempts) {
    const int doublings = std::clamp(failed_attempts - 1, 0, 5);
    return std::min(std::chrono::milliseconds(100 << doublings), std::chrono::milliseconds(2'000));
}

DeliveryResult WebhookSender::deliver(const std::string& url, const nlohmann::json& data) const {
    DeliveryResult result;
    for (int attempt = 1; attempt <= max_attempts_; ++attempt) {
        if (attempt > 1 && !pause_(backoff(attempt - 1))) break;
        const nlohmann::json envelope{{"data", data}, {"meta", {{"attempt", attempt}, {"delivered_to", url}}}};
        const auto body = envelope.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
        const auto timestamp = std::to_string(core::to_unix_ms(clock_.now()) / 1000);

        core::ports::HttpRequest request;
        request.method = "POST";
        request.url = url;
        request.headers = {{"Content-Type", "application/json"},
                           {"Telnyx-Signature-Ed25519", signer_.sign(timestamp, body)},
                           {"Telnyx-Timestamp", timestamp},
                           {"User-Agent", "crossvoice-sandbox-webhooks"}};
        request.body = body;
        request.connect_timeout = std::min(kAttemptTimeout, std::chrono::milliseconds(1'000));
        request.attempt_timeout = kAttemptTimeout;
        request.deadline = kAttemptTimeout;
        request.retry.max_attempts = 1;

        result.attempts = attempt;
        const auto response = http_.send(request);
        result.last_status = response ? response->status : 0;
        if (response && response->status >= 200 && response->status < 300) {
            result.delivered = true;
            return result;
        }
        if (response && !retryable(response->status)) break;
        // A URL the client cannot even use will not get better by waiting.
        if (!response && response.error().code == core::ErrorCode::kValidation) break;
    }
    // The query is left out of the log: it may carry a token.
    // The query is left out of the log: it may carry a token.
    observability::logger("sandbox")->warn("webhook {} to {} not delivered after {} attempt(s), last status {}",
                                           data.value("event_type", "?"), url.substr(0, url.find('?')), result.attempts,
                                           result.last_status);
    return result;
}

}  // namespace crossvoice::sandbox
