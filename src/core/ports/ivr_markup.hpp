#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/ivr/instruction.hpp"
#include "core/result.hpp"

namespace crossvoice::core::ports {

// The carrier's call-control markup (Telnyx TeXML): instructions to a document and back. Thread-safe.
class IvrMarkup {
  public:
    virtual ~IvrMarkup() = default;
    virtual std::string content_type() const = 0;  // "application/xml"
    // Deterministic: the same instructions always give the same bytes.
    virtual std::string render(const std::vector<ivr::Instruction>& instructions) const = 0;
    // kBadRequest for malformed XML, kValidation for unknown verbs or bad attributes, naming the element.
    virtual Result<std::vector<ivr::Instruction>> parse(std::string_view document) const = 0;
};

}  // namespace crossvoice::core::ports
