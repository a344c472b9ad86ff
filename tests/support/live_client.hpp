#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace crossvoice::testing {

using HeaderList = std::vector<std::pair<std::string, std::string>>;

// A Server-Sent Events client for tests: one GET on its own connection, then events read with a deadline.
class EventStreamClient {
  public:
    struct Event {
        std::string id;
        std::string type;  // "message" when the server named none
        std::string data;
        bool comment = false;  // a block of comment lines only (a heartbeat)
    };

    EventStreamClient(const std::string& host, std::uint16_t port, const std::string& target,
                      const HeaderList& headers);
    ~EventStreamClient();

    int status() const { return status_; }
    // A response header (name in lower case), "" when absent.
    std::string header(const std::string& name) const;
    // The body of a refusal (a response that is not a stream).
    const std::string& body() const { return body_; }

    // The next event (or comment block); nullopt when `wait` passes or the server closed the stream.
    std::optional<Event> next(std::chrono::milliseconds wait = std::chrono::seconds(10));
    // The next event that is not a comment.
    std::optional<Event> next_event(std::chrono::milliseconds wait = std::chrono::seconds(10));
    // True when the server ends the stream within `wait` (events still arriving are skipped).
    bool closed_by_server_within(std::chrono::milliseconds wait);
    void close();

  private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
    int status_ = 0;
    std::map<std::string, std::string> headers_;
    std::string body_;
};

// A WebSocket client for tests.
class WebSocketClient {
  public:
    // Upgrades `target`; `protocols` are offered as Sec-WebSocket-Protocol.
    WebSocketClient(const std::string& host, std::uint16_t port, const std::string& target, const HeaderList& headers,
                    const std::vector<std::string>& protocols = {});
    ~WebSocketClient();

    bool connected() const { return connected_; }
    // When the upgrade was refused: the HTTP status and body.
    int refused_status() const { return refused_status_; }
    const std::string& refused_body() const { return refused_body_; }
    // The subprotocol the server chose ("" when none).
    const std::string& protocol() const { return protocol_; }

    std::optional<std::string> next(std::chrono::milliseconds wait = std::chrono::seconds(10));
    void send(const std::string& text);
    // True when the server closes within `wait` (messages still arriving are skipped); the close code, if any.
    bool closed_by_server_within(std::chrono::milliseconds wait, int* code = nullptr);

  private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
    bool connected_ = false;
    int refused_status_ = 0;
    std::string refused_body_;
    std::string protocol_;
};

}  // namespace crossvoice::testing
