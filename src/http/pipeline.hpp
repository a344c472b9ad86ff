#pragma once

#include <functional>
#include <string>
#include <string_view>

#include "core/audit.hpp"
#include "core/result.hpp"
#include "http/router.hpp"

namespace crossvoice::http {

// Resolves a bearer secret to a principal (blocking: it reads the key store).
using Authenticator = std::function<core::Result<core::Principal>(std::string_view secret)>;
// Stores one audit row (blocking). Failures are the sink's to log: the change has already happened.
using AuditSink = std::function<void(core::AuditEntry)>;

struct Outcome {
    Response response;
    std::string key_id;  // the authenticated key, for the access log; empty on open routes
};

// Everything between "a route matched" and "a response exists": authentication, the handler,
// the single error mapping, and the audit row of a mutating request. Thread-safe; never throws.
class Pipeline {
  public:
    Pipeline(Authenticator authenticate, AuditSink audit)
        : authenticate_(std::move(authenticate)), audit_(std::move(audit)) {}

    Outcome handle(const Request& request, const RouteMatch& match, const std::string& request_id) const;

  private:
    HandlerResult authenticate_and_run(RequestContext& context, const Route& route) const;

    Authenticator authenticate_;
    AuditSink audit_;
};

// The bearer secret of an "Authorization: Bearer <secret>" header, or an error saying what is wrong.
core::Result<std::string_view> bearer_secret(const Request& request);

}  // namespace crossvoice::http
