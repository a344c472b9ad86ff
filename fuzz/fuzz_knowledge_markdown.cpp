// split_markdown and fts5_query on arbitrary bytes (what an operator may upload as a knowledge document, or a
// caller may say). Properties: passages have unique ids "<document>#<slug>" with a slug of [a-z0-9-] that neither
// starts nor ends with '-', non-empty text, headings of at most kMaxHeadingBytes; ids, headings and text are valid
// UTF-8 without control characters; text has no runs of spaces. The FTS5 query is empty or quoted words joined by
// " OR ", so it can never be an FTS5 syntax error or operator.

#include <cstddef>
#include <cstdint>
#include <set>
#include <string>
#include <string_view>

#include "assistant/fts5_query.hpp"
#include "assistant/markdown_sections.hpp"
#include "assistant/utf8_text.hpp"
#include "fuzz_check.hpp"

namespace {

constexpr std::string_view kDocument = "fuzz";

bool clean(std::string_view text) {
    return text.find('\n') == std::string_view::npos && crossvoice::assistant::clean_utf8(text) == text;
}

bool slug_byte(char ch) { return (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch == '-'; }

void check_passages(std::string_view markdown) {
    const auto sections = crossvoice::assistant::parse_markdown_sections(kDocument, markdown);
    FUZZ_CHECK(!sections.title.empty());
    FUZZ_CHECK(clean(sections.title));
    std::set<std::string> ids;
    for (const auto& passage : sections.passages) {
        FUZZ_CHECK(passage.document == kDocument);
        FUZZ_CHECK(passage.id.starts_with("fuzz#"));
        const std::string_view slug = std::string_view(passage.id).substr(5);
        FUZZ_CHECK(!slug.empty() && slug.front() != '-' && slug.back() != '-');
        for (const char ch : slug) FUZZ_CHECK(slug_byte(ch));
        FUZZ_CHECK(ids.insert(passage.id).second);
        FUZZ_CHECK(!passage.heading.empty());
        FUZZ_CHECK(passage.heading.size() <= crossvoice::assistant::kMaxHeadingBytes);
        FUZZ_CHECK(clean(passage.heading));
        FUZZ_CHECK(!passage.text.empty());
        FUZZ_CHECK(clean(passage.text));
        // Whitespace is collapsed: speech engines read runs of spaces as pauses.
        FUZZ_CHECK(passage.text.front() != ' ' && passage.text.back() != ' ');
        FUZZ_CHECK(passage.text.find("  ") == std::string::npos);
    }
}

void check_query(std::string_view text) {
    const std::string query = crossvoice::assistant::fts5_query(text);
    std::string_view rest = query;
    while (!rest.empty()) {
        FUZZ_CHECK(rest.front() == '"');
        const auto close = rest.find('"', 1);
        FUZZ_CHECK(close != std::string_view::npos && close > 1);
        for (const char ch : rest.substr(1, close - 1)) {
            FUZZ_CHECK((ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch == '\'' || ch == ' ');
        }
        rest = rest.substr(close + 1);
        if (rest.empty()) break;
        FUZZ_CHECK(rest.starts_with(" OR "));
        rest = rest.substr(4);
        FUZZ_CHECK(!rest.empty());
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view bytes(reinterpret_cast<const char*>(data), size);
    check_passages(bytes);
    check_query(bytes);
    return 0;
}
