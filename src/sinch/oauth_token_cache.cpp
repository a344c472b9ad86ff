#include "sinch/oauth_token_cache.hpp"

#include <fmt/format.h>
#include <sodium.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <utility>

#include "core/printable.hpp"

namespace crossvoice::sinch {
namespace {

using nlohmann::json;

constexpr std::size_t kMaxEchoed = 200;               // of what the auth server says about an error
constexpr std::int64_t kMaxLifetimeSeconds = 86'400;  // a day: longer grants are not trusted blindly

std::string base64(std::string_view text) {
    std::string out(sodium_base64_ENCODED_LEN(text.size(), sodium_base64_VARIANT_ORIGINAL), '\0');
    sodium_bin2base64(out.data(), out.size(), reinterpret_cast<const unsigned char*>(text.data()), text.size(),
                      sodium_base64_VARIANT_ORIGINAL);
    out.resize(out.size() - 1);  // the terminating NUL
    return out;
}

core::Error vendor(std::string message) {
    return core::Error{core::ErrorCode::kVendor, std::move(message), {{"vendor", "sinch"}, {"action", "token"}}};
}

// The auth server's refusal, with its own words ({"error":"invalid_client","error_description":"…"}) kept.
core::Error refusal(const core::ports::HttpResponse& response) {
    const bool credentials = response.status == 401 || response.status == 403;
    auto error = vendor(credentials ? fmt::format("Sinch refused the access key (HTTP {}): check SINCH_KEY_ID and "
                                                  "SINCH_KEY_SECRET",
                                                  response.status)
                                    : fmt::format("Sinch's token endpoint answered HTTP {}", response.status))
                     .with("vendor_status", std::to_string(response.status));
    if (credentials) error = std::move(error).with("reason", "credentials refused");
    const json body = json::parse(response.body, nullptr, /*allow_exceptions=*/false);
    bool described = false;
    if (body.is_object()) {
        for (const auto& [key, detail] :
             {std::pair{"error", "vendor_error"}, std::pair{"error_description", "vendor_detail"}}) {
            const auto it = body.find(key);
            if (it == body.end() || !it->is_string()) continue;
            auto text = core::printable(it->get_ref<const std::string&>(), kMaxEchoed);
            if (text.empty()) continue;
            error = std::move(error).with(detail, std::move(text));
            described = true;
        }
    }
    if (!described) {
        auto excerpt = core::printable(response.body, kMaxEchoed);
        if (!excerpt.empty()) error = std::move(error).with("vendor_detail", std::move(excerpt));
    }
    return error;
}

}  // namespace

OAuthTokenCache::OAuthTokenCache(OAuthSettings settings, core::ports::HttpClient& http, const core::Clock& clock)
    : settings_(std::move(settings)), http_(http), clock_(clock) {}

bool OAuthTokenCache::fresh(core::TimePoint now) const { return token_.has_value() && now < refresh_at_; }

std::size_t OAuthTokenCache::waiting() const {
    const std::lock_guard lock(mutex_);
    return waiting_;
}

void OAuthTokenCache::invalidate(const std::string& refused_token) {
    const std::lock_guard lock(mutex_);
    if (token_ && *token_ == refused_token) token_.reset();
}

core::Result<std::string> OAuthTokenCache::token() {
    std::unique_lock lock(mutex_);
    for (;;) {
        if (fresh(clock_.now())) return *token_;
        if (!fetching_) break;
        // Someone is already asking: their answer is ours too, success or failure.
        const auto awaited = generation_ + 1;
        ++waiting_;
        fetched_.wait(lock, [&] { return generation_ >= awaited; });
        --waiting_;
        if (failure_) return *failure_;
        if (token_) return *token_;
        // Invalidated between that fetch and our waking up: look again.
    }
    fetching_ = true;
    lock.unlock();
    auto fetched = fetch();  // without the lock: callers holding a fresh token must not wait on the network
    lock.lock();
    fetching_ = false;
    ++generation_;
    core::Result<std::string> outcome = core::Error::internal("unset");
    if (fetched) {
        failure_.reset();
        token_ = fetched->token;
        // A token granted for less than the early margin is used for this request only: never cached.
        refresh_at_ = clock_.now() + std::max(fetched->lifetime - kRefreshEarly, std::chrono::seconds(0));
        outcome = fetched->token;
    } else {
        failure_ = fetched.error();
        token_.reset();
        outcome = std::move(fetched).error();
    }
    lock.unlock();
    fetched_.notify_all();
    return outcome;
}

core::Result<OAuthTokenCache::Fetched> OAuthTokenCache::fetch() const {
    core::ports::HttpRequest request;
    request.method = "POST";
    request.url = settings_.token_url;
    request.headers = {{"Authorization", "Basic " + base64(settings_.key_id + ":" + settings_.key_secret)},
                       {"Content-Type", "application/x-www-form-urlencoded"},
                       {"Accept", "application/json"}};
    request.body = "grant_type=client_credentials";
    request.connect_timeout = settings_.connect_timeout;
    request.attempt_timeout = settings_.attempt_timeout;
    if (settings_.deadline.count() > 0) request.deadline = settings_.deadline;
    request.retry = settings_.retry;

    auto response = http_.send(request);
    if (!response) return std::move(response).error().with("vendor", "sinch").with("action", "token");
    if (response->status < 200 || response->status >= 300) return refusal(*response);

    const json body = json::parse(response->body, nullptr, /*allow_exceptions=*/false);
    const auto status = std::to_string(response->status);
    if (!body.is_object()) {
        return vendor("Sinch's token answer is not a JSON object")
            .with("field", "access_token")
            .with("vendor_status", status);
    }
    const auto token = body.find("access_token");
    if (token == body.end() || !token->is_string() || token->get_ref<const std::string&>().empty()) {
        return vendor("Sinch's token answer has no access_token")
            .with("field", "access_token")
            .with("vendor_status", status);
    }
    const auto expires_in = body.find("expires_in");
    // A number of seconds; some servers send 3599.9 or "3600", both taken at face value (rounded down).
    std::optional<double> seconds;
    if (expires_in != body.end() && expires_in->is_number()) seconds = expires_in->get<double>();
    if (expires_in != body.end() && expires_in->is_string()) {
        const auto& text = expires_in->get_ref<const std::string&>();
        if (!text.empty() && text.size() <= 9 &&
            std::all_of(text.begin(), text.end(), [](char ch) { return ch >= '0' && ch <= '9'; })) {
            seconds = std::stod(text);
        }
    }
    if (!seconds || !std::isfinite(*seconds) || *seconds < 1) {
        return vendor("Sinch's token answer has no positive expires_in")
            .with("field", "expires_in")
            .with("vendor_status", status);
    }
    const auto whole = static_cast<std::int64_t>(std::min(*seconds, static_cast<double>(kMaxLifetimeSeconds)));
    return Fetched{token->get<std::string>(), std::chrono::seconds(whole)};
}

}  // namespace crossvoice::sinch
