#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace crossvoice::testing {

// One request as FakeSinchServer received it.
struct FakeSinchRequest {
    std::string method;
    std::string target;                                        // path and query, as sent
    std::vector<std::pair<std::string, std::string>> headers;  // names in lower case
    std::string body;

    std::optional<std::string> header(const std::string& name) const;  // `name` in lower case
};

struct FakeSinchOptions {
    std::string project_id = "fake-project";
    std::string app_id = "fake-app";
    std::string key_id = "fake-key-id";
    std::string key_secret = "fake-key-secret";
    std::chrono::seconds token_lifetime{3600};  // the expires_in of every token issued
};

// A loopback fake of the Sinch Conversation API (vendor-apis.md G), speaking its documented shapes:
//   POST /oauth2/token: HTTP Basic key_id:key_secret and the form grant_type=client_credentials →
//     {access_token, expires_in, token_type:"bearer", scope}; wrong credentials 401 {"error":"invalid_client"},
//     another grant 400 {"error":"unsupported_grant_type"}.
//   POST /v1/projects/{project}/messages:send: `Authorization: Bearer <a token this fake issued and has not
//     expired>` (else 401 UNAUTHENTICATED), the configured project (else 404 NOT_FOUND), and a body of the send
//     shape (else 400 INVALID_ARGUMENT naming the field): app_id equal to the configured one; recipient either
//     {contact_id} or {identified_by:{channel_identities:[{channel, identity}, …]}}; message.text_message.text;
//     optional channel_priority_order (array of strings), callback_url and correlation_id (strings). A good
//     request is recorded in sent() and answered with the next scripted error, or else 200
//     {accepted_time, message_id}. Errors use Sinch's {"error":{code, message, status, details:[]}}.
// Every request, good or refused, is in requests(). Refused requests consume no scripted error.
//
// Thread-safe. The server runs until the object is destroyed.
class FakeSinchServer {
  public:
    explicit FakeSinchServer(FakeSinchOptions options = {});
    ~FakeSinchServer();
    FakeSinchServer(const FakeSinchServer&) = delete;
    FakeSinchServer& operator=(const FakeSinchServer&) = delete;

    std::string base_url() const;  // "http://127.0.0.1:<port>": the Conversation API base
    std::string auth_url() const;  // base_url() + "/oauth2/token"
    const FakeSinchOptions& options() const;

    // The next good messages:send is answered with this status and {"error":{code, message, status, details:[]}}.
    void reply_error(int status, int code, std::string message, std::string status_text);
    // Every token issued so far stops being accepted, as if it had expired early or been revoked.
    void expire_tokens();

    std::size_t tokens_issued() const;
    std::vector<FakeSinchRequest> requests() const;
    // The bodies of the messages:send requests that were accepted (or answered with a scripted error).
    std::vector<std::string> sent() const;

    struct State;

  private:
    std::unique_ptr<State> state_;
};

// The triggers whose callbacks crossvoice reads.
enum class SinchTrigger { kMessageInbound, kMessageDelivery, kEventInbound };

// What goes into one callback. Fields a trigger does not use are ignored; empty optional fields are left out.
struct SinchCallbackSpec {
    SinchTrigger trigger = SinchTrigger::kMessageInbound;
    std::string app_id = "fake-app";
    std::string project_id = "fake-project";
    std::string event_time = "2026-11-24T09:30:00.123Z";
    std::string channel = "WHATSAPP";
    std::string identity = "+46701234567";
    std::string contact_id = "01CONTACT";
    std::string conversation_id = "01CONVERSATION";
    // kMessageInbound: message.id and its text (or a media url instead when set).
    std::string message_id = "01INBOUND";
    std::string text = "hello";
    std::optional<std::string> media_url;
    // kMessageDelivery: the report's message_id (reuses message_id), status, reason and correlation_id.
    std::string status = "DELIVERED";
    std::optional<std::string> reason_code;
    std::optional<std::string> reason_description;
    std::optional<std::string> correlation_id;
};

// A callback as Sinch would POST it: the JSON body and its headers (Content-Type and the four
// x-sinch-webhook-signature* headers, names in lower case).
struct SignedSinchCallback {
    std::string body;
    std::vector<std::pair<std::string, std::string>> headers;

    std::optional<std::string> header(const std::string& name) const;
};

// The JSON body of a callback of `spec.trigger` (MESSAGE_INBOUND, MESSAGE_DELIVERY or EVENT_INBOUND).
std::string sinch_callback_body(const SinchCallbackSpec& spec);

// base64(HMAC-SHA256(secret, body + "." + nonce + "." + timestamp)), computed here independently of src/sinch.
std::string sinch_callback_signature(const std::string& secret, const std::string& body, const std::string& nonce,
                                     const std::string& timestamp);

// `body` signed with `secret` at `unix_seconds` with `nonce` (a fresh random one when empty).
SignedSinchCallback sign_sinch_callback(std::string body, const std::string& secret, std::int64_t unix_seconds,
                                        std::string nonce = {});

// sinch_callback_body(spec) signed: what integration tests post to our POST /api/webhooks/sinch.
SignedSinchCallback make_sinch_callback(const SinchCallbackSpec& spec, const std::string& secret,
                                        std::int64_t unix_seconds);

}  // namespace crossvoice::testing
