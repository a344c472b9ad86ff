// Load generator for bench/ivr_step.sh: signed TeXML callbacks against crossvoice's POST /api/voice/texml, one
// blocking HTTP/1.1 keep-alive connection per thread, every latency recorded and sorted at the end.
//
//   ivr_step keygen SECRET_FILE
//       writes a fresh Ed25519 secret key (base64 of libsodium's 64 bytes) to SECRET_FILE and prints the public
//       key (base64 of 32 bytes: TELNYX_PUBLIC_KEY) on stdout.
//   ivr_step --port=P --mode=steps|replay|healthz [options]
//       runs for --duration seconds on --connections connections and prints one JSON line on stdout.
//
// Modes:
//   steps    each connection opens calls of its own, one after the other: the first fetch (no step; "call
//            setup", measured apart), then --steps-per-call keypress callbacks `?step=N&input=gather` with
//            Digits=1. Each must answer 200 with a <Gather> whose action carries step N+1: the step the server
//            stored, so every 200 is an applied and persisted step.
//   replay   each connection opens one call and applies one keypress before the clock starts, then repeats the
//            stale callback `?step=0&input=gather` (signed afresh each time): the stored reply comes back, with
//            no engine run and no write. Each must answer 200 with a <Gather> for step 1.
//   healthz  GET /healthz over the same client: the HTTP floor.
//
// Options: --host=127.0.0.1 --port=P --key=SECRET_FILE (steps, replay) --connections=16 --duration=10 (seconds)
// --steps-per-call=20 --to=+12025550190 --from=+12025550100 --run=NAME (part of every CallSid, so runs do not
// collide) --calls-out=FILE (steps, replay: one line per call, "CallSid<TAB>steps<TAB>certain", where certain is
// 0 when an error left the call's stored step unknown by one: steps or steps + 1; steps is -1 when the first
// fetch itself failed).
//
// Every request is signed as Telnyx signs: base64 Ed25519 over "<unix seconds>|<form body>" in
// telnyx-signature-ed25519, the seconds in telnyx-timestamp. The query string (our step and input) is not signed.

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sodium.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <barrier>
#include <cctype>
#include <cerrno>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <fstream>
#include <iterator>
#include <optional>
#include <sstream>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

