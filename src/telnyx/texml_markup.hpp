#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/ports/ivr_markup.hpp"

namespace crossvoice::telnyx {

// The IvrMarkup port for Telnyx TeXML: render_texml and parse_texml behind the port. Stateless, so thread-safe.
class TexmlMarkup final : public core::ports::IvrMarkup {
  public:
    std::string content_type() const override;
    std::string render(const std::vector<core::ivr::Instruction>& instructions) const override;
    core::Result<std::vector<core::ivr::Instruction>> parse(std::string_view document) const override;
};

}  // namespace crossvoice::telnyx
