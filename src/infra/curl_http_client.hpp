#pragma once

#include <atomic>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "core/clock.hpp"
#include "core/ports/http_client.hpp"

namespace crossvoice::infra {

struct CurlHttpClientOptions {
    // Easy handles kept between calls. Each keeps its connections alive, so this bounds the idle
    // connections too; a call that finds none idle makes a new handle (never waits for one).
    std::size_t max_idle_handles = 16;
    std::string user_agent = "crossvoice";
    std::string ca_bundle_path;  // empty: the system's CA bundle (libcurl's default)

    // Seams for tests. Both run on the calling thread and must be thread-safe.
    // How to wait between attempts; empty: std::this_thread::sleep_for.
    std::function<void(std::chrono::milliseconds)> sleep;
    // Full jitter: a wait drawn from [0, cap]; empty: uniform from a per-thread PRNG.
    std::function<std::chrono::milliseconds(std::chrono::milliseconds cap)> jitter;
    // Wall clock for Retry-After dates and epoch x-ratelimit-reset; null: the system clock. Must outlive the client.
    const core::Clock* clock = nullptr;
};

// core::ports::HttpClient on libcurl: TLS verified against the system CAs, no redirects followed, http and
// https only. Thread-safe: each call borrows an easy handle (with its live connections) from a small pool
// and returns it, so sequential calls to the same host reuse one connection.
//
// Errors carry "url" (scheme, host, port, path: never the query or user info) and "attempts"; kUnavailable adds
// "reason": connect_failed, dns_failed, tls_failed, tls_verification_failed (not retried), connection_lost,
// network_error, or response_too_large (over max_response_bytes; not retried). Nothing is logged here, so
// no header (Authorization) or query can end up in a log; callers log method and Error::details["url"].
class CurlHttpClient final : public core::ports::HttpClient {
  public:
    explicit CurlHttpClient(CurlHttpClientOptions options = {});
    ~CurlHttpClient() override;
    CurlHttpClient(const CurlHttpClient&) = delete;
    CurlHttpClient& operator=(const CurlHttpClient&) = delete;

    core::Result<core::ports::HttpResponse> send(const core::ports::HttpRequest& request) override;

    // New TCP connections opened so far (libcurl's count, summed over every attempt); for metrics and tests.
    std::uint64_t connections_opened() const { return connections_opened_.load(std::memory_order_relaxed); }

    class HandlePool;  // public so the .cpp's helpers can name it; defined there

  private:
    std::chrono::milliseconds backoff(const core::ports::RetryPolicy& policy, int attempt) const;
    void wait(std::chrono::milliseconds delay) const;

    CurlHttpClientOptions options_;
    std::unique_ptr<HandlePool> pool_;
    std::atomic<std::uint64_t> connections_opened_{0};
};

}  // namespace crossvoice::infra
