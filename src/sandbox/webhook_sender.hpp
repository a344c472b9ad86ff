#pragma once

#include <chrono>
#include <functional>
#include <string>

#include <nlohmann/json.hpp>

#include "core/clock.hpp"
#include "core/ports/http_client.hpp"
#include "sandbox/webhook_signer.hpp"

namespace crossvoice::sandbox {

struct DeliveryResult {
    bool delivered = false;  // a 2xx came back
    int attempts = 0;
    int last_status = 0;  // 0 when the last attempt got no HTTP answer
};

// Delivers one webhook the way Telnyx does (vendor-apis.md A.4-A.6): POST {"data":…, "meta":{attempt,
// delivered_to}} with Telnyx-Signature-Ed25519 and Telnyx-Timestamp. Each attempt is a single try of the
// HttpClient (its own retries are off) so that meta.attempt counts up and every attempt is signed afresh with
// the current timestamp. Retried: no answer, 408, 429 and 5xx; any other status (and a URL the client refuses)
// is final. Blocking: it runs on
// the sandbox's delivery thread.
class WebhookSender {
  public:
    // Waits between attempts; returns false to give up (shutdown).
    using Pause = std::function<bool(std::chrono::milliseconds)>;

    WebhookSender(core::ports::HttpClient& http, const WebhookSigner& signer, const core::Clock& clock,
                  int max_attempts, Pause pause);

    DeliveryResult deliver(const std::string& url, const nlohmann::json& data) const;

    static bool retryable(int status);
    // Short on purpose (a sandbox, not a production queue): 100 ms, 200 ms, 400 ms, … capped at 2 s.
    static std::chrono::milliseconds backoff(int failed_attempts);

    // Telnyx expects a 2xx within this long.
    static constexpr std::chrono::milliseconds kAttemptTimeout{2'000};

  private:
    core::ports::HttpClient& http_;
    const WebhookSigner& signer_;
    const core::Clock& clock_;
    int max_attempts_;
    Pause pause_;
};

}  // namespace crossvoice::sandbox
