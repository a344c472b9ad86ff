// parse_texml on arbitrary bytes (a TeXML document as a customer's server might return it), then the renderer on
// what it parsed. Properties: a parsed document renders deterministically, to a document that parses back to the
// same instructions and renders again to the same bytes (render is a fixed point of parse); every string parsed
// is text XML 1.0 allows, and texts are trimmed. Failures are bad_request, validation or payload_too_large, with a
// printable, bounded message; bad_request and validation carry a numeric offset, validation a field the message
// names.

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "core/ivr/instruction.hpp"
#include "fuzz_check.hpp"
#include "telnyx/texml_parser.hpp"
#include "telnyx/texml_renderer.hpp"

namespace {

namespace ivr = crossvoice::core::ivr;
using crossvoice::core::ErrorCode;

bool printable(std::string_view text) {
    for (const char ch : text) {
        if (ch < 0x20 || ch >= 0x7f) return false;
    }
    return true;
}

bool numeric(std::string_view text) {
    if (text.empty()) return false;
    for (const char ch : text) {
        if (ch < '0' || ch > '9') return false;
    }
    return true;
}

void check_error(const crossvoice::core::Error& error) {
    FUZZ_CHECK(error.code == ErrorCode::kBadRequest || error.code == ErrorCode::kValidation ||
               error.code == ErrorCode::kPayloadTooLarge);
    FUZZ_CHECK(!error.message.empty());
    FUZZ_CHECK(error.message.size() < 512);
    FUZZ_CHECK(printable(error.message));
    bool has_offset = false;
    bool has_field = false;
    for (const auto& [key, value] : error.details) {
        FUZZ_CHECK(printable(value));
        if (key == "offset") {
            has_offset = true;
            FUZZ_CHECK(numeric(value));
        }
        if (key == "field") {
            has_field = true;
            FUZZ_CHECK(!value.empty());
            FUZZ_CHECK(error.message.find(value) != std::string::npos);
        }
    }
    if (error.code != ErrorCode::kPayloadTooLarge) FUZZ_CHECK(has_offset);
    FUZZ_CHECK(has_field == (error.code == ErrorCode::kValidation));
}

// Text content: allowed characters, no surrounding whitespace (parse trims it).
void check_text(std::string_view text) {
    FUZZ_CHECK(crossvoice::telnyx::is_xml_text(text));
    if (text.empty()) return;
    const std::string_view space = " \t\n\r";
    FUZZ_CHECK(space.find(text.front()) == std::string_view::npos);
    FUZZ_CHECK(space.find(text.back()) == std::string_view::npos);
}

void check_instruction(const ivr::Instruction& instruction) {
    if (const auto* say = std::get_if<ivr::Say>(&instruction)) {
        FUZZ_CHECK(!say->text.empty());
        check_text(say->text);
    } else if (const auto* play = std::get_if<ivr::Play>(&instruction)) {
        FUZZ_CHECK(!play->url.empty() || play->digits.has_value());
        check_text(play->url);
    } else if (const auto* gather = std::get_if<ivr::Gather>(&instruction)) {
        for (const auto& prompt : gather->prompts) {
            std::visit([](const auto& alternative) { check_instruction(ivr::Instruction(alternative)); }, prompt);
        }
    } else if (const auto* dial = std::get_if<ivr::Dial>(&instruction)) {
        FUZZ_CHECK(!dial->targets.empty());
    } else if (const auto* refer = std::get_if<ivr::Refer>(&instruction)) {
        FUZZ_CHECK(!refer->targets.empty());
        for (const auto& sip : refer->targets) check_text(sip.uri);
    } else if (const auto* start = std::get_if<ivr::Start>(&instruction)) {
        FUZZ_CHECK(!start->tasks.empty());
    } else if (const auto* stop = std::get_if<ivr::Stop>(&instruction)) {
        FUZZ_CHECK(!stop->tasks.empty());
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    const std::string_view document(reinterpret_cast<const char*>(data), size);
    const auto parsed = crossvoice::telnyx::parse_texml(document);
    if (!parsed) {
        check_error(parsed.error());
        return 0;
    }
    FUZZ_CHECK(parsed->size() <= crossvoice::telnyx::kMaxTexmlChildren);
    for (const auto& instruction : parsed.value()) check_instruction(instruction);

    const auto rendered = crossvoice::telnyx::render_texml(parsed.value());
    FUZZ_CHECK(rendered == crossvoice::telnyx::render_texml(parsed.value()));
    FUZZ_CHECK(rendered.starts_with("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"));

    const auto again = crossvoice::telnyx::parse_texml(rendered);
    if (!again) std::fprintf(stderr, "re-parse failed: %s\n%s\n", again.error().message.c_str(), rendered.c_str());
    FUZZ_CHECK(again.ok());
    FUZZ_CHECK(again.value() == parsed.value());
    FUZZ_CHECK(crossvoice::telnyx::render_texml(again.value()) == rendered);
    return 0;
}
