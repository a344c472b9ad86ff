#include "telnyx/texml_markup.hpp"

#include "telnyx/texml_parser.hpp"
#include "telnyx/texml_renderer.hpp"

namespace crossvoice::telnyx {

// Telnyx fetches TeXML as XML; the renderer always writes UTF-8 and says so in the declaration.
std::string TexmlMarkup::content_type() const { return "application/xml"; }

std::string TexmlMarkup::render(const std::vector<core::ivr::Instruction>& instructions) const {
    return render_texml(instructions);
}

core::Result<std::vector<core::ivr::Instruction>> TexmlMarkup::parse(std::string_view document) const {
    return parse_texml(document);
}

}  // namespace crossvoice::telnyx
