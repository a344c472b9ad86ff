#include "assistant/markdown_sections.hpp"

#include <optional>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <utility>

#include "assistant/markdown_inline.hpp"
#include "assistant/utf8_text.hpp"

namespace crossvoice::assistant {
namespace {

struct Heading {
    int level = 0;  // 1..6
    std::string_view text;
};

struct Fence {
    char marker = '`';
    std::size_t length = 0;
};

bool is_digit(char ch) { return ch >= '0' && ch <= '9'; }

std::string_view trim(std::string_view text) {
    const auto first = text.find_first_not_of(" \t");
    if (first == std::string_view::npos) return {};
    const auto last = text.find_last_not_of(" \t");
    return text.substr(first, last - first + 1);
}

// Up to three spaces of indentation are allowed before a block marker, as in CommonMark.
std::string_view unindent(std::string_view line) {
    std::size_t spaces = 0;
    while (spaces < 3 && spaces < line.size() && line[spaces] == ' ') ++spaces;
    return line.substr(spaces);
}

std::size_t run_of(std::string_view text, char ch) {
    std::size_t count = 0;
    while (count < text.size() && text[count] == ch) ++count;
    return count;
}

std::optional<Fence> fence_marker(std::string_view line) {
    const std::string_view body = unindent(line);
    if (body.empty() || (body.front() != '`' && body.front() != '~')) return std::nullopt;
    const std::size_t length = run_of(body, body.front());
    if (length < 3) return std::nullopt;
    return Fence{body.front(), length};
}

bool closes(const Fence& open, std::string_view line) {
    const auto marker = fence_marker(line);
    return marker && marker->marker == open.marker && marker->length >= open.length &&
           trim(unindent(line).substr(marker->length)).empty();
}

std::optional<Heading> atx_heading(std::string_view line) {
    const std::string_view body = unindent(line);
    const std::size_t level = run_of(body, '#');
    if (level < 1 || level > 6 || level >= body.size() || (body[level] != ' ' && body[level] != '\t')) {
        return std::nullopt;
    }
    std::string_view text = trim(body.substr(level));
    // An optional closing sequence: "## Refunds ##".
    const std::size_t closing = text.find_last_not_of('#');
    if (closing == std::string_view::npos) {
        text = {};
    } else if (closing + 1 < text.size() && (text[closing] == ' ' || text[closing] == '\t')) {
        text = trim(text.substr(0, closing));
    }
    return Heading{static_cast<int>(level), text};
}

bool is_thematic_break(std::string_view line) {
    const std::string_view body = trim(line);
    if (body.size() < 3 || (body.front() != '-' && body.front() != '*' && body.front() != '_' && body.front() != '=')) {
        return false;
    }
    std::size_t marks = 0;
    for (const char ch : body) {
        if (ch == body.front()) {
            ++marks;
        } else if (ch != ' ' && ch != '\t') {
            return false;
        }
    }
    return marks >= 3;
}

// "- item", "* item", "+ item", "1. item", "12) item": the item's text.
std::optional<std::string_view> list_item(std::string_view line) {
    const std::string_view body = trim(line);
    if (body.size() >= 2 && (body[0] == '-' || body[0] == '*' || body[0] == '+') &&
        (body[1] == ' ' || body[1] == '\t')) {
        return trim(body.substr(2));
    }
    std::size_t digits = 0;
    while (digits < body.size() && digits < 9 && is_digit(body[digits])) ++digits;
    if (digits > 0 && digits + 1 < body.size() && (body[digits] == '.' || body[digits] == ')') &&
        (body[digits + 1] == ' ' || body[digits + 1] == '\t')) {
        return trim(body.substr(digits + 2));
    }
    return std::nullopt;
}

// "|---|:--:|": the line under a table's header.
bool is_table_separator(std::string_view line) {
    const std::string_view body = trim(line);
    if (body.empty() || body.front() != '|') return false;
    return body.find_first_not_of("|-: \t") == std::string_view::npos && body.find('-') != std::string_view::npos;
}

// "| Plan | Price |" → "Plan, Price".
std::string table_row(std::string_view line) {
    std::string row;
    std::string_view rest = trim(line);
    while (!rest.empty()) {
        const std::size_t bar = rest.find('|');
        const std::string_view cell = trim(rest.substr(0, bar));
        if (!cell.empty()) {
            if (!row.empty()) row += ", ";
            row.append(cell);
        }
        if (bar == std::string_view::npos) break;
        rest = rest.substr(bar + 1);
    }
    return row;
}

// A block as a sentence: a list item or a table row read aloud needs its full stop as much as a paragraph.
void finish_sentence(std::string& block) {
    while (!block.empty() && (block.back() == ':' || block.back() == ';' || block.back() == ',')) block.pop_back();
    if (block.empty()) return;
    const char last = block.back();
    if (last != '.' && last != '!' && last != '?') block.push_back('.');
}

// The text of one section as it accumulates, block by block (paragraph, list item, table row, deep heading).
class SectionText {
  public:
    void add_line(std::string_view line) {
        if (!block_.empty()) block_.push_back(' ');
        block_.append(line);
    }
    void add_block(std::string_view block) {
        end_block();
        block_.assign(block);
        end_block();
    }
    void end_block() {
        std::string sentence = strip_inline_markdown(block_);
        block_.clear();
        finish_sentence(sentence);
        if (sentence.empty()) return;
        if (!text_.empty()) text_.push_back(' ');
        text_ += sentence;
    }
    std::string take() {
        end_block();
        return std::exchange(text_, {});
    }

