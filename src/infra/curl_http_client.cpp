#include "infra/curl_http_client.hpp"

#include <sys/socket.h>

#include <curl/curl.h>
#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <limits>
#include <mutex>
#include <optional>
#include <random>
#include <string_view>
#include <system_error>
#include <thread>
#include <vector>

#include "infra/address_policy.hpp"

namespace crossvoice::infra {

using core::ports::HttpHeaders;
using core::ports::HttpRequest;
using core::ports::HttpResponse;
using core::ports::RetryPolicy;
using Ms = std::chrono::milliseconds;
using SteadyTime = std::chrono::steady_clock::time_point;

// Idle easy handles, most recently used last. curl_easy_reset keeps a handle's live connections, DNS cache
// and TLS sessions, so handing the warmest handle out first is what makes connections get reused.
class CurlHttpClient::HandlePool {
  public:
    explicit HandlePool(std::size_t max_idle) : max_idle_(max_idle) {}
    ~HandlePool() {
        for (CURL* handle : idle_) curl_easy_cleanup(handle);
    }
    HandlePool(const HandlePool&) = delete;
    HandlePool& operator=(const HandlePool&) = delete;

    CURL* take() {
        {
            const std::lock_guard lock(mutex_);
            if (!idle_.empty()) {
                CURL* handle = idle_.back();
                idle_.pop_back();
                return handle;
            }
        }
        return curl_easy_init();
    }

    void give_back(CURL* handle) {
        curl_easy_reset(handle);  // drops options that point into the finished call's request
        {
            const std::lock_guard lock(mutex_);
            if (idle_.size() < max_idle_) {
                idle_.push_back(handle);
                return;
            }
        }
        curl_easy_cleanup(handle);
    }

  private:
    std::mutex mutex_;
    std::vector<CURL*> idle_;
    std::size_t max_idle_;
};

namespace {

constexpr std::string_view kAllowedMethods = "GET, POST, PUT, PATCH, DELETE";

// Process-wide and not thread-safe in libcurl, hence once; never cleaned up (it lives as long as the process).
bool curl_ready() {
    static std::once_flag once;
    static CURLcode result = CURLE_FAILED_INIT;
    std::call_once(once, [] { result = curl_global_init(CURL_GLOBAL_DEFAULT); });
    return result == CURLE_OK;
}

const core::Clock& system_clock() {
    static const core::SystemClock clock;
    return clock;
}

class Lease {
  public:
    explicit Lease(CurlHttpClient::HandlePool& pool) : pool_(pool), handle_(pool.take()) {}
    ~Lease() {
        if (handle_ != nullptr) pool_.give_back(handle_);
    }
    Lease(const Lease&) = delete;
    Lease& operator=(const Lease&) = delete;
    CURL* get() const { return handle_; }

  private:
    CurlHttpClient::HandlePool& pool_;
    CURL* handle_;
};

struct UrlDeleter {
    void operator()(CURLU* url) const { curl_url_cleanup(url); }
};
struct SlistDeleter {
    void operator()(curl_slist* list) const { curl_slist_free_all(list); }
};
using HeaderList = std::unique_ptr<curl_slist, SlistDeleter>;

char lower(char ch) { return (ch >= 'A' && ch <= 'Z') ? static_cast<char>(ch - 'A' + 'a') : ch; }

bool iequals(std::string_view a, std::string_view b) {
    return a.size() == b.size() &&
           std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) { return lower(x) == lower(y); });
}

std::string_view trim(std::string_view text) {
    while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
    while (!text.empty() && (text.back() == ' ' || text.back() == '\t' || text.back() == '\r' || text.back() == '\n')) {
        text.remove_suffix(1);
    }
    return text;
}

bool known_method(std::string_view method) {
    return method == "GET" || method == "POST" || method == "PUT" || method == "PATCH" || method == "DELETE";
}

// RFC 9110 token characters: what a header name may contain.
bool is_token(std::string_view text) {
    constexpr std::string_view kExtra = "!#$%&'*+-.^_`|~";
    return !text.empty() && std::all_of(text.begin(), text.end(), [&](char ch) {
        return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') ||
               kExtra.find(ch) != std::string_view::npos;
    });
}

std::optional<std::string> url_part(CURLU* url, CURLUPart part) {
    char* text = nullptr;
    if (curl_url_get(url, part, &text, 0) != CURLUE_OK || text == nullptr) return std::nullopt;
    std::string out(text);
    curl_free(text);
    return out;
}

