#pragma once

#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/ports/http_client.hpp"
#include "sandbox/url_form.hpp"

namespace crossvoice::sandbox::testing {

// One request the fake TeXML application received.
struct AppRequest {
    core::ports::HttpRequest request;
    std::string path;   // the URL without its query
    std::string query;  // the URL's query string, as sent
    FormFields params;  // decoded: the body for POST, the query for GET
    std::optional<std::string> header(std::string_view name) const;
    // The first value of a parameter, "" when absent.
    std::string param(std::string_view name) const;
    bool has(std::string_view name) const;
};

// A scripted TeXML application: answers by the URL's path (query ignored), records every request.
class FakeTexmlApp final : public core::ports::HttpClient {
  public:
    using Handler = std::function<core::Result<core::ports::HttpResponse>(const AppRequest&)>;

    core::Result<core::ports::HttpResponse> send(const core::ports::HttpRequest& request) override;

    // `path` ("http://app.test/texml") answers `handler`, or 200 with `xml` (Content-Type application/xml).
    void on(const std::string& path, Handler handler);
    void texml(const std::string& path, std::string xml);
    // A TeXML document from its verbs: "<Say>Hi</Say><Hangup/>".
    static std::string document(std::string_view verbs);
    static core::ports::HttpResponse answer(int status, std::string body, std::string content_type = "application/xml");

    std::vector<AppRequest> requests() const;
    std::vector<AppRequest> requests_to(const std::string& path) const;

  private:
    mutable std::mutex mutex_;
    std::map<std::string, Handler> routes_;
    std::vector<AppRequest> requests_;
};

// application/x-www-form-urlencoded into pairs ('+' is a space).
FormFields decode_form(std::string_view text);

}  // namespace crossvoice::sandbox::testing