namespace {

using Clock = std::chrono::steady_clock;

[[noreturn]] void fail(const std::string& message) {
    std::fprintf(stderr, "ivr_step: %s\n", message.c_str());
    std::exit(2);
}

std::string errno_text(int error) { return std::string(std::strerror(error)); }

// --- Options ---------------------------------------------------------------------------------------------------

enum class Mode { kSteps, kReplay, kHealthz };

struct Options {
    std::string host = "127.0.0.1";
    int port = 0;
    std::string key_file;
    Mode mode = Mode::kSteps;
    int connections = 16;
    double duration_s = 10;
    int steps_per_call = 20;
    std::string to = "+12025550190";
    std::string from = "+12025550100";
    std::string run = "run";
    std::string calls_out;
};

long parse_long(std::string_view name, const std::string& value, long low, long high) {
    char* end = nullptr;
    errno = 0;
    const long parsed = std::strtol(value.c_str(), &end, 10);
    if (value.empty() || *end != '\0' || errno != 0 || parsed < low || parsed > high) {
        fail("--" + std::string(name) + " must be a whole number from " + std::to_string(low) + " to " +
             std::to_string(high) + ", got '" + value + "'");
    }
    return parsed;
}

Options parse_options(int argc, char** argv) {
    Options options;
    for (int i = 1; i < argc; ++i) {
        const std::string_view arg(argv[i]);
        const auto equals = arg.find('=');
        if (arg.substr(0, 2) != "--" || equals == std::string_view::npos) {
            fail("unexpected argument '" + std::string(arg) + "' (options are --name=value)");
        }
        const auto name = arg.substr(2, equals - 2);
        const std::string value(arg.substr(equals + 1));
        if (name == "host") {
            options.host = value;
        } else if (name == "port") {
            options.port = static_cast<int>(parse_long(name, value, 1, 65535));
        } else if (name == "key") {
            options.key_file = value;
        } else if (name == "mode") {
            if (value == "steps") {
                options.mode = Mode::kSteps;
            } else if (value == "replay") {
                options.mode = Mode::kReplay;
            } else if (value == "healthz") {
                options.mode = Mode::kHealthz;
            } else {
                fail("--mode must be steps, replay or healthz, got '" + value + "'");
            }
        } else if (name == "connections") {
            options.connections = static_cast<int>(parse_long(name, value, 1, 1024));
        } else if (name == "duration") {
            char* end = nullptr;
            options.duration_s = std::strtod(value.c_str(), &end);
            if (value.empty() || *end != '\0' || !(options.duration_s > 0) || options.duration_s > 3600) {
                fail("--duration must be a number of seconds from 0 to 3600, got '" + value + "'");
            }
        } else if (name == "steps-per-call") {
            options.steps_per_call = static_cast<int>(parse_long(name, value, 1, 1'000'000));
        } else if (name == "to") {
            options.to = value;
        } else if (name == "from") {
            options.from = value;
        } else if (name == "run") {
            options.run = value;
        } else if (name == "calls-out") {
            options.calls_out = value;
        } else {
            fail("unknown option --" + std::string(name));
        }
    }
    if (options.port == 0) fail("--port is required");
    if (options.mode != Mode::kHealthz && options.key_file.empty()) fail("--key is required in this mode");
    return options;
}

// --- Signing ---------------------------------------------------------------------------------------------------

using SecretKey = std::array<unsigned char, crypto_sign_SECRETKEYBYTES>;

std::string to_base64(const unsigned char* data, std::size_t size) {
    std::string out(sodium_base64_encoded_len(size, sodium_base64_VARIANT_ORIGINAL), '\0');
    sodium_bin2base64(out.data(), out.size(), data, size, sodium_base64_VARIANT_ORIGINAL);
    out.resize(std::strlen(out.c_str()));
    return out;
}

SecretKey read_secret_key(const std::string& path) {
    std::ifstream file(path);
    if (!file) fail("cannot read the key file " + path);
    std::string text;
    std::getline(file, text);
    SecretKey key{};
    std::size_t size = 0;
    if (sodium_base642bin(key.data(), key.size(), text.data(), text.size(), nullptr, &size, nullptr,
                          sodium_base64_VARIANT_ORIGINAL) != 0 ||
        size != key.size()) {
        fail(path + " does not hold the base64 of a " + std::to_string(key.size()) + "-byte Ed25519 secret key");
    }
    return key;
}

int keygen(const std::string& path) {
    std::array<unsigned char, crypto_sign_PUBLICKEYBYTES> public_key{};
    SecretKey secret_key{};
    crypto_sign_keypair(public_key.data(), secret_key.data());
    {
        std::ofstream file(path, std::ios::trunc);
        if (!file) fail("cannot write " + path);
        file << to_base64(secret_key.data(), secret_key.size()) << '\n';
        if (!file.flush()) fail("cannot write " + path);
    }
    std::printf("%s\n", to_base64(public_key.data(), public_key.size()).c_str());
    return 0;
}

// --- A blocking HTTP/1.1 keep-alive client -----------------------------------------------------------------------

struct Response {
    int status = 0;
    std::string body;
};

class HttpClient {
  public:
    HttpClient(std::string host, int port) : host_(std::move(host)), port_(port) {
        host_header_ = host_ + ":" + std::to_string(port_);
    }
    HttpClient(const HttpClient&) = delete;
    HttpClient& operator=(const HttpClient&) = delete;
    ~HttpClient() { close(); }

    // One request on the open connection (opened first when needed). nullopt and `error` on a socket error;
    // the connection is closed then, and reopened by the next request.
    std::optional<Response> send(const std::string& request, std::string& error) {
        if (fd_ < 0 && !open(error)) return std::nullopt;
        std::size_t sent = 0;
        while (sent < request.size()) {
            const ssize_t n = ::send(fd_, request.data() + sent, request.size() - sent, MSG_NOSIGNAL);
            if (n < 0) {
                if (errno == EINTR) continue;
                error = "send: " + errno_text(errno);
                close();
                return std::nullopt;
            }
            sent += static_cast<std::size_t>(n);
        }
        auto response = read_response(error);
        if (!response) close();
        return response;
    }

    // Opens the connection ahead of the first request, so that the measured window does not include it.
    void connect() {
        std::string ignored;
        if (fd_ < 0) open(ignored);
    }

