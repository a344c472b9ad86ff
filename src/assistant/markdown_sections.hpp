#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "core/assistant.hpp"

namespace crossvoice::assistant {

// Headings longer than this (in bytes, cut at a character boundary) are shortened: a heading is spoken and shown.
inline constexpr std::size_t kMaxHeadingBytes = 200;

struct MarkdownSections {
    std::string title;  // the first "# " heading's text, or the document's name when it has none
    std::vector<core::KnowledgePassage> passages;
    // Per passage (same index): the questions customers ask that it answers, from "<!-- ask: ... -->" lines under
    // its heading, joined by spaces. Indexed for retrieval, never part of the passage's text.
    std::vector<std::string> asks;
};

// Splits a knowledge document into passages, one per ATX heading of level 1 to 3 ("# ", "## ", "### "), each
// running to the next such heading; deeper headings stay inside the text as sentences. Text before the first
// heading is a passage headed by the document's name. Passage ids are "<document_name>#<slug>" (see
// heading_slug), made unique within the document with "-2", "-3", ... Passage text is prepared for speech: inline
// markdown stripped, list items and table rows as sentences, whitespace collapsed; fenced code blocks are left
// out, and so are passages left without text. A one-line HTML comment is not text; "<!-- ask: question -->" names
// a question the section answers (see MarkdownSections::asks). Any bytes are accepted: invalid UTF-8 is dropped and
// control characters become spaces, so ids, headings and text are valid UTF-8.
MarkdownSections parse_markdown_sections(std::string_view document_name, std::string_view markdown);

// parse_markdown_sections(...).passages.
std::vector<core::KnowledgePassage> split_markdown(std::string_view document_name, std::string_view markdown);

// The heading lower-cased (ASCII), every run of other characters than [a-z0-9] replaced by one '-', trimmed of
// '-'; "section" when nothing is left (a heading of symbols or of non-Latin script).
std::string heading_slug(std::string_view heading);

}  // namespace crossvoice::assistant
