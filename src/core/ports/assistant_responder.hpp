#pragma once

#include <string_view>

#include "core/assistant.hpp"
#include "core/result.hpp"

namespace crossvoice::core::ports {

// Turns an utterance with its persona, history and retrieved passages into SHANGO's answer. Blocking;
// thread-safe. Errors (kTimeout, kVendor, kUnavailable) make the use-case fall back to the knowledge-base
// responder, which never fails on a well-formed request.
class AssistantResponder {
  public:
    virtual ~AssistantResponder() = default;
    virtual std::string_view name() const = 0;  // "knowledge-base", "openai"
    virtual Result<AssistantReply> respond(const AssistantRequest& request) = 0;
};

}  // namespace crossvoice::core::ports