struct Target {
    std::string safe_url;  // scheme, host, port and path: what errors may show
    std::string query;     // kept only to keep it out of error messages
};

// Parsed here rather than left to curl_easy_perform so that a bad URL is a kValidation, not a network error.
// Messages never repeat the URL: its query or user info can carry credentials.
core::Result<Target> check_url(const std::string& url) {
    const std::unique_ptr<CURLU, UrlDeleter> parsed(curl_url());
    if (!parsed) return core::Error::internal("libcurl could not allocate a URL handle");
    if (url.empty() || curl_url_set(parsed.get(), CURLUPART_URL, url.c_str(), 0) != CURLUE_OK) {
        return core::Error::validation("url", "the URL is not a well-formed absolute URL");
    }
    const auto scheme = url_part(parsed.get(), CURLUPART_SCHEME);
    if (!scheme || (*scheme != "http" && *scheme != "https")) {
        return core::Error::validation("url", "only http and https URLs are supported");
    }
    const auto host = url_part(parsed.get(), CURLUPART_HOST);
    if (!host || host->empty()) return core::Error::validation("url", "the URL has no host");

    Target target;
    target.query = url_part(parsed.get(), CURLUPART_QUERY).value_or("");
    for (const CURLUPart part :
         {CURLUPART_QUERY, CURLUPART_FRAGMENT, CURLUPART_USER, CURLUPART_PASSWORD, CURLUPART_OPTIONS}) {
        curl_url_set(parsed.get(), part, nullptr, 0);
    }
    target.safe_url = url_part(parsed.get(), CURLUPART_URL).value_or(*scheme + "://" + *host);
    return target;
}

core::Result<HeaderList> build_headers(const HttpRequest& request) {
    HeaderList list;
    bool has_content_type = false;
    bool has_expect = false;
    auto append = [&list](const std::string& line) {
        curl_slist* head = curl_slist_append(list.get(), line.c_str());
        if (head == nullptr) return false;
        (void)list.release();  // same list, possibly a new head
        list.reset(head);
        return true;
    };
    for (const auto& [name, value] : request.headers) {
        // A CR or LF would let a value smuggle in extra header lines.
        if (!is_token(name) || value.find_first_of(std::string_view("\r\n\0", 3)) != std::string::npos) {
            return core::Error::validation("headers", "a header name is not a token or a value contains CR, LF or NUL");
        }
        has_content_type = has_content_type || iequals(name, "content-type");
        has_expect = has_expect || iequals(name, "expect");
        // "Name;" is libcurl's spelling of a header sent with an empty value.
        if (!append(value.empty() ? name + ";" : name + ": " + value)) {
            return core::Error::internal("libcurl could not allocate a header list");
        }
    }
    // No 100-continue round trip (vendor APIs answer quickly, and it costs a full RTT), and no
    // "application/x-www-form-urlencoded" invented by libcurl for a body whose type the caller did not name.
    if ((!has_expect && !append("Expect:")) || (!has_content_type && !append("Content-Type:"))) {
        return core::Error::internal("libcurl could not allocate a header list");
    }
    return list;
}

// What one attempt collects; reset before each.
struct Collector {
    HttpHeaders headers;
    std::string body;
    std::size_t max_body = 0;
    bool too_large = false;
    bool public_only = false;
    std::string refused_address;  // set when the address policy refused a connection
    char error[CURL_ERROR_SIZE] = {};

    void reset() {
        headers.clear();
        body.clear();
        too_large = false;
        refused_address.clear();
        error[0] = '\0';
    }
};

// libcurl asks us for every socket it opens, with the address it is about to connect to (after DNS, and for
// each redirect): the one place where the address policy cannot be fooled by a hostname.
curl_socket_t open_socket(void* user, curlsocktype purpose, curl_sockaddr* address) {
    auto& collector = *static_cast<Collector*>(user);
    if (collector.public_only && purpose == CURLSOCKTYPE_IPCXN && !is_public_address(&address->addr)) {
        collector.refused_address = address_text(&address->addr);
        return CURL_SOCKET_BAD;
    }
    return ::socket(address->family, address->socktype, address->protocol);
}

