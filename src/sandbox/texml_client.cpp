#include "sandbox/texml_client.hpp"

namespace crossvoice::sandbox {

core::Result<core::ports::HttpResponse> TexmlClient::send(std::string_view method, const std::string& url,
                                                          const FormFields& fields) const {
    const auto form = encode_form(fields);
    const auto timestamp = std::to_string(core::to_unix_ms(clock_.now()) / 1000);

    core::ports::HttpRequest request;
    if (method == "GET") {
        request.method = "GET";
        request.url = with_query(url, form);
        request.headers = {{"Telnyx-Signature-Ed25519", signer_.sign(timestamp, query_of(request.url))}};
    } else {
        request.method = "POST";
        request.url = with_query(url, "");
        request.body = form;
        request.headers = {{"Content-Type", "application/x-www-form-urlencoded"},
                           {"Telnyx-Signature-Ed25519", signer_.sign(timestamp, form)}};
    }
    request.headers.emplace_back("Telnyx-Timestamp", timestamp);
    request.headers.emplace_back("Accept", "application/xml, text/xml");
    request.headers.emplace_back("User-Agent", "crossvoice-sandbox-texml");
    request.connect_timeout = std::chrono::milliseconds(3'000);
    request.attempt_timeout = kTimeout;
    request.deadline = kTimeout;
    request.retry.max_attempts = 1;
    request.max_response_bytes = 2 * 1024 * 1024;
    return http_.send(request);
}

}  // namespace crossvoice::sandbox