    const std::string& host_header() const { return host_header_; }

  private:
    bool open(std::string& error) {
        fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
        if (fd_ < 0) {
            error = "socket: " + errno_text(errno);
            return false;
        }
        const int one = 1;
        ::setsockopt(fd_, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
        sockaddr_in address{};
        address.sin_family = AF_INET;
        address.sin_port = htons(static_cast<std::uint16_t>(port_));
        if (::inet_pton(AF_INET, host_.c_str(), &address.sin_addr) != 1) fail("--host must be an IPv4 address");
        if (::connect(fd_, reinterpret_cast<const sockaddr*>(&address), sizeof address) != 0) {
            error = "connect: " + errno_text(errno);
            close();
            std::this_thread::sleep_for(std::chrono::milliseconds(10));  // no busy loop against a dead server
            return false;
        }
        buffer_.clear();
        return true;
    }

    void close() {
        if (fd_ >= 0) ::close(fd_);
        fd_ = -1;
        buffer_.clear();
    }

    // Reads more bytes into buffer_; false and `error` at end of stream or on an error.
    bool fill(std::string& error) {
        std::array<char, 16384> chunk{};
        for (;;) {
            const ssize_t n = ::recv(fd_, chunk.data(), chunk.size(), 0);
            if (n > 0) {
                buffer_.append(chunk.data(), static_cast<std::size_t>(n));
                return true;
            }
            if (n == 0) {
                error = "connection closed by the server";
                return false;
            }
            if (errno == EINTR) continue;
            error = "recv: " + errno_text(errno);
            return false;
        }
    }

    static bool iequals(std::string_view a, std::string_view b) {
        if (a.size() != b.size()) return false;
        for (std::size_t i = 0; i < a.size(); ++i) {
            if (std::tolower(static_cast<unsigned char>(a[i])) != std::tolower(static_cast<unsigned char>(b[i]))) {
                return false;
            }
        }
        return true;
    }

    std::optional<Response> read_response(std::string& error) {
        std::size_t head_end = std::string::npos;
        while ((head_end = buffer_.find("\r\n\r\n")) == std::string::npos) {
            if (buffer_.size() > 65536) {
                error = "response head larger than 64 KiB";
                return std::nullopt;
            }
            if (!fill(error)) return std::nullopt;
        }
        const std::string_view head(buffer_.data(), head_end);
        Response response;
        if (head.size() < 12 || head.substr(0, 5) != "HTTP/") {
            error = "not an HTTP response";
            return std::nullopt;
        }
        response.status = std::atoi(std::string(head.substr(9, 3)).c_str());
        std::optional<std::size_t> length;
        bool close_after = false;
        std::size_t line_start = head.find("\r\n");
        while (line_start != std::string_view::npos && line_start < head.size()) {
            line_start += 2;
            auto line_end = head.find("\r\n", line_start);
            if (line_end == std::string_view::npos) line_end = head.size();
            const auto line = head.substr(line_start, line_end - line_start);
            const auto colon = line.find(':');
            if (colon != std::string_view::npos) {
                const auto name = line.substr(0, colon);
                auto value = line.substr(colon + 1);
                while (!value.empty() && value.front() == ' ') value.remove_prefix(1);
                if (iequals(name, "content-length")) {
                    length = static_cast<std::size_t>(std::strtoull(std::string(value).c_str(), nullptr, 10));
                } else if (iequals(name, "connection") && iequals(value, "close")) {
                    close_after = true;
                } else if (iequals(name, "transfer-encoding")) {
                    error = "chunked responses are not supported";
                    return std::nullopt;
                }
            }
            line_start = line_end;
        }
        if (!length) {
            error = "response without Content-Length";
            return std::nullopt;
        }
        const std::size_t body_start = head_end + 4;
        while (buffer_.size() < body_start + *length) {
            if (!fill(error)) return std::nullopt;
        }
        response.body.assign(buffer_, body_start, *length);
        buffer_.erase(0, body_start + *length);
        if (close_after) close();
        return response;
    }

    std::string host_;
    int port_;
    std::string host_header_;
    int fd_ = -1;
    std::string buffer_;
};

// --- Requests --------------------------------------------------------------------------------------------------

std::string form_escape(std::string_view text) {
    static constexpr char kHex[] = "0123456789ABCDEF";
    std::string out;
    for (const char ch : text) {
        const auto byte = static_cast<unsigned char>(ch);
        if (std::isalnum(byte) != 0 || ch == '-' || ch == '_' || ch == '.' || ch == '~') {
            out += ch;
        } else {
            out += '%';
            out += kHex[byte >> 4U];
            out += kHex[byte & 0x0FU];
        }
    }
    return out;
}

class Signer {
  public:
    explicit Signer(const SecretKey& key) : key_(key) {}