std::size_t on_body(char* data, std::size_t size, std::size_t count, void* user) {
    auto& collector = *static_cast<Collector*>(user);
    const std::size_t bytes = size * count;
    if (bytes > collector.max_body - collector.body.size()) {
        collector.too_large = true;
        return 0;  // anything but `bytes` aborts the transfer with CURLE_WRITE_ERROR
    }
    collector.body.append(data, bytes);
    return bytes;
}

std::size_t on_header(char* data, std::size_t size, std::size_t count, void* user) {
    auto& collector = *static_cast<Collector*>(user);
    const std::size_t bytes = size * count;
    const std::string_view line(data, bytes);
    if (line.starts_with("HTTP/")) {
        collector.headers.clear();  // a new response head: the previous one was a 1xx
        return bytes;
    }
    if (trim(line).empty()) return bytes;
    if (line.front() == ' ' || line.front() == '\t') {  // obsolete line folding continues the previous value
        if (!collector.headers.empty()) {
            collector.headers.back().second += ' ';
            collector.headers.back().second += trim(line);
        }
        return bytes;
    }
    const auto colon = line.find(':');
    if (colon == std::string_view::npos) return bytes;
    std::string name(trim(line.substr(0, colon)));
    std::transform(name.begin(), name.end(), name.begin(), lower);
    collector.headers.emplace_back(std::move(name), std::string(trim(line.substr(colon + 1))));
    return bytes;
}

// Options that stay the same for every attempt of one call. Pointers into `request`, `headers` and
// `collector` are dropped by curl_easy_reset when the handle goes back to the pool.
void configure(CURL* curl, const HttpRequest& request, curl_slist* headers, Collector& collector,
               const CurlHttpClientOptions& options) {
    curl_easy_setopt(curl, CURLOPT_URL, request.url.c_str());
    curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);  // no SIGALRM for timeouts: we run on many threads
    curl_easy_setopt(curl, CURLOPT_FOLLOWLOCATION, 0L);
    curl_easy_setopt(curl, CURLOPT_SSL_VERIFYPEER, 1L);
    curl_easy_setopt(curl, CURLOPT_SSL_VERIFYHOST, 2L);
    if (!options.ca_bundle_path.empty()) curl_easy_setopt(curl, CURLOPT_CAINFO, options.ca_bundle_path.c_str());
    curl_easy_setopt(curl, CURLOPT_USERAGENT, options.user_agent.c_str());
    curl_easy_setopt(curl, CURLOPT_TCP_KEEPALIVE, 1L);
    curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);
    curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, on_body);
    curl_easy_setopt(curl, CURLOPT_WRITEDATA, &collector);
    curl_easy_setopt(curl, CURLOPT_HEADERFUNCTION, on_header);
    curl_easy_setopt(curl, CURLOPT_HEADERDATA, &collector);
    curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, collector.error);
    collector.public_only = request.address_policy == core::ports::AddressPolicy::kPublicOnly;
    if (collector.public_only) {
        curl_easy_setopt(curl, CURLOPT_OPENSOCKETFUNCTION, open_socket);
        curl_easy_setopt(curl, CURLOPT_OPENSOCKETDATA, &collector);
        // A pooled connection was opened without this check (perhaps to the sandbox on loopback).
        curl_easy_setopt(curl, CURLOPT_FRESH_CONNECT, 1L);
        curl_easy_setopt(curl, CURLOPT_FORBID_REUSE, 1L);
    }
    if (request.max_redirects > 0) {
        curl_easy_setopt(curl, CURLOPT_FOLLOWLOCATION, 1L);
        curl_easy_setopt(curl, CURLOPT_MAXREDIRS, static_cast<long>(request.max_redirects));
        curl_easy_setopt(curl, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
    }
    if (request.min_bytes_per_second > 0) {
        curl_easy_setopt(curl, CURLOPT_LOW_SPEED_LIMIT, static_cast<long>(request.min_bytes_per_second));
        curl_easy_setopt(curl, CURLOPT_LOW_SPEED_TIME, static_cast<long>(request.low_speed_window.count()));
    }
    // Refuses a declared Content-Length over the limit before reading it; on_body catches chunked bodies.
    if (request.max_response_bytes < static_cast<std::size_t>(std::numeric_limits<curl_off_t>::max())) {
        curl_easy_setopt(curl, CURLOPT_MAXFILESIZE_LARGE, static_cast<curl_off_t>(request.max_response_bytes));
    }

    const bool sends_body =
        !request.body.empty() || request.method == "POST" || request.method == "PUT" || request.method == "PATCH";
    if (sends_body) {
        curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(request.body.size()));
        curl_easy_setopt(curl, CURLOPT_POSTFIELDS, request.body.data());
        if (request.method != "POST") curl_easy_setopt(curl, CURLOPT_CUSTOMREQUEST, request.method.c_str());
    } else {
        curl_easy_setopt(curl, CURLOPT_HTTPGET, 1L);
        if (request.method != "GET") curl_easy_setopt(curl, CURLOPT_CUSTOMREQUEST, request.method.c_str());
    }
}

