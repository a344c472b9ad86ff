// parse_chat_completion, strip_citations and speakable on arbitrary bytes (what an OpenAI-compatible server,
// a proxy in front of it or a broken model may answer). The whole input is the body; its first byte also
// says how many passages were sent (0..15) for the citations.
// Properties: a refused body is kVendor "malformed chat completion: …" with printable details; a parsed one
// has content or a tool name, and no empty tool name; citations only name passages sent, each once, and text
// without brackets is only trimmed; speakable text has no markdown symbols, no line breaks, no runs of spaces
// and no surrounding whitespace, and is never longer than what it came from.

#include <algorithm>
#include <cctype>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "core/error.hpp"
#include "fuzz_check.hpp"
#include "openai/chat_reply.hpp"

namespace {

using crossvoice::core::ErrorCode;
namespace openai = crossvoice::openai;

bool printable(std::string_view text) {
    return std::all_of(text.begin(), text.end(), [](char ch) { return ch >= 0x20 && ch < 0x7f; });
}

bool blank(std::string_view text) {
    return std::all_of(text.begin(), text.end(), [](char ch) { return std::isspace(static_cast<unsigned char>(ch)); });
}

void check_parse(std::string_view body) {
    const auto result = openai::parse_chat_completion(body);
    if (!result) {
        FUZZ_CHECK(result.error().code == ErrorCode::kVendor);
        FUZZ_CHECK(result.error().message.starts_with("malformed chat completion: "));
        FUZZ_CHECK(printable(result.error().message));
        for (const auto& [key, value] : result.error().details) {
            FUZZ_CHECK(printable(value));
            FUZZ_CHECK(value.size() <= 303);
        }
        return;
    }
    FUZZ_CHECK(!blank(result->content) || !result->tool_names.empty());
    for (const auto& name : result->tool_names) FUZZ_CHECK(!name.empty());
}

void check_citations(std::string_view text, std::size_t passages) {
    const auto cited = openai::strip_citations(text, passages);
    FUZZ_CHECK(cited.text.size() <= text.size());
    for (std::size_t i = 0; i < cited.cited.size(); ++i) {
        FUZZ_CHECK(cited.cited[i] < passages);
        FUZZ_CHECK(std::find(cited.cited.begin() + static_cast<std::ptrdiff_t>(i) + 1, cited.cited.end(),
                             cited.cited[i]) == cited.cited.end());
    }
    if (text.find('[') == std::string_view::npos) {
        FUZZ_CHECK(cited.cited.empty());
        std::string_view trimmed = text;
        while (!trimmed.empty() && std::isspace(static_cast<unsigned char>(trimmed.front()))) trimmed.remove_prefix(1);
        while (!trimmed.empty() && std::isspace(static_cast<unsigned char>(trimmed.back()))) trimmed.remove_suffix(1);
        FUZZ_CHECK(cited.text == trimmed);
    }
}

void check_speakable(std::string_view text) {
    const std::string spoken = openai::speakable(text);
    FUZZ_CHECK(spoken.find_first_of("*#`|\n\r\t") == std::string::npos);
    FUZZ_CHECK(spoken.find("  ") == std::string::npos);
    FUZZ_CHECK(spoken.empty() || (spoken.front() != ' ' && spoken.back() != ' '));
    FUZZ_CHECK(spoken.size() <= text.size());
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view bytes(reinterpret_cast<const char*>(data), size);
    check_parse(bytes);
    const std::size_t passages = size >= 1 ? data[0] % 16 : 0;
    check_citations(bytes, passages);
    check_speakable(bytes);
    return 0;
}
