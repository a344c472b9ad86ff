#pragma once

#include <chrono>
#include <string>
#include <string_view>

#include "core/clock.hpp"
#include "core/ports/http_client.hpp"
#include "core/result.hpp"
#include "sandbox/url_form.hpp"
#include "sandbox/webhook_signer.hpp"

namespace crossvoice::sandbox {

// Sends TeXML requests the way Telnyx does (vendor-apis.md A.5, B.1): POST puts the fields in a form-encoded
// body, GET appends them to the URL's query string; either way the request carries Telnyx-Timestamp (Unix
// seconds) and Telnyx-Signature-Ed25519 over "<timestamp>|<form body>" (POST) or "<timestamp>|<query string>"
// (GET: the whole query as sent, the URL's own parameters included). One attempt, no retries: a TeXML
// application that does not answer ends the call. Blocking; thread-safe as its parts are.
class TexmlClient {
  public:
    static constexpr std::chrono::milliseconds kTimeout{10'000};

    TexmlClient(core::ports::HttpClient& http, const WebhookSigner& signer, const core::Clock& clock)
        : http_(http), signer_(signer), clock_(clock) {}

    // `method` is "GET" or "POST" (anything else is sent as POST). Errors are the HttpClient's.
    core::Result<core::ports::HttpResponse> send(std::string_view method, const std::string& url,
                                                 const FormFields& fields) const;

  private:
    core::ports::HttpClient& http_;
    const WebhookSigner& signer_;
    const core::Clock& clock_;
};

}  // namespace crossvoice::sandbox
