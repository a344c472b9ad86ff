#include "openai/chat_reply.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cctype>
#include <exception>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/printable.hpp"

namespace crossvoice::openai {
namespace {

using nlohmann::json;

constexpr std::size_t kMaxCitation = 99;

bool is_blank(char ch) { return ch == ' ' || ch == '\t'; }
bool is_space(char ch) { return std::isspace(static_cast<unsigned char>(ch)) != 0; }
bool is_digit(char ch) { return ch >= '0' && ch <= '9'; }
bool is_word(char ch) { return std::isalnum(static_cast<unsigned char>(ch)) != 0; }

std::string_view trim(std::string_view text) {
    while (!text.empty() && is_space(text.front())) text.remove_prefix(1);
    while (!text.empty() && is_space(text.back())) text.remove_suffix(1);
    return text;
}

core::Error malformed(std::string_view what) {
    return core::Error{
        core::ErrorCode::kVendor, "malformed chat completion: " + std::string(what), {{"vendor", "openai"}}};
}

// Content as OpenAI sends it (a string, or null next to tool calls) or as some compatible servers do (an
// array of typed parts, of which only the text parts are an answer).
std::string content_of(const json& message) {
    const auto it = message.find("content");
    if (it == message.end()) return {};
    if (it->is_string()) return it->get<std::string>();
    std::string joined;
    if (it->is_array()) {
        for (const json& part : *it) {
            if (!part.is_object()) continue;
            const auto text = part.find("text");
            if (text != part.end() && text->is_string()) joined += text->get_ref<const std::string&>();
        }
    }
    return joined;
}

void add_function_name(const json& holder, std::vector<std::string>& names) {
    if (!holder.is_object()) return;
    const auto function = holder.find("function");
    const json& named = function != holder.end() && function->is_object() ? *function : holder;
    const auto name = named.find("name");
    if (name == named.end() || !name->is_string() || name->get_ref<const std::string&>().empty()) return;
    names.push_back(name->get<std::string>());
}

core::Result<ParsedChatReply> parse(std::string_view body) {
    const json document = json::parse(body.begin(), body.end(), nullptr, /*allow_exceptions=*/false);
    if (document.is_discarded()) return malformed("not JSON");
    if (!document.is_object()) return malformed("not a JSON object");

    const auto choices = document.find("choices");
    if (choices == document.end() || !choices->is_array() || choices->empty()) {
        core::Error error = malformed("no choices");
        // Some proxies answer 200 with an OpenAI error object; its message says more than "no choices".
        const auto vendor_error = document.find("error");
        if (vendor_error != document.end() && vendor_error->is_object()) {
            const auto message = vendor_error->find("message");
            if (message != vendor_error->end() && message->is_string()) {
                error = std::move(error).with("vendor_message", core::printable(message->get<std::string>(), 300));
            }
        }
        return error;
    }
    const json& choice = choices->front();
    if (!choice.is_object()) return malformed("the first choice is not an object");
    const auto message = choice.find("message");
    if (message == choice.end() || !message->is_object()) return malformed("no message");

    ParsedChatReply reply;
    reply.content = content_of(*message);
    const auto tool_calls = message->find("tool_calls");
    if (tool_calls != message->end() && tool_calls->is_array()) {
        for (const json& call : *tool_calls) add_function_name(call, reply.tool_names);
    }
    const auto function_call = message->find("function_call");  // before tools existed; some servers still
    if (function_call != message->end()) add_function_name(*function_call, reply.tool_names);

    if (trim(reply.content).empty() && reply.tool_names.empty()) return malformed("neither content nor tool call");
    return reply;
}

// A citation marker at text[at] ('['): its numbers and its length, or nothing when it is not one.
struct Marker {
    std::vector<std::size_t> numbers;
    std::size_t length = 0;
};

std::optional<Marker> marker_at(std::string_view text, std::size_t at) {
    Marker marker;
    std::size_t pos = at + 1;
    while (true) {
        while (pos < text.size() && is_blank(text[pos])) ++pos;
        std::size_t number = 0;
        std::size_t digits = 0;
        while (pos < text.size() && is_digit(text[pos]) && digits < 3) {
            number = number * 10 + static_cast<std::size_t>(text[pos] - '0');
            ++digits;
            ++pos;
        }
        if (digits == 0 || digits > 2 || number == 0 || number > kMaxCitation) return std::nullopt;
        marker.numbers.push_back(number);
        while (pos < text.size() && is_blank(text[pos])) ++pos;
        if (pos >= text.size()) return std::nullopt;
        if (text[pos] == ']') {
            marker.length = pos + 1 - at;
            return marker;
        }
        if (text[pos] != ',') return std::nullopt;
        ++pos;
    }
}

// "[words](https://…)" at text[at]: the words and the link's length.
std::optional<std::pair<std::string_view, std::size_t>> link_at(std::string_view text, std::size_t at) {
    const auto close = text.find(']', at + 1);
    if (close == std::string_view::npos || close + 1 >= text.size() || text[close + 1] != '(') return std::nullopt;
    const std::string_view words = text.substr(at + 1, close - at - 1);
    if (words.find('\n') != std::string_view::npos || words.find('[') != std::string_view::npos) return std::nullopt;
    std::size_t end = close + 2;
    while (end < text.size() && text[end] != ')') {
        if (is_space(text[end])) return std::nullopt;
        ++end;
    }
    if (end >= text.size()) return std::nullopt;
    return std::pair{words, end + 1 - at};
}

// The markers a line starts with: headings, quotes and bullets ("- ", "* ", "+ ", "• ").
std::string_view without_line_markers(std::string_view line) {
    while (true) {
        while (!line.empty() && is_space(line.front())) line.remove_prefix(1);
        if (!line.empty() && (line.front() == '#' || line.front() == '>')) {
            line.remove_prefix(1);
            continue;
        }
        if (line.size() >= 2 && (line[0] == '-' || line[0] == '*' || line[0] == '+') && is_blank(line[1])) {
            line.remove_prefix(2);
            continue;
        }
        if (line.starts_with("\xE2\x80\xA2")) {
            line.remove_prefix(3);
            continue;
        }
        return line;
    }
}

}  // namespace

core::Result<ParsedChatReply> parse_chat_completion(std::string_view body) {
    try {
        return parse(body);
    } catch (const std::exception&) {
        // nlohmann's accessors are guarded by the type checks above; this is for allocation failures.
        return malformed("unreadable");
    }
}

CitedText strip_citations(std::string_view text, std::size_t passage_count) {
    CitedText result;
    std::string& out = result.text;
    out.reserve(text.size());
    for (std::size_t pos = 0; pos < text.size();) {
        const auto marker = text[pos] == '[' ? marker_at(text, pos) : std::nullopt;
        if (!marker) {
            out.push_back(text[pos++]);
            continue;
        }
        for (const std::size_t number : marker->numbers) {
            if (number > passage_count) continue;
            if (std::find(result.cited.begin(), result.cited.end(), number - 1) == result.cited.end()) {
                result.cited.push_back(number - 1);
            }
        }
        pos += marker->length;
        // "5 days [1]." reads "5 days.": the blanks before a marker go with it; a marker that starts a line
        // takes the blanks after it; one between two words leaves a single space.
        while (!out.empty() && is_blank(out.back())) out.pop_back();
        if (out.empty() || out.back() == '\n') {
            while (pos < text.size() && is_blank(text[pos])) ++pos;
        } else if (pos < text.size() && is_word(text[pos]) && is_word(out.back())) {
            out.push_back(' ');
        }
    }
    out = std::string(trim(out));
    return result;
}

std::string speakable(std::string_view text) {
    // Links first, so that their brackets are not mistaken for anything else.
    std::string unlinked;
    unlinked.reserve(text.size());
    for (std::size_t pos = 0; pos < text.size();) {
        const auto link = text[pos] == '[' ? link_at(text, pos) : std::nullopt;
        if (link) {
            unlinked += link->first;
            pos += link->second;
        } else {
            unlinked.push_back(text[pos++]);
        }
    }

    std::string out;
    out.reserve(unlinked.size());
    bool pending_space = false;
    const std::string_view all(unlinked);
    for (std::size_t start = 0; start <= all.size();) {
        const auto newline = std::min(all.find('\n', start), all.size());
        const std::string_view line = without_line_markers(all.substr(start, newline - start));
        for (std::size_t i = 0; i < line.size(); ++i) {
            const char ch = line[i];
            if (ch == '*' || ch == '#' || ch == '`' || ch == '|') continue;
            // "_stress_" loses its marks; "order_id" keeps its underscore.
            if (ch == '_' && !(i > 0 && i + 1 < line.size() && is_word(line[i - 1]) && is_word(line[i + 1]))) continue;
            if (is_space(ch)) {
                pending_space = true;
                continue;
            }
            if (pending_space && !out.empty()) out.push_back(' ');
            pending_space = false;
            out.push_back(ch);
        }
        pending_space = true;
        start = newline + 1;
    }
    return out;
}

}  // namespace crossvoice::openai