    // POST /api/voice/texml[?query] with `body`, signed with the current time.
    std::string texml_request(const std::string& host_header, std::string_view query, const std::string& body) {
        const std::string timestamp = std::to_string(static_cast<long long>(std::time(nullptr)));
        message_.assign(timestamp);
        message_ += '|';
        message_ += body;
        std::array<unsigned char, crypto_sign_BYTES> signature{};
        crypto_sign_detached(signature.data(), nullptr,
                             static_cast<const unsigned char*>(static_cast<const void*>(message_.data())),
                             message_.size(), key_.data());
        std::string request = "POST /api/voice/texml";
        if (!query.empty()) {
            request += '?';
            request += query;
        }
        request += " HTTP/1.1\r\nHost: ";
        request += host_header;
        request +=
            "\r\nUser-Agent: crossvoice-ivr-step-bench\r\nContent-Type: application/x-www-form-urlencoded"
            "\r\nContent-Length: ";
        request += std::to_string(body.size());
        request += "\r\ntelnyx-signature-ed25519: ";
        request += to_base64(signature.data(), signature.size());
        request += "\r\ntelnyx-timestamp: ";
        request += timestamp;
        request += "\r\n\r\n";
        request += body;
        return request;
    }

  private:
    SecretKey key_;
    std::string message_;
};

// The parameters Telnyx sends on every TeXML request (vendor-apis.md B.1, B.3), plus Digits on a gather action.
std::string texml_form(const Options& options, const std::string& call_sid, std::string_view digits) {
    std::string body = "AccountSid=6f1e2d3c-4b5a-4978-8a6b-5c4d3e2f1a0b&CallSid=" + form_escape(call_sid) +
                       "&CallSidLegacy=" + form_escape(call_sid) + "&From=" + form_escape(options.from) +
                       "&To=" + form_escape(options.to) + "&CallerId=" + form_escape(options.from) +
                       "&CallingPartyType=pstn&ConnectionId=1494404757140276705&CallStatus=in-progress"
                       "&Direction=inbound";
    if (!digits.empty()) body += "&Digits=" + form_escape(digits);
    return body;
}

// The step in the action URL of the first <Gather> of a TeXML reply, which must be a gather callback of ours.
std::optional<int> gather_step(std::string_view xml) {
    const auto gather = xml.find("<Gather");
    if (gather == std::string_view::npos) return std::nullopt;
    const auto action = xml.find("action=\"", gather);
    const auto tag_end = xml.find('>', gather);
    if (action == std::string_view::npos || action > tag_end) return std::nullopt;
    const auto value_start = action + 8;
    const auto value_end = xml.find('"', value_start);
    if (value_end == std::string_view::npos) return std::nullopt;
    const auto url = xml.substr(value_start, value_end - value_start);
    if (url.find("/api/voice/texml?") == std::string_view::npos || url.find("input=gather") == std::string_view::npos) {
        return std::nullopt;
    }
    const auto step = url.find("step=");
    if (step == std::string_view::npos) return std::nullopt;
    int value = 0;
    std::size_t i = step + 5;
    if (i >= url.size() || url[i] < '0' || url[i] > '9') return std::nullopt;
    for (; i < url.size() && url[i] >= '0' && url[i] <= '9'; ++i) value = value * 10 + (url[i] - '0');
    return value;
}

// --- One connection's run ----------------------------------------------------------------------------------------

struct CallRecord {
    std::string call_sid;
    int steps = 0;        // keypresses answered 200 with the next step; -1 when the first fetch failed
    bool certain = true;  // false: an error after `steps` may or may not have applied one more
};

struct Worker {
    std::vector<std::int64_t> latencies_ns;        // the measured requests
    std::vector<std::int64_t> setup_latencies_ns;  // steps mode: first fetches
    std::vector<CallRecord> calls;
    std::int64_t errors = 0;
    std::int64_t setup_errors = 0;
    std::vector<std::string> error_samples;
    std::string prepare_error;  // replay: the call could not be prepared
    Clock::time_point finished{};
};

void note_error(Worker& worker, std::string what) {
    if (worker.error_samples.size() < 5) worker.error_samples.push_back(std::move(what));
}

std::string describe(const std::optional<Response>& response, const std::string& socket_error) {
    if (!response) return socket_error;
    std::string body = response->body.substr(0, 200);
    for (char& ch : body) {
        if (ch == '\n' || ch == '\r' || ch == '"' || ch == '\\' || static_cast<unsigned char>(ch) < 0x20) ch = ' ';
    }
    return "HTTP " + std::to_string(response->status) + ": " + body;
}

// Run by the barrier once every worker (and the main thread) has arrived, before any of them goes on: the
// measured window starts there, after the replay calls are prepared.
struct StartClock {
    Clock::time_point* begun;
    Clock::time_point* deadline;
    double duration_s;
    void operator()() noexcept {
        *begun = Clock::now();
        *deadline = *begun + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(duration_s));
    }
};

struct Shared {
    const Options& options;
    const SecretKey* key;
    std::barrier<StartClock>& start_line;
    const Clock::time_point& deadline;  // set by StartClock; read by the workers only after the barrier
};

std::int64_t elapsed_ns(Clock::time_point since) {
    return std::chrono::duration_cast<std::chrono::nanoseconds>(Clock::now() - since).count();
}

// One signed TeXML request: 200 and a <Gather> for `expected_step`, or an error described in `error`.
bool texml_exchange(HttpClient& client, Signer& signer, std::string_view query, const std::string& body,
                    int expected_step, std::int64_t& latency_ns, std::string& error) {
    const auto started = Clock::now();
    const std::string request = signer.texml_request(client.host_header(), query, body);
    std::string socket_error;
    auto response = client.send(request, socket_error);
    latency_ns = elapsed_ns(started);
    if (!response || response->status != 200) {
        error = describe(response, socket_error);
        return false;
    }
    const auto step = gather_step(response->body);
    if (!step || *step != expected_step) {
        error = "step " + std::string(query.empty() ? "setup" : query) + ": expected a <Gather> for step " +
                std::to_string(expected_step) + ", got " + (step ? std::to_string(*step) : "none") + ": " +
                describe(response, "");
        return false;
    }
    return true;
}

std::string step_query(int step) { return "step=" + std::to_string(step) + "&input=gather"; }

void run_steps(Shared& shared, int index, Worker& worker) {
    const Options& options = shared.options;
    HttpClient client(options.host, options.port);
    Signer signer(*shared.key);
    client.connect();
    shared.start_line.arrive_and_wait();
    int call_number = 0;
    while (Clock::now() < shared.deadline) {
        CallRecord call;
        call.call_sid = "v3:bench-" + options.run + "-c" + std::to_string(index) + "-" + std::to_string(call_number++);
        std::int64_t latency = 0;
        std::string error;
        const bool opened =
            texml_exchange(client, signer, "", texml_form(options, call.call_sid, ""), 0, latency, error);
        worker.setup_latencies_ns.push_back(latency);
        if (!opened) {
            ++worker.setup_errors;
            note_error(worker, "setup: " + error);
            call.steps = -1;
            call.certain = false;
            worker.calls.push_back(std::move(call));
            continue;
        }
        const std::string body = texml_form(options, call.call_sid, "1");
        for (int step = 0; step < options.steps_per_call && Clock::now() < shared.deadline; ++step) {
            const bool ok = texml_exchange(client, signer, step_query(step), body, step + 1, latency, error);
            worker.latencies_ns.push_back(latency);
            if (!ok) {
                ++worker.errors;
                note_error(worker, error);
                call.certain = false;
                break;
            }
            call.steps = step + 1;
        }
        worker.calls.push_back(std::move(call));
    }
    worker.finished = Clock::now();
}

void run_replay(Shared& shared, int index, Worker& worker) {
    const Options& options = shared.options;
    HttpClient client(options.host, options.port);
    Signer signer(*shared.key);
    CallRecord call;
    call.call_sid = "v3:bench-" + options.run + "-c" + std::to_string(index) + "-replay";
    const std::string body = texml_form(options, call.call_sid, "1");
    std::int64_t latency = 0;
    std::string error;
    if (!texml_exchange(client, signer, "", texml_form(options, call.call_sid, ""), 0, latency, error)) {
        worker.prepare_error = "opening the replayed call: " + error;
        call.steps = -1;
        call.certain = false;
    } else if (!texml_exchange(client, signer, step_query(0), body, 1, latency, error)) {
        worker.prepare_error = "its first keypress: " + error;
        call.certain = false;
    } else {
        call.steps = 1;
    }
    shared.start_line.arrive_and_wait();
    if (worker.prepare_error.empty()) {
        const std::string query = step_query(0);
        while (Clock::now() < shared.deadline) {
            const bool ok = texml_exchange(client, signer, query, body, 1, latency, error);
            worker.latencies_ns.push_back(latency);
            if (!ok) {
                ++worker.errors;
                note_error(worker, error);
                call.certain = false;  // an error in the replay may mean the stale callback was applied
            }
        }
    }
    worker.calls.push_back(std::move(call));
    worker.finished = Clock::now();
}

void run_healthz(Shared& shared, Worker& worker) {
    const Options& options = shared.options;
    HttpClient client(options.host, options.port);
    const std::string request =
        "GET /healthz HTTP/1.1\r\nHost: " + client.host_header() + "\r\nUser-Agent: crossvoice-ivr-step-bench\r\n\r\n";
    client.connect();
    shared.start_line.arrive_and_wait();
    while (Clock::now() < shared.deadline) {
        const auto started = Clock::now();
        std::string socket_error;
        auto response = client.send(request, socket_error);
        worker.latencies_ns.push_back(elapsed_ns(started));
        if (!response || response->status != 200) {
            ++worker.errors;
            note_error(worker, describe(response, socket_error));
        }
    }
    worker.finished = Clock::now();
}

// --- Report ------------------------------------------------------------------------------------------------------

std::string json_escape(std::string_view text) {
    std::string out;
    for (const char ch : text) {
        if (ch == '"' || ch == '\\') out += '\\';
        out += ch;
    }
    return out;
}

std::string fixed(double value, int decimals) {
    std::array<char, 64> text{};
    std::snprintf(text.data(), text.size(), "%.*f", decimals, value);
    return text.data();
}

// Nearest-rank percentiles of the sorted latencies, in milliseconds.
std::string latency_json(std::vector<std::int64_t>& values) {
    if (values.empty()) return "null";
    std::sort(values.begin(), values.end());
    const auto rank = [&](double p) {
        const auto n = static_cast<double>(values.size());
        auto i = static_cast<std::size_t>(std::ceil(p * n));
        i = std::clamp<std::size_t>(i, 1, values.size());
        return static_cast<double>(values[i - 1]) / 1e6;
    };
    double sum = 0;
    for (const auto v : values) sum += static_cast<double>(v);
    const double mean = sum / static_cast<double>(values.size()) / 1e6;
    return "{\"p50\":" + fixed(rank(0.50), 3) + ",\"p90\":" + fixed(rank(0.90), 3) +
           ",\"p99\":" + fixed(rank(0.99), 3) + ",\"max\":" + fixed(static_cast<double>(values.back()) / 1e6, 3) +
           ",\"mean\":" + fixed(mean, 3) + "}";
}

double process_cpu_seconds() {
    timespec now{};
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &now);
    return static_cast<double>(now.tv_sec) + static_cast<double>(now.tv_nsec) / 1e9;
}