enum class FailureKind { kTimeout, kUnavailable, kInvalid, kInternal };

struct Failure {
    FailureKind kind;
    bool retryable;
    std::string_view reason;  // stable token for the "reason" detail
};

Failure classify(CURLcode code, bool too_large) {
    if (too_large || code == CURLE_FILESIZE_EXCEEDED) {
        return {FailureKind::kUnavailable, false, "response_too_large"};
    }
    switch (code) {
        case CURLE_OPERATION_TIMEDOUT: return {FailureKind::kTimeout, true, "timeout"};
        case CURLE_COULDNT_RESOLVE_HOST:
        case CURLE_COULDNT_RESOLVE_PROXY: return {FailureKind::kUnavailable, true, "dns_failed"};
        case CURLE_COULDNT_CONNECT: return {FailureKind::kUnavailable, true, "connect_failed"};
        case CURLE_SSL_CONNECT_ERROR: return {FailureKind::kUnavailable, true, "tls_failed"};
        // A certificate that does not verify will not verify a second later: no retry.
        case CURLE_PEER_FAILED_VERIFICATION:
        case CURLE_SSL_CACERT_BADFILE:
        case CURLE_SSL_CERTPROBLEM:
        case CURLE_SSL_ISSUER_ERROR:
        case CURLE_SSL_PINNEDPUBKEYNOTMATCH: return {FailureKind::kUnavailable, false, "tls_verification_failed"};
        case CURLE_URL_MALFORMAT:
        case CURLE_UNSUPPORTED_PROTOCOL: return {FailureKind::kInvalid, false, "bad_url"};
        case CURLE_OUT_OF_MEMORY:
        case CURLE_BAD_FUNCTION_ARGUMENT:
        case CURLE_UNKNOWN_OPTION:
        case CURLE_NOT_BUILT_IN:
        case CURLE_FAILED_INIT:
        case CURLE_WRITE_ERROR:
        case CURLE_ABORTED_BY_CALLBACK: return {FailureKind::kInternal, false, "client_failed"};
        case CURLE_SEND_ERROR:
        case CURLE_RECV_ERROR:
        case CURLE_GOT_NOTHING:
        case CURLE_PARTIAL_FILE:
        case CURLE_HTTP2:
        case CURLE_HTTP2_STREAM: return {FailureKind::kUnavailable, true, "connection_lost"};
        default: return {FailureKind::kUnavailable, true, "network_error"};
    }
}

bool retryable_status(int status) { return status == 429 || status >= 500; }

// True when the failed attempt sent no byte of the request (no connection, DNS or TLS failure, a connect
// timeout), so the server cannot have acted on it. libcurl counts the request head as it is first sent and
// zeroes the count at the start of every transfer.
bool request_unsent(CURL* curl) {
    long request_bytes = 0;
    return curl_easy_getinfo(curl, CURLINFO_REQUEST_SIZE, &request_bytes) == CURLE_OK && request_bytes == 0;
}

// libcurl's own message when it cannot leak the query (it names hosts and ports, rarely URLs).
std::string describe(CURLcode code, const Collector& collector, const Target& target) {
    const std::string_view detail(collector.error);
    if (detail.empty() || (!target.query.empty() && detail.find(target.query) != std::string_view::npos)) {
        return curl_easy_strerror(code);
    }
    return std::string(detail);
}

core::Error timed_out(const HttpRequest& request, const Target& target, int attempts) {
    return core::Error{core::ErrorCode::kTimeout,
                       fmt::format("{} {}: no answer within the deadline after {} attempt(s)", request.method,
                                   target.safe_url, attempts),
                       {{"url", target.safe_url}, {"attempts", std::to_string(attempts)}}};
}

