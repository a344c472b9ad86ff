#include "assistant/markdown_inline.hpp"

#include <cstddef>

namespace crossvoice::assistant {
namespace {

bool is_space(char ch) { return ch == ' ' || ch == '\n' || ch == '\t' || ch == '\r' || ch == '\f' || ch == '\v'; }

bool is_alnum(char ch) {
    // Bytes of multibyte UTF-8 characters count as letters: "naïve_word" keeps its underscore.
    return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') ||
           static_cast<unsigned char>(ch) >= 0x80U;
}

bool is_ascii_punctuation(char ch) {
    return (ch >= '!' && ch <= '/') || (ch >= ':' && ch <= '@') || (ch >= '[' && ch <= '`') || (ch >= '{' && ch <= '~');
}

bool is_letter(char ch) { return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z'); }

// Link texts, targets and tags are short; looking only this far for their end keeps a document full of unmatched
// brackets linear instead of quadratic.
constexpr std::size_t kMaxSpan = 512;

// The position of `close` at most kMaxSpan bytes after `from`, or npos.
std::size_t find_close(std::string_view text, std::size_t from, char close) {
    if (from >= text.size()) return std::string_view::npos;
    const std::size_t found = text.substr(from, kMaxSpan).find(close);
    return found == std::string_view::npos ? found : from + found;
}

// "<https://…>", "<mailto:…>" or "<name@host>": an autolink, whose inside is kept.
bool is_autolink(std::string_view inside) {
    return inside.find(' ') == std::string_view::npos &&
           (inside.starts_with("http://") || inside.starts_with("https://") || inside.starts_with("mailto:") ||
            inside.find('@') != std::string_view::npos);
}

// "<br>", "</div>", "<img src=…>": an HTML tag, which is dropped.
bool is_html_tag(std::string_view inside) {
    if (inside.empty()) return false;
    const std::size_t start = inside.front() == '/' ? 1 : 0;
    return start < inside.size() && is_letter(inside[start]);
}

void strip_into(std::string_view text, std::string& out, int depth) {
    std::size_t i = 0;
    while (i < text.size()) {
        const char ch = text[i];
        if (ch == '\\' && i + 1 < text.size() && is_ascii_punctuation(text[i + 1])) {
            out.push_back(text[i + 1]);
            i += 2;
            continue;
        }
        if (ch == '`' || ch == '*') {
            ++i;
            continue;
        }
        if (ch == '~' && i + 1 < text.size() && text[i + 1] == '~') {
            i += 2;
            continue;
        }
        if (ch == '_') {
            const bool inside_word = i > 0 && i + 1 < text.size() && is_alnum(text[i - 1]) && is_alnum(text[i + 1]);
            if (inside_word) out.push_back(ch);
            ++i;
            continue;
        }
        const bool image = ch == '!' && i + 1 < text.size() && text[i + 1] == '[';
        if ((ch == '[' || image) && depth < 4) {
            const std::size_t open = image ? i + 1 : i;
            const std::size_t close = find_close(text, open + 1, ']');
            if (close != std::string_view::npos) {
                std::size_t next = close + 1;
                if (next < text.size() && (text[next] == '(' || text[next] == '[')) {
                    const std::size_t target_end = find_close(text, next + 1, text[next] == '(' ? ')' : ']');
                    if (target_end != std::string_view::npos) next = target_end + 1;
                }
                strip_into(text.substr(open + 1, close - open - 1), out, depth + 1);
                i = next;
                continue;
            }
        }
        if (ch == '<') {
            const std::size_t close = find_close(text, i + 1, '>');
            if (close != std::string_view::npos) {
                const std::string_view inside = text.substr(i + 1, close - i - 1);
                if (is_autolink(inside)) {
                    out.append(inside.starts_with("mailto:") ? inside.substr(7) : inside);
                    i = close + 1;
                    continue;
                }
                if (is_html_tag(inside)) {
                    out.push_back(' ');
                    i = close + 1;
                    continue;
                }
            }
        }
        out.push_back(ch);
        ++i;
    }
}

}  // namespace

std::string collapse_whitespace(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    bool pending_space = false;
    for (const char ch : text) {
        if (is_space(ch)) {
            pending_space = !out.empty();
            continue;
        }
        if (pending_space) out.push_back(' ');
        pending_space = false;
        out.push_back(ch);
    }
    return out;
}

std::string strip_inline_markdown(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    strip_into(text, out, 0);
    return collapse_whitespace(out);
}

}  // namespace crossvoice::assistant
