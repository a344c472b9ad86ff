// parse_dotenv on arbitrary bytes. Properties: every key of a successful parse is a valid variable name,
// errors are bad_request naming a line, and writing the result back as double-quoted values parses to the
// same map (so escapes decode and re-encode without loss).

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "app/dotenv.hpp"
#include "fuzz_check.hpp"

namespace {

bool is_valid_key(std::string_view key) {
    if (key.empty()) return false;
    const auto letter = [](char ch) { return (ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z') || ch == '_'; };
    if (!letter(key.front())) return false;
    for (char ch : key) {
        if (!letter(ch) && !(ch >= '0' && ch <= '9')) return false;
    }
    return true;
}

std::string quoted(std::string_view value) {
    std::string out = "\"";
    for (char ch : value) {
        switch (ch) {
            case '\n': out += "\\n"; break;
            case '\t': out += "\\t"; break;
            case '"': out += "\\\""; break;
            case '\\': out += "\\\\"; break;
            default: out += ch;
        }
    }
    out += '"';
    return out;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    auto parsed = crossvoice::app::parse_dotenv(text);
    if (!parsed) {
        const auto& error = parsed.error();
        FUZZ_CHECK(error.code == crossvoice::core::ErrorCode::kBadRequest);
        FUZZ_CHECK(error.message.rfind(".env line ", 0) == 0);
        return 0;
    }

    std::string rewritten;
    for (const auto& [key, value] : parsed.value()) {
        FUZZ_CHECK(is_valid_key(key));
        rewritten += key + "=" + quoted(value) + "\n";
    }
    auto reparsed = crossvoice::app::parse_dotenv(rewritten);
    FUZZ_CHECK(reparsed.ok());
    FUZZ_CHECK(reparsed.value() == parsed.value());
    return 0;
}
