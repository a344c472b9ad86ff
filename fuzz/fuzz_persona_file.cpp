// assistant::parse_personas on arbitrary bytes (a persona file an operator edits). Properties: a refusal is
// kValidation whose message names the source; an accepted file gives personas with an id, a name and a greeting,
// every text at most 1000 bytes, at most 200 topics each, each topic 1 to 100 bytes with no ASCII capitals.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "assistant/persona_file.hpp"
#include "fuzz_check.hpp"

namespace {

constexpr std::string_view kSource = "fuzz.yaml";

bool has_capital(std::string_view text) {
    for (const char ch : text) {
        if (ch >= 'A' && ch <= 'Z') return true;
    }
    return false;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view yaml(reinterpret_cast<const char*>(data), size);
    auto parsed = crossvoice::assistant::parse_personas(yaml, kSource);
    if (!parsed) {
        FUZZ_CHECK(parsed.error().code == crossvoice::core::ErrorCode::kValidation);
        FUZZ_CHECK(parsed.error().message.find(kSource) != std::string::npos);
        return 0;
    }
    for (const auto& persona : *parsed) {
        FUZZ_CHECK(!persona.id.empty() && !persona.name.empty() && !persona.greeting.empty());
        for (const auto* text : {&persona.id, &persona.name, &persona.greeting, &persona.tone, &persona.scope}) {
            FUZZ_CHECK(text->size() <= 1000);
        }
        FUZZ_CHECK(persona.topics.size() <= 200);
        for (const auto& topic : persona.topics) {
            FUZZ_CHECK(!topic.empty() && topic.size() <= 100);
            FUZZ_CHECK(!has_capital(topic));
        }
    }
    return 0;
}
