#include "app/dotenv.hpp"

#include <fmt/format.h>

namespace crossvoice::app {
namespace {

bool is_key_start(char ch) { return (ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z') || ch == '_'; }
bool is_key_char(char ch) { return is_key_start(ch) || (ch >= '0' && ch <= '9'); }

std::string_view trim(std::string_view text) {
    while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
    while (!text.empty() && (text.back() == ' ' || text.back() == '\t' || text.back() == '\r')) text.remove_suffix(1);
    return text;
}

core::Error line_error(int line, std::string_view problem) {
    return core::Error::bad_request(fmt::format(".env line {}: {}", line, problem)).with("line", std::to_string(line));
}

// The value part after '=': quoted or bare; the rest of the line may only hold a comment.
core::Result<std::string> parse_value(std::string_view raw, int line) {
    raw = trim(raw);
    if (raw.empty()) return std::string{};
    const char quote = raw.front();
    if (quote != '"' && quote != '\'') {
        const auto comment = raw.find(" #");
        return std::string(trim(raw.substr(0, comment)));
    }
    std::string value;
    std::size_t i = 1;
    for (; i < raw.size() && raw[i] != quote; ++i) {
        if (quote == '"' && raw[i] == '\\' && i + 1 < raw.size()) {
            const char next = raw[++i];
            switch (next) {
                case 'n': value += '\n'; break;
                case 't': value += '\t'; break;
                case '"': value += '"'; break;
                case '\\': value += '\\'; break;
                default: return line_error(line, fmt::format("unknown escape \\{} in a double-quoted value", next));
            }
        } else {
            value += raw[i];
        }
    }
    if (i >= raw.size()) return line_error(line, "value has no closing quote");
    const auto rest = trim(raw.substr(i + 1));
    if (!rest.empty() && rest.front() != '#') return line_error(line, "unexpected text after the closing quote");
    return value;
}

}  // namespace

core::Result<std::map<std::string, std::string>> parse_dotenv(std::string_view text) {
    std::map<std::string, std::string> values;
    int line_number = 0;
    while (!text.empty()) {
        ++line_number;
        const auto newline = text.find('\n');
        std::string_view line = trim(text.substr(0, newline));
        text = newline == std::string_view::npos ? std::string_view{} : text.substr(newline + 1);
        if (line.empty() || line.front() == '#') continue;
        if (line.substr(0, 7) == "export ") line = trim(line.substr(7));

        const auto equals = line.find('=');
        if (equals == std::string_view::npos) return line_error(line_number, "expected KEY=VALUE");
        const auto key = trim(line.substr(0, equals));
        if (key.empty() || !is_key_start(key.front())) {
            return line_error(line_number, "a variable name must start with a letter or '_'");
        }
        for (char ch : key) {
            if (!is_key_char(ch))
                return line_error(line_number, "a variable name may hold only letters, digits and '_'");
        }
        auto value = parse_value(line.substr(equals + 1), line_number);
        if (!value) return std::move(value).error();
        values[std::string(key)] = std::move(value).value();
    }
    return values;
}

}  // namespace crossvoice::app