core::Error failed(const HttpRequest& request, const Target& target, int attempts, const Failure& failure,
                   const std::string& description) {
    switch (failure.kind) {
        case FailureKind::kTimeout: return timed_out(request, target, attempts);
        case FailureKind::kInvalid: return core::Error::validation("url", "libcurl refused the URL: " + description);
        case FailureKind::kInternal:
            return core::Error::internal(fmt::format("{} {}: {}", request.method, target.safe_url, description))
                .with("url", target.safe_url)
                .with("attempts", std::to_string(attempts));
        case FailureKind::kUnavailable: break;
    }
    return core::Error::unavailable(fmt::format("{} {} failed after {} attempt(s): {}", request.method, target.safe_url,
                                                attempts, description))
        .with("reason", std::string(failure.reason))
        .with("attempts", std::to_string(attempts))
        .with("url", target.safe_url);
}

std::optional<std::int64_t> parse_digits(std::string_view text) {
    std::int64_t value = 0;
    const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (error != std::errc{} || end != text.data() + text.size() || value < 0) return std::nullopt;
    return value;
}

// Retry-After: delta-seconds or an HTTP-date (curl_getdate reads all three RFC 9110 date forms).
std::optional<double> retry_after_ms(std::string_view value, const core::Clock& clock) {
    value = trim(value);
    if (value.empty()) return std::nullopt;
    if (value.find_first_not_of("0123456789") == std::string_view::npos) {
        const auto seconds = parse_digits(value);
        return seconds ? std::optional<double>(static_cast<double>(*seconds) * 1000.0) : std::nullopt;
    }
    const std::string date(value);
    const time_t at = curl_getdate(date.c_str(), nullptr);
    if (at < 0) return std::nullopt;
    return static_cast<double>(at) * 1000.0 - static_cast<double>(core::to_unix_ms(clock.now()));
}

// Telnyx's x-ratelimit-reset: seconds until the window resets, or (anything past 1e9) the Unix time it does.
std::optional<double> ratelimit_reset_ms(std::string_view value, const core::Clock& clock) {
    value = trim(value);
    double number = 0;
    const auto [end, error] = std::from_chars(value.data(), value.data() + value.size(), number);
    if (value.empty() || error != std::errc{} || end != value.data() + value.size() || !std::isfinite(number) ||
        number < 0) {
        return std::nullopt;
    }
    if (number > 1e9) return number * 1000.0 - static_cast<double>(core::to_unix_ms(clock.now()));
    return number * 1000.0;
}

// The wait a 429 or 503 names for itself, capped at max_delay; nullopt when it names none.
std::optional<Ms> named_wait(const HttpResponse& response, const RetryPolicy& policy, const core::Clock& clock) {
    if (response.status != 429 && response.status != 503) return std::nullopt;
    std::optional<double> wait;
    if (const auto value = response.header("retry-after")) wait = retry_after_ms(*value, clock);
    if (!wait) {
        if (const auto value = response.header("x-ratelimit-reset")) wait = ratelimit_reset_ms(*value, clock);
    }
    if (!wait) return std::nullopt;
    const double capped =
        std::clamp(std::ceil(*wait), 0.0, static_cast<double>(std::max<Ms::rep>(policy.max_delay.count(), 0)));
    return Ms{static_cast<Ms::rep>(capped)};
}

bool would_overrun(const std::optional<SteadyTime>& deadline, Ms wait) {
    return deadline && std::chrono::steady_clock::now() + wait >= *deadline;
}

Ms full_jitter(Ms cap) {
    thread_local std::mt19937_64 engine{std::random_device{}()};
    std::uniform_int_distribution<Ms::rep> pick(0, cap.count());
    return Ms{pick(engine)};
}

}  // namespace

CurlHttpClient::CurlHttpClient(CurlHttpClientOptions options)
    : options_(std::move(options)), pool_(std::make_unique<HandlePool>(options_.max_idle_handles)) {
    curl_ready();
}

CurlHttpClient::~CurlHttpClient() = default;

Ms CurlHttpClient::backoff(const RetryPolicy& policy, int attempt) const {
    const Ms max_delay = std::max(policy.max_delay, Ms{0});
    Ms cap = std::clamp(policy.base_delay, Ms{0}, max_delay);
    for (int i = 1; i < attempt && cap < max_delay; ++i) cap = std::min(cap * 2, max_delay);
    const Ms drawn = options_.jitter ? options_.jitter(cap) : full_jitter(cap);
    return std::clamp(drawn, Ms{0}, cap);
}

