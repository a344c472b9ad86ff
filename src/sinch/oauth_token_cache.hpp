#pragma once

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <mutex>
#include <optional>
#include <string>

#include "core/clock.hpp"
#include "core/error.hpp"
#include "core/ports/http_client.hpp"
#include "core/result.hpp"

namespace crossvoice::sinch {

struct OAuthSettings {
    std::string token_url = "https://auth.sinch.com/oauth2/token";
    std::string key_id;                                 // the access key's id: the Basic user name
    std::string key_secret;                             // the access key's secret: the Basic password
    std::chrono::milliseconds connect_timeout{3'000};   // per attempt
    std::chrono::milliseconds attempt_timeout{10'000};  // per attempt, connect to last byte
    // All attempts and waits of one fetch; zero or less leaves it to the HttpClient's default.
    std::chrono::milliseconds deadline{30'000};
    // Asking for a token changes nothing at Sinch, so it is retried as the HttpClient sees fit.
    core::ports::RetryPolicy retry;
};

// Sinch's OAuth2 client-credentials token (vendor-apis.md G): POST token_url with HTTP Basic key_id:key_secret and
// the form grant_type=client_credentials → {access_token, expires_in, token_type}. A token is handed out until
// kRefreshEarly before it expires (so a request never starts with a token about to lapse), then fetched anew.
//
// Thread-safe: one fetch at a time. Callers that arrive while a fetch is running wait for it and share its outcome,
// the token or the error, instead of each asking again (a stampede on a failing auth server would multiply).
//
// Errors: from the auth server, kVendor with details vendor "sinch", vendor_status and, when it says so,
// vendor_error / vendor_detail (its {"error","error_description"}); 401 and 403 add reason "credentials refused"
// (SINCH_KEY_ID / SINCH_KEY_SECRET are wrong or revoked). A 2xx without a non-empty access_token and a positive
// expires_in is kVendor with details["field"]. The HttpClient's kTimeout / kUnavailable pass through with details
// vendor "sinch" and action "token".
class OAuthTokenCache {
  public:
    static constexpr std::chrono::seconds kRefreshEarly{60};

    // `http` and `clock` must outlive the cache.
    OAuthTokenCache(OAuthSettings settings, core::ports::HttpClient& http, const core::Clock& clock);

    // A token valid for at least kRefreshEarly more (or, when Sinch grants less, fresh from the server).
    core::Result<std::string> token();

    // The API refused `refused_token` (401): the next token() fetches a new one. A token that has already been
    // replaced by a newer one is left alone, so a burst of 401s on the old token causes one refresh, not many.
    void invalidate(const std::string& refused_token);

    // Callers currently waiting for another caller's fetch; for tests and metrics.
    std::size_t waiting() const;

  private:
    struct Fetched {
        std::string token;
        std::chrono::seconds lifetime{0};
    };
    core::Result<Fetched> fetch() const;
    bool fresh(core::TimePoint now) const;  // the cached token may be handed out; mutex_ held

    const OAuthSettings settings_;
    core::ports::HttpClient& http_;
    const core::Clock& clock_;

    mutable std::mutex mutex_;  // guards everything below
    std::condition_variable fetched_;
    bool fetching_ = false;
    std::uint64_t generation_ = 0;        // fetches completed, to tell waiters theirs is done
    std::optional<core::Error> failure_;  // of the last completed fetch, shared with its waiters
    std::optional<std::string> token_;
    core::TimePoint refresh_at_{};  // the token is handed out before this instant
    std::size_t waiting_ = 0;
};

}  // namespace crossvoice::sinch