std::string_view mode_name(Mode mode) {
    switch (mode) {
        case Mode::kSteps: return "steps";
        case Mode::kReplay: return "replay";
        case Mode::kHealthz: return "healthz";
    }
    return "?";
}

}  // namespace

int main(int argc, char** argv) {
    if (sodium_init() < 0) fail("sodium_init failed");
    if (argc == 3 && std::string_view(argv[1]) == "keygen") return keygen(argv[2]);
    const Options options = parse_options(argc, argv);
    std::optional<SecretKey> key;
    if (options.mode != Mode::kHealthz) key = read_secret_key(options.key_file);

    const auto workers_count = static_cast<std::size_t>(options.connections);
    std::vector<Worker> workers(workers_count);
    Clock::time_point begun{};
    Clock::time_point deadline{};
    std::barrier start_line(static_cast<std::ptrdiff_t>(workers_count) + 1,
                            StartClock{&begun, &deadline, options.duration_s});
    Shared shared{options, key ? &*key : nullptr, start_line, deadline};
    std::vector<std::thread> threads;
    threads.reserve(workers_count);
    for (std::size_t i = 0; i < workers_count; ++i) {
        threads.emplace_back([&shared, &workers, i] {
            Worker& worker = workers[i];
            switch (shared.options.mode) {
                case Mode::kSteps: run_steps(shared, static_cast<int>(i), worker); break;
                case Mode::kReplay: run_replay(shared, static_cast<int>(i), worker); break;
                case Mode::kHealthz: run_healthz(shared, worker); break;
            }
        });
    }
    start_line.arrive_and_wait();  // returns once every worker is ready and the clock has started
    const double cpu_started = process_cpu_seconds();
    for (auto& thread : threads) thread.join();
    const double cpu_used = process_cpu_seconds() - cpu_started;

    Clock::time_point finished = begun;
    std::vector<std::int64_t> latencies;
    std::vector<std::int64_t> setup_latencies;
    std::vector<CallRecord> calls;
    std::vector<std::string> samples;
    std::vector<std::string> prepare_errors;
    std::int64_t errors = 0;
    std::int64_t setup_errors = 0;
    for (auto& worker : workers) {
        finished = std::max(finished, worker.finished);
        latencies.insert(latencies.end(), worker.latencies_ns.begin(), worker.latencies_ns.end());
        setup_latencies.insert(setup_latencies.end(), worker.setup_latencies_ns.begin(),
                               worker.setup_latencies_ns.end());
        std::move(worker.calls.begin(), worker.calls.end(), std::back_inserter(calls));
        errors += worker.errors;
        setup_errors += worker.setup_errors;
        for (auto& sample : worker.error_samples) {
            if (samples.size() < 5) samples.push_back(std::move(sample));
        }
        if (!worker.prepare_error.empty()) prepare_errors.push_back(worker.prepare_error);
    }
    const double elapsed = std::chrono::duration<double>(finished - begun).count();

    if (!options.calls_out.empty()) {
        std::ofstream out(options.calls_out, std::ios::trunc);
        if (!out) fail("cannot write " + options.calls_out);
        for (const auto& call : calls)
            out << call.call_sid << '\t' << call.steps << '\t' << (call.certain ? 1 : 0) << '\n';
        if (!out.flush()) fail("cannot write " + options.calls_out);
    }

    const auto requests = static_cast<std::int64_t>(latencies.size());
    const auto setups = static_cast<std::int64_t>(setup_latencies.size());
    std::ostringstream json;
    json << "{\"mode\":\"" << mode_name(options.mode) << "\",\"connections\":" << options.connections
         << ",\"duration_s\":" << fixed(options.duration_s, 3) << ",\"elapsed_s\":" << fixed(elapsed, 3)
         << ",\"requests\":" << requests << ",\"errors\":" << errors
         << ",\"rps\":" << fixed(elapsed > 0 ? static_cast<double>(requests) / elapsed : 0, 1)
         << ",\"latency_ms\":" << latency_json(latencies);
    if (options.mode == Mode::kSteps) {
        json << ",\"steps_per_call\":" << options.steps_per_call << ",\"setup\":{\"requests\":" << setups
             << ",\"errors\":" << setup_errors
             << ",\"rps\":" << fixed(elapsed > 0 ? static_cast<double>(setups) / elapsed : 0, 1)
             << ",\"latency_ms\":" << latency_json(setup_latencies) << "}";
    }
    if (options.mode != Mode::kHealthz) json << ",\"calls\":" << calls.size();
    json << ",\"client_cpu_s\":" << fixed(cpu_used, 3) << ",\"error_samples\":[";
    for (std::size_t i = 0; i < samples.size(); ++i) json << (i ? "," : "") << '"' << json_escape(samples[i]) << '"';
    json << "],\"prepare_errors\":[";
    for (std::size_t i = 0; i < prepare_errors.size(); ++i) {
        json << (i ? "," : "") << '"' << json_escape(prepare_errors[i]) << '"';
    }
    json << "]}";
    std::printf("%s\n", json.str().c_str());
    return 0;
}
