#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace crossvoice::testing {

struct ClientResponse {
    int status = 0;
    std::map<std::string, std::string> headers;  // names lower-cased
    std::string body;
    bool keep_alive = false;

    std::string header(const std::string& lower_name) const;
};

// A blocking HTTP/1.1 client over one keep-alive connection, for tests. Reconnects when the server closed.
class HttpClient {
  public:
    HttpClient(std::string host, std::uint16_t port);
    ~HttpClient();
    HttpClient(const HttpClient&) = delete;
    HttpClient& operator=(const HttpClient&) = delete;

    ClientResponse request(const std::string& method, const std::string& target,
                           const std::vector<std::pair<std::string, std::string>>& headers = {},
                           const std::string& body = "");
    // Sends `bytes` as they are on a fresh connection and reads one response; nullopt if the server
    // closed the connection without one.
    std::optional<ClientResponse> raw(const std::string& bytes);
    // Opens a connection (if none) and reports whether the server closed it within `wait`.
    bool closed_by_server_within(std::chrono::milliseconds wait);
    // Connects without sending anything, so a test can hold an idle connection.
    void connect();

  private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

// Convenience: a JSON request with a bearer key.
std::vector<std::pair<std::string, std::string>> json_headers(const std::string& key);

}  // namespace crossvoice::testing
