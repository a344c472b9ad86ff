// The application/x-www-form-urlencoded reader of TeXML callbacks (carrier input, before and after its signature
// is checked), and the callback readers on top of it.
// Properties: parse_form either fails with bad_request or yields at most kMaxFormFields pairs with non-empty
// names; re-encoding the pairs and parsing again gives the same pairs; caller_input and texml_call_event never
// crash and fail only with validation errors.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "api/form_params.hpp"
#include "fuzz_check.hpp"
#include "services/ivr_service.hpp"

namespace {

std::string encode(std::string_view text) {
    static constexpr char kHex[] = "0123456789ABCDEF";
    std::string out;
    for (const char c : text) {
        const auto byte = static_cast<unsigned char>(c);
        if ((byte >= 'a' && byte <= 'z') || (byte >= 'A' && byte <= 'Z') || (byte >= '0' && byte <= '9')) {
            out.push_back(c);
        } else {
            out.push_back('%');
            out.push_back(kHex[byte >> 4]);
            out.push_back(kHex[byte & 15]);
        }
    }
    return out;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    auto parsed = crossvoice::api::parse_form(text);
    if (!parsed) {
        FUZZ_CHECK(parsed.error().code == crossvoice::core::ErrorCode::kBadRequest);
        return 0;
    }
    FUZZ_CHECK(parsed->size() <= crossvoice::api::kMaxFormFields);
    std::string again;
    for (const auto& [name, value] : *parsed) {
        FUZZ_CHECK(!name.empty());
        if (!again.empty()) again.push_back('&');
        again += encode(name) + "=" + encode(value);
    }
    auto reparsed = crossvoice::api::parse_form(again);
    FUZZ_CHECK(reparsed.ok());
    FUZZ_CHECK(*reparsed == *parsed);

    for (const char* kind : {"gather", "none", "record", "dial", "queue", "other"}) {
        auto input = crossvoice::services::caller_input(kind, *parsed);
        if (!input) FUZZ_CHECK(input.error().code == crossvoice::core::ErrorCode::kValidation);
    }
    auto event = crossvoice::services::texml_call_event(*parsed, {});
    if (!event) FUZZ_CHECK(event.error().code == crossvoice::core::ErrorCode::kValidation);
    return 0;
}
