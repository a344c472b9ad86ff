#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/result.hpp"

namespace crossvoice::core::ports {

using HttpHeaders = std::vector<std::pair<std::string, std::string>>;

// When to try again. Only network errors (including timeouts), 429 and 5xx are retried; any other status is
// an answer and is returned as it is. Waits grow as base_delay * 2^(attempt-1) with full jitter, capped at
// max_delay; a 429 or 503 that names its own wait (Retry-After, or x-ratelimit-reset) is honoured instead,
// unless that wait would overrun the request's deadline, in which case that response is returned at once.
struct RetryPolicy {
    int max_attempts = 3;  // 1 = no retries
    // False for requests that must not be repeated once the server may have acted on them (placing a call:
    // Telnyx's command_id only deduplicates commands on an existing call). Then only failures that prove the
    // request was not processed are retried: no connection could be made, or a 429.
    bool retry_if_maybe_processed = true;
    std::chrono::milliseconds base_delay{200};
    std::chrono::milliseconds max_delay{5'000};
};

// Where a request may connect. URLs that outsiders hand us (an audio URL to fetch, a callback URL) must not
// reach our own network: kPublicOnly refuses loopback, private, link-local, shared (CGNAT), multicast and
// reserved addresses. It is checked on the address actually connected to, after DNS and on every redirect, so
// a hostname that resolves to 127.0.0.1 is refused as well; such requests never reuse a pooled connection.
enum class AddressPolicy { kAny, kPublicOnly };

struct HttpRequest {
    std::string method = "GET";  // GET, POST, PUT, PATCH, DELETE
    std::string url;
    HttpHeaders headers;  // e.g. {"Authorization", "Bearer …"}, {"Content-Type", "application/json"}
    std::string body;
    std::chrono::milliseconds connect_timeout{3'000};   // per attempt
    std::chrono::milliseconds attempt_timeout{10'000};  // per attempt, connect to last byte
    // The whole call, all attempts and waits included; nullopt = attempt_timeout * max_attempts plus waits.
    std::optional<std::chrono::milliseconds> deadline;
    RetryPolicy retry;
    std::size_t max_response_bytes = 64 * 1024 * 1024;  // a larger body fails the attempt (not retried)
    AddressPolicy address_policy = AddressPolicy::kAny;
    int max_redirects = 0;  // 3xx answers are returned as they are unless this allows following them
    // A transfer slower than this many bytes per second for `low_speed_window` fails the attempt (kTimeout):
    // a server trickling a body cannot hold a worker until the attempt timeout. 0 = no floor.
    std::size_t min_bytes_per_second = 0;
    std::chrono::seconds low_speed_window{10};
};

struct HttpResponse {
    int status = 0;
    HttpHeaders headers;  // names in lower case, in the order received
    std::string body;
    int attempts = 1;  // how many tries it took

    // First value of a header; `name` in lower case.
    std::optional<std::string_view> header(std::string_view name) const {
        for (const auto& [key, value] : headers) {
            if (key == name) return value;
        }
        return std::nullopt;
    }
};

// One outbound HTTP client for every vendor adapter. Blocking: call it from worker threads, never from an
// I/O thread. Thread-safe; connections are reused across calls.
//
// Any HTTP status is a successful Result (the caller decides what a 422 means). Errors are for when no
// usable answer came: kTimeout when the deadline passed (details: "url" without query, "attempts"),
// kUnavailable for connection and TLS failures after the last attempt (details: "reason", "attempts"),
// kValidation for a malformed request (bad URL or method), kForbidden when the address policy refused the
// address (details: "address"; never retried).
class HttpClient {
  public:
    virtual ~HttpClient() = default;
    virtual Result<HttpResponse> send(const HttpRequest& request) = 0;
};

}  // namespace crossvoice::core::ports