void CurlHttpClient::wait(Ms delay) const {
    if (delay <= Ms{0}) return;
    if (options_.sleep) {
        options_.sleep(delay);
    } else {
        std::this_thread::sleep_for(delay);
    }
}

core::Result<HttpResponse> CurlHttpClient::send(const HttpRequest& request) {
    if (!known_method(request.method)) {
        return core::Error::validation("method", fmt::format("the method must be one of {}", kAllowedMethods));
    }
    if (request.connect_timeout <= Ms{0} || request.attempt_timeout <= Ms{0}) {
        return core::Error::validation("timeout", "connect_timeout and attempt_timeout must be positive");
    }
    auto target = check_url(request.url);
    if (!target) return std::move(target).error();
    auto headers = build_headers(request);
    if (!headers) return std::move(headers).error();
    if (!curl_ready()) return core::Error::internal("libcurl failed to initialise");

    const Lease lease(*pool_);
    if (lease.get() == nullptr) return core::Error::internal("libcurl could not create a handle");
    Collector collector;
    collector.max_body = request.max_response_bytes;
    configure(lease.get(), request, headers->get(), collector, options_);

    const core::Clock& clock = options_.clock != nullptr ? *options_.clock : system_clock();
    std::optional<SteadyTime> deadline;
    if (request.deadline) deadline = std::chrono::steady_clock::now() + *request.deadline;
    const int max_attempts = std::max(1, request.retry.max_attempts);

    for (int attempt = 1;; ++attempt) {
        Ms timeout = request.attempt_timeout;
        if (deadline) {
            const auto left = std::chrono::ceil<Ms>(*deadline - std::chrono::steady_clock::now());
            if (left <= Ms{0}) return timed_out(request, *target, attempt - 1);
            timeout = std::min(timeout, left);
        }
        // Never 0: libcurl reads a zero timeout as "no timeout".
        curl_easy_setopt(lease.get(), CURLOPT_TIMEOUT_MS, static_cast<long>(std::max(timeout, Ms{1}).count()));
        curl_easy_setopt(lease.get(), CURLOPT_CONNECTTIMEOUT_MS,
                         static_cast<long>(std::max(std::min(request.connect_timeout, timeout), Ms{1}).count()));
        collector.reset();

        const CURLcode code = curl_easy_perform(lease.get());
        long connects = 0;
        if (curl_easy_getinfo(lease.get(), CURLINFO_NUM_CONNECTS, &connects) == CURLE_OK && connects > 0) {
            connections_opened_.fetch_add(static_cast<std::uint64_t>(connects), std::memory_order_relaxed);
        }

        if (code == CURLE_OK) {
            long status = 0;
            curl_easy_getinfo(lease.get(), CURLINFO_RESPONSE_CODE, &status);
            HttpResponse response;
            response.status = static_cast<int>(status);
            response.headers = std::move(collector.headers);
            response.body = std::move(collector.body);
            response.attempts = attempt;
            // Only a 429 proves the server did not act on the request; any 5xx may come after it did.
            const bool may_repeat = request.retry.retry_if_maybe_processed || response.status == 429;
            if (!retryable_status(response.status) || !may_repeat || attempt == max_attempts) return response;
            const auto named = named_wait(response, request.retry, clock);
            const Ms delay = named ? *named : backoff(request.retry, attempt);
            // The caller can still act on this answer (a 429 says when to come back); waiting past the
            // deadline would only turn it into a timeout.
            if (would_overrun(deadline, delay)) return response;
            wait(delay);
            continue;
        }

        if (!collector.refused_address.empty()) {
            return core::Error{core::ErrorCode::kForbidden,
                               fmt::format("{} {}: refusing to connect to {}, a private, loopback or reserved address",
                                           request.method, target->safe_url, collector.refused_address),
                               {{"address", collector.refused_address}, {"url", target->safe_url}}};
        }
        const Failure failure = classify(code, collector.too_large);
        if (!failure.retryable || attempt == max_attempts ||
            (!request.retry.retry_if_maybe_processed && !request_unsent(lease.get()))) {
            return failed(request, *target, attempt, failure, describe(code, collector, *target));
        }
        const Ms delay = backoff(request.retry, attempt);
        if (would_overrun(deadline, delay)) {
            return failed(request, *target, attempt, failure, describe(code, collector, *target));
        }
        wait(delay);
    }
}

}  // namespace crossvoice::infra