  private:
    std::string block_;
    std::string text_;
};

class Splitter {
  public:
    explicit Splitter(std::string document_name) : document_(std::move(document_name)) {
        heading_ = document_;
        title_ = document_;
    }

    MarkdownSections run(std::string_view markdown) {
        std::optional<Fence> fence;
        while (!markdown.empty()) {
            const std::size_t end = markdown.find('\n');
            const std::string_view line = markdown.substr(0, end);
            markdown = end == std::string_view::npos ? std::string_view{} : markdown.substr(end + 1);
            if (fence) {
                if (closes(*fence, line)) fence.reset();
                continue;
            }
            if ((fence = fence_marker(line))) {
                text_.end_block();
                continue;
            }
            read_line(line);
        }
        finish_section();
        return MarkdownSections{std::move(title_), std::move(passages_), std::move(asks_)};
    }

  private:
    void read_line(std::string_view line) {
        if (const auto heading = atx_heading(line)) {
            if (heading->level <= 3) {
                start_section(*heading);
            } else {
                text_.add_block(heading->text);
            }
            return;
        }
        if (trim(line).empty() || is_thematic_break(line) || is_table_separator(line)) {
            text_.end_block();
            return;
        }
        if (const auto item = list_item(line)) {
            text_.add_block(*item);
            return;
        }
        std::string_view body = trim(line);
        if (body.starts_with("<!--") && body.ends_with("-->") && body.size() >= 7) {
            read_comment(trim(body.substr(4, body.size() - 7)));
            return;
        }
        if (body.front() == '|') {
            text_.add_block(table_row(body));
            return;
        }
        while (!body.empty() && body.front() == '>') body = trim(body.substr(1));  // block quotes read as text
        text_.add_line(body);
    }

    // "ask: how do I get a refund" under a heading: a question the section answers. Other comments are notes.
    void read_comment(std::string_view comment) {
        constexpr std::string_view kAsk = "ask:";
        if (comment.size() <= kAsk.size() || comment.substr(0, kAsk.size()) != kAsk) return;
        const std::string question = strip_inline_markdown(trim(comment.substr(kAsk.size())));
        if (question.empty()) return;
        if (!section_asks_.empty()) section_asks_.push_back(' ');
        section_asks_ += question;
    }

    void start_section(const Heading& heading) {
        finish_section();
        std::string text(utf8_prefix(strip_inline_markdown(heading.text), kMaxHeadingBytes));
        while (!text.empty() && text.back() == ' ') text.pop_back();
        if (heading.level == 1 && !seen_title_ && !text.empty()) {
            title_ = text;
            seen_title_ = true;
        }
        heading_ = text.empty() ? document_ : std::move(text);
    }

    void finish_section() {
        std::string text = text_.take();
        std::string asks = std::exchange(section_asks_, {});
        if (text.empty()) return;
        asks_.push_back(std::move(asks));
        core::KnowledgePassage passage;
        passage.id = document_ + "#" + unique_slug(heading_slug(heading_));
        passage.document = document_;
        passage.heading = heading_;
        passage.text = std::move(text);
        passages_.push_back(std::move(passage));
    }

    std::string unique_slug(const std::string& slug) {
        std::string candidate = slug;
        // Counting on from the last suffix given to this slug keeps a document of a thousand equal headings linear.
        int& next = next_suffix_[slug];
        if (next < 2) next = 2;
        while (!used_slugs_.insert(candidate).second) candidate = slug + "-" + std::to_string(next++);
        return candidate;
    }

    std::string document_;
    std::string title_;
    bool seen_title_ = false;
    std::string heading_;
    SectionText text_;
    std::unordered_set<std::string> used_slugs_;
    std::unordered_map<std::string, int> next_suffix_;
    std::vector<core::KnowledgePassage> passages_;
    std::vector<std::string> asks_;
    std::string section_asks_;
};

}  // namespace

MarkdownSections parse_markdown_sections(std::string_view document_name, std::string_view markdown) {
    std::string name = collapse_whitespace(clean_utf8(document_name));
    return Splitter(std::move(name)).run(clean_utf8(markdown));
}

std::vector<core::KnowledgePassage> split_markdown(std::string_view document_name, std::string_view markdown) {
    return parse_markdown_sections(document_name, markdown).passages;
}

std::string heading_slug(std::string_view heading) {
    std::string slug;
    bool dash = false;
    for (const char raw : heading) {
        const char ch = raw >= 'A' && raw <= 'Z' ? static_cast<char>(raw - 'A' + 'a') : raw;
        if ((ch >= 'a' && ch <= 'z') || is_digit(ch)) {
            if (dash && !slug.empty()) slug.push_back('-');
            dash = false;
            slug.push_back(ch);
        } else {
            dash = true;
        }
    }
    return slug.empty() ? std::string("section") : slug;
}

}  // namespace crossvoice::assistant
