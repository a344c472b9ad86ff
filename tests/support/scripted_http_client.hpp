#pragma once

#include <deque>
#include <vector>

#include "core/ports/http_client.hpp"

namespace crossvoice::testing {

// An HttpClient that records each request and answers with the next scripted reply (a response or an error), for
// unit tests of vendor clients that need exact control over what comes back. Not thread-safe.
class ScriptedHttpClient final : public core::ports::HttpClient {
  public:
    core::Result<core::ports::HttpResponse> send(const core::ports::HttpRequest& request) override {
        requests.push_back(request);
        if (replies.empty()) return core::Error::internal("ScriptedHttpClient: no reply scripted for this request");
        auto reply = std::move(replies.front());
        replies.pop_front();
        return reply;
    }

    std::vector<core::ports::HttpRequest> requests;
    std::deque<core::Result<core::ports::HttpResponse>> replies;
};

}  // namespace crossvoice::testing
