#include "flows/yaml_flow_parser.hpp"

#include <fmt/format.h>
#include <yaml-cpp/depthguard.h>
#include <yaml-cpp/eventhandler.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <array>
#include <charconv>
#include <exception>
#include <map>
#include <optional>
#include <span>
#include <sstream>
#include <string>
#include <utility>

namespace crossvoice::flows {
namespace {

namespace ivr = core::ivr;
using ivr::FlowIssue;
using Names = std::span<const std::string_view>;

// Sizes of one field. Generous for a hand-written flow, small enough that a hostile one stays cheap.
constexpr std::size_t kMaxText = 2000;  // prompts and messages
constexpr std::size_t kMaxName = 64;    // ids, variables, queues, personas, voices
constexpr std::size_t kMaxUrl = 2048;
constexpr std::size_t kMaxPhrase = 100;  // one speech phrase or synonym
constexpr std::size_t kMaxPattern = 200;
constexpr std::size_t kMaxShort = 32;  // numbers, digits, keys, language tags, time ranges
constexpr std::size_t kMaxOptions = 20;
constexpr std::size_t kMaxPhrases = 30;
constexpr std::size_t kMaxTargets = 10;
constexpr std::size_t kMaxNumbers = 100;
constexpr std::size_t kMaxHolidays = 400;
constexpr std::size_t kMaxWindows = 50;
// What reading one YAML node costs against kMaxExpandedBytes besides its text (aliases repeat nodes).
constexpr std::size_t kNodeCost = 16;

constexpr std::string_view kFlowFields[] = {"name",     "platform", "description", "numbers",
                                            "language", "voice",    "start",       "nodes"};
constexpr std::string_view kSayFields[] = {"type", "text", "next"};
constexpr std::string_view kPlayFields[] = {"type", "url", "next"};
constexpr std::string_view kMenuFields[] = {
    "type", "prompt", "input", "timeout", "retries", "no_input_prompt", "invalid_prompt", "fallback", "options"};
constexpr std::string_view kOptionFields[] = {"digit", "say", "synonyms", "next"};
constexpr std::string_view kCollectFields[] = {"type",           "prompt",  "variable", "min_digits", "max_digits",
                                               "finish_on_key",  "pattern", "check",    "timeout",    "retries",
                                               "invalid_prompt", "next",    "fallback"};
constexpr std::string_view kRecordFields[] = {"type", "prompt",        "max_length", "silence_timeout",
                                              "beep", "finish_on_key", "next"};
constexpr std::string_view kTransferFields[] = {"type",      "prompt", "targets",  "timeout",
                                                "caller_id", "record", "no_answer"};
constexpr std::string_view kQueueFields[] = {"type", "prompt", "queue", "max_wait", "hold_music", "next"};
constexpr std::string_view kHoursFields[] = {"type",      "time_zone",   "open",        "holidays",
                                             "when_open", "when_closed", "when_holiday"};
constexpr std::string_view kLanguageFields[] = {"type", "language", "voice", "next"};
constexpr std::string_view kAssistantFields[] = {"type",      "persona", "prompt",  "next", "agent",
                                                 "max_turns", "timeout", "retries", "chat"};
constexpr std::string_view kChatFields[] = {"type", "prompt", "next"};
constexpr std::string_view kRedirectFields[] = {"type", "flow"};
constexpr std::string_view kHangupFields[] = {"type", "text"};

constexpr std::string_view kDayNames[] = {"mon", "tue", "wed", "thu", "fri", "sat", "sun"};
constexpr std::string_view kLongDayNames[] = {"monday", "tuesday",  "wednesday", "thursday",
                                              "friday", "saturday", "sunday"};

// Thrown inside the reader to stop at a limit; parse() catches it. Never leaves parse().
struct Abort {};

int line_of(const YAML::Node& node) {
    const YAML::Mark mark = node.Mark();
    return mark.line >= 0 ? mark.line + 1 : 0;
}

std::string_view kind_of(const YAML::Node& node) {
    switch (node.Type()) {
        case YAML::NodeType::Null: return "empty";
        case YAML::NodeType::Scalar: return "a string";
        case YAML::NodeType::Sequence: return "a list";
        case YAML::NodeType::Map: return "a mapping";
        case YAML::NodeType::Undefined: break;
    }
    return "undefined";
}

std::string join(Names names) {
    std::string out;
    for (const auto name : names) {
        if (!out.empty()) out += ", ";
        out += name;
    }
    return out;
}

std::string lower(std::string_view text) {
    std::string out(text);
    std::transform(out.begin(), out.end(), out.begin(),
                   [](char ch) { return ch >= 'A' && ch <= 'Z' ? static_cast<char>(ch - 'A' + 'a') : ch; });
    return out;
}

std::string_view trim(std::string_view text) {
    while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
    while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
    return text;
}

std::size_t edit_distance(std::string_view a, std::string_view b) {
    std::vector<std::size_t> row(b.size() + 1);
    for (std::size_t j = 0; j <= b.size(); ++j) row[j] = j;
    for (std::size_t i = 1; i <= a.size(); ++i) {
        std::size_t diagonal = row[0];
        row[0] = i;
        for (std::size_t j = 1; j <= b.size(); ++j) {
            const std::size_t above = row[j];
            row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
            diagonal = above;
        }
    }
    return row[b.size()];
}

// "(did you mean 'fallback'?)" for a near miss, else the list of what is allowed.
std::string suggestion(std::string_view wrong, Names allowed) {
    std::string_view best;
    std::size_t best_distance = 3;  // at most two edits
    if (wrong.size() <= 64) {
        for (const auto name : allowed) {
            const std::size_t distance = edit_distance(lower(wrong), name);
            if (distance < best_distance) {
                best_distance = distance;
                best = name;
            }
        }
    }
    if (!best.empty()) return fmt::format("did you mean '{}'?", best);
    return fmt::format("expected one of {}", join(allowed));
}

bool is_valid_utf8(std::string_view text) {
    std::size_t i = 0;
    while (i < text.size()) {
        const auto byte = static_cast<unsigned char>(text[i]);
        std::size_t length = 0;
        char32_t code = 0;
        if (byte < 0x80) {
            ++i;
            continue;
        } else if ((byte & 0xE0) == 0xC0) {
            length = 2;
            code = byte & 0x1Fu;
        } else if ((byte & 0xF0) == 0xE0) {
            length = 3;
            code = byte & 0x0Fu;
        } else if ((byte & 0xF8) == 0xF0) {
            length = 4;
            code = byte & 0x07u;
        } else {
            return false;
        }
        if (i + length > text.size()) return false;
        for (std::size_t k = 1; k < length; ++k) {
            const auto next = static_cast<unsigned char>(text[i + k]);
            if ((next & 0xC0) != 0x80) return false;
            code = (code << 6) | (next & 0x3Fu);
        }
        const char32_t smallest[] = {0, 0, 0x80, 0x800, 0x10000};
        if (code < smallest[length] || code > 0x10FFFF || (code >= 0xD800 && code <= 0xDFFF)) return false;
        i += length;
    }
    return true;
}

// Tabs and line breaks are fine in a prompt; other control characters cannot be spoken or put in TeXML.
bool has_control_character(std::string_view text) {
    return std::any_of(text.begin(), text.end(), [](char ch) {
        const auto byte = static_cast<unsigned char>(ch);
        return (byte < 0x20 && ch != '\t' && ch != '\n' && ch != '\r') || byte == 0x7F;
    });
}

bool is_node_id(std::string_view id) {
    if (id.empty() || id.size() > kMaxName) return false;
    return std::all_of(id.begin(), id.end(), [](char ch) {
        return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') || ch == '_' ||
               ch == '-';
    });
}

// Only blanks, line breaks and comments.
bool is_blank(std::string_view text) {
    bool comment = false;
    for (char ch : text) {
        if (ch == '\n' || ch == '\r') {
            comment = false;
        } else if (ch == '#') {
            comment = true;
        } else if (!comment && ch != ' ' && ch != '\t') {
            return false;
        }
    }
    return true;
}

// Counts documents for second_document_line(); builds nothing.
class DocumentCounter final : public YAML::EventHandler {
  public:
    int documents = 0;
    int second_line = 0;

    void OnDocumentStart(const YAML::Mark& mark) override {
        if (++documents == 2) second_line = mark.line >= 0 ? mark.line + 1 : 1;
    }
    void OnDocumentEnd() override {}
    void OnNull(const YAML::Mark&, YAML::anchor_t) override {}
    void OnAlias(const YAML::Mark&, YAML::anchor_t) override {}
    void OnScalar(const YAML::Mark&, const std::string&, YAML::anchor_t, const std::string&) override {}
    void OnSequenceStart(const YAML::Mark&, const std::string&, YAML::anchor_t, YAML::EmitterStyle::value) override {}
    void OnSequenceEnd() override {}
    void OnMapStart(const YAML::Mark&, const std::string&, YAML::anchor_t, YAML::EmitterStyle::value) override {}
    void OnMapEnd() override {}
};

// The line where a second YAML document starts, or 0 when there is one. Reads at most two documents:
// yaml-cpp 0.7's LoadAll() loops forever on some malformed streams (a stray ',': jbeder/yaml-cpp#1040, fixed
// by #1319 after 0.8), so it is never used here.
int second_document_line(const std::string& text) {
    std::istringstream stream(text);
    YAML::Parser parser(stream);
    DocumentCounter counter;
    if (!parser.HandleNextDocument(counter) || !parser.HandleNextDocument(counter)) return 0;
    return counter.second_line;
}

// Collects the issues, enforces the limits.
class Reader {
  public:
    Reader(std::string_view source, std::vector<FlowIssue>& issues) : source_(source), issues_(issues) {}

    void issue(int line, std::string message) {
        if (count_ >= YamlFlowParser::kMaxIssues) {
            note(line, fmt::format("too many problems; stopped after {}", YamlFlowParser::kMaxIssues));
            throw Abort{};
        }
        note(line, std::move(message));
    }

    // Records an issue without checking the limit (never throws but for memory).
    void note(int line, std::string message) {
        issues_.push_back(FlowIssue{std::string(source_), line, std::move(message)});
        ++count_;
    }

    // Accounts for reading a node with `bytes` of text; aliases let a small document name a node many times.
    void spend(std::size_t bytes, int line) {
        spent_ += bytes + kNodeCost;
        if (spent_ > YamlFlowParser::kMaxExpandedBytes) {
            note(line, fmt::format("the document expands to more than {} bytes (through YAML aliases); refused",
                                   YamlFlowParser::kMaxExpandedBytes));
            throw Abort{};
        }
    }

    std::size_t count() const { return count_; }

  private:
    std::string_view source_;
    std::vector<FlowIssue>& issues_;
    std::size_t count_ = 0;
    std::size_t spent_ = 0;
};

struct Entry {
    std::string key;
    int line = 0;  // of the key
    YAML::Node value;
};

// The entries of a mapping in document order; keys that are not plain strings, and keys given twice, are
// reported (naming each with `what_key`, e.g. "field" or "node") and left out.
std::vector<Entry> entries_of(Reader& reader, const YAML::Node& map, std::string_view what, std::string_view what_key) {
    std::vector<Entry> out;
    std::map<std::string, int, std::less<>> first_line;
    for (auto it = map.begin(); it != map.end(); ++it) {
        const YAML::Node key = it->first;
        const int line = line_of(key);
        reader.spend(key.IsScalar() ? key.Scalar().size() : 0, line);
        if (!key.IsScalar()) {
            reader.issue(line,
                         fmt::format("{}: a {} name must be a plain string, not {}", what, what_key, kind_of(key)));
            continue;
        }
        const std::string& name = key.Scalar();
        if (const auto [previous, inserted] = first_line.emplace(name, line); !inserted) {
            reader.issue(line, fmt::format("{}: {} '{}' is given twice (first on line {})", what, what_key,
                                           name.substr(0, kMaxName), previous->second));
            continue;
        }
        out.push_back(Entry{name, line, it->second});
    }
    return out;
}

// The fields of one mapping (the flow, a node, a menu option) and typed access to them. Every problem is
// reported as "<what>: <problem>" on the line of the field (or of the mapping when the field is missing).
class Fields {
  public:
    Fields(Reader& reader, const YAML::Node& map, std::string what, int line, Names allowed)
        : reader_(reader), what_(std::move(what)), line_(line) {
        entries_ = entries_of(reader, map, what_, "field");
        for (const auto& entry : entries_) {
            if (std::find(allowed.begin(), allowed.end(), entry.key) == allowed.end()) {
                problem(entry.line, fmt::format("unknown field '{}' ({})", entry.key.substr(0, kMaxName),
                                                suggestion(entry.key, allowed)));
            }
        }
    }

    const std::string& what() const { return what_; }
    int line() const { return line_; }
    Reader& reader() { return reader_; }

    void problem(int line, std::string_view text) { reader_.issue(line, fmt::format("{}: {}", what_, text)); }

    static int line_of_entry(const Entry& entry) {
        const int line = line_of(entry.value);
        return line > 0 ? line : entry.line;
    }

    // The field, or nullptr when it is absent (reported when required) or has no value (always reported:
    // `next:` with nothing after it is a mistake, and `digit: #` is a YAML comment, not the key).
    const Entry* get(std::string_view key, bool required) {
        const auto it = std::find_if(entries_.begin(), entries_.end(), [&](const Entry& e) { return e.key == key; });
        if (it == entries_.end()) {
            if (required) problem(line_, fmt::format("'{}' is required", key));
            return nullptr;
        }
        if (it->value.IsNull()) {
            const bool keypad_key = key == "digit" || key == "finish_on_key";
            problem(it->line, fmt::format("'{}' has no value{}", key,
                                          keypad_key ? " (quote \"#\" and \"*\": unquoted, YAML reads # as a "
                                                       "comment and * as an alias)"
                                                     : ""));
            return nullptr;
        }
        return &*it;
    }

    // A string value checked for length, UTF-8 and control characters.
    std::optional<std::string> scalar_of(std::string_view key, const YAML::Node& node, int line, std::size_t max) {
        if (!node.IsScalar()) {
            problem(line, fmt::format("'{}' must be a string, not {}", key, kind_of(node)));
            return std::nullopt;
        }
        const std::string& value = node.Scalar();
        reader_.spend(value.size(), line);
        if (value.size() > max) {
            problem(line, fmt::format("'{}' is longer than {} characters", key, max));
            return std::nullopt;
        }
        if (!is_valid_utf8(value)) {
            problem(line, fmt::format("'{}' is not valid UTF-8", key));
            return std::nullopt;
        }
        if (has_control_character(value)) {
            problem(line, fmt::format("'{}' contains a control character", key));
            return std::nullopt;
        }
        return value;
    }

    bool text(std::string_view key, std::string& out, bool required, std::size_t max = kMaxText) {
        const Entry* entry = get(key, required);
        if (entry == nullptr) return false;
        auto value = scalar_of(key, entry->value, line_of_entry(*entry), max);
        if (!value) return false;
        out = std::move(*value);
        return true;
    }

    bool integer(std::string_view key, int& out, int low, int high) {
        const Entry* entry = get(key, false);
        if (entry == nullptr) return false;
        const int line = line_of_entry(*entry);
        auto value = scalar_of(key, entry->value, line, kMaxShort);
        if (!value) return false;
        int number = 0;
        const char* end = value->data() + value->size();
        const auto [ptr, error] = std::from_chars(value->data(), end, number);
        if (error != std::errc{} || ptr != end || number < low || number > high) {
            problem(line, fmt::format("'{}' must be a whole number from {} to {}, not '{}'", key, low, high, *value));
            return false;
        }
        out = number;
        return true;
    }

    bool flag(std::string_view key, bool& out) {
        const Entry* entry = get(key, false);
        if (entry == nullptr) return false;
        const int line = line_of_entry(*entry);
        auto value = scalar_of(key, entry->value, line, kMaxShort);
        if (!value) return false;
        const std::string word = lower(*value);
        if (word == "true" || word == "yes") {
            out = true;
        } else if (word == "false" || word == "no") {
            out = false;
        } else {
            problem(line, fmt::format("'{}' must be true or false, not '{}'", key, *value));
            return false;
        }
        return true;
    }

    // A list of strings. A single string where the list belongs is an error, not a one-element list.
    bool strings(std::string_view key, std::vector<std::string>& out, bool required, std::size_t max_items,
                 std::size_t max_length) {
        const Entry* entry = get(key, required);
        if (entry == nullptr) return false;
        const int line = line_of_entry(*entry);
        if (!entry->value.IsSequence()) {
            problem(line, fmt::format("'{}' must be a list (like [a, b]), not {}", key, kind_of(entry->value)));
            return false;
        }
        if (entry->value.size() > max_items) {
            problem(line, fmt::format("'{}' has more than {} entries", key, max_items));
            return false;
        }
        std::vector<std::string> values;
        bool ok = true;
        for (const auto& item : entry->value) {
            const int item_line = line_of(item) > 0 ? line_of(item) : line;
            if (item.IsNull()) {
                problem(item_line, fmt::format("'{}' has an empty entry", key));
                ok = false;
                continue;
            }
            auto value = scalar_of(key, item, item_line, max_length);
            if (!value) {
                ok = false;
                continue;
            }
            values.push_back(std::move(*value));
        }
        if (ok) out = std::move(values);
        return ok;
    }

  private:
    Reader& reader_;
    std::string what_;
    int line_;
    std::vector<Entry> entries_;
};

// ---- opening hours ----------------------------------------------------------------------------------------

std::optional<int> day_index(std::string_view name) {
    const std::string word = lower(trim(name));
    for (std::size_t i = 0; i < 7; ++i) {
        if (word == kDayNames[i] || word == kLongDayNames[i]) return static_cast<int>(i);
    }
    return std::nullopt;
}

// "mon-fri", "sat,sun", "mon,wed-fri", "daily", "weekdays", "weekends" -> bit 0 = Monday ... bit 6 = Sunday.
// A range may wrap the week ("fri-mon").
std::optional<unsigned> parse_days(std::string_view spec, std::string& error) {
    unsigned days = 0;
    std::string_view rest = spec;
    while (true) {
        const auto comma = rest.find(',');
        const std::string_view part = trim(rest.substr(0, comma));
        const std::string word = lower(part);
        if (word == "daily") {
            days |= 0x7Fu;
        } else if (word == "weekdays") {
            days |= 0x1Fu;
        } else if (word == "weekends") {
            days |= 0x60u;
        } else {
            const auto dash = part.find('-');
            const auto first = day_index(part.substr(0, dash));
            const auto last = dash == std::string_view::npos ? first : day_index(part.substr(dash + 1));
            if (!first || !last) {
                error = fmt::format(
                    "'{}' is not a day (mon, tue, wed, thu, fri, sat, sun), a range like mon-fri, "
                    "daily, weekdays or weekends",
                    std::string(part.substr(0, kMaxName)));
                return std::nullopt;
            }
            for (int day = *first;; day = (day + 1) % 7) {
                days |= 1u << day;
                if (day == *last) break;
            }
        }
        if (comma == std::string_view::npos) break;
        rest = rest.substr(comma + 1);
    }
    return days;
}

// "8:00", "08:00", "24:00" -> minutes since midnight.
std::optional<int> parse_time_of_day(std::string_view text) {
    text = trim(text);
    const auto colon = text.find(':');
    if (colon == std::string_view::npos || colon == 0 || colon > 2 || text.size() != colon + 3) return std::nullopt;
    int hour = 0;
    int minute = 0;
    for (std::size_t i = 0; i < colon; ++i) {
        if (text[i] < '0' || text[i] > '9') return std::nullopt;
        hour = hour * 10 + (text[i] - '0');
    }
    for (std::size_t i = colon + 1; i < text.size(); ++i) {
        if (text[i] < '0' || text[i] > '9') return std::nullopt;
        minute = minute * 10 + (text[i] - '0');
    }
    if (minute > 59 || hour > 24 || (hour == 24 && minute != 0)) return std::nullopt;
    return hour * 60 + minute;
}

void read_window(Fields& fields, std::string_view days_text, unsigned days, const YAML::Node& node, int line,
                 std::vector<ivr::WeeklyHours>& out) {
    auto text = fields.scalar_of(days_text, node, line, kMaxShort);
    if (!text) return;
    const auto dash = text->find('-');
    if (dash == std::string::npos) {
        fields.problem(line, fmt::format("'{}': '{}' is not a time range like 08:00-17:30", days_text, *text));
        return;
    }
    const auto open = parse_time_of_day(std::string_view(*text).substr(0, dash));
    const auto close = parse_time_of_day(std::string_view(*text).substr(dash + 1));
    if (!open || !close) {
        fields.problem(line, fmt::format("'{}': '{}' is not a time range like 08:00-17:30 (hours 00 to 24, "
                                         "minutes 00 to 59)",
                                         days_text, *text));
        return;
    }
    if (*close <= *open) {
        fields.problem(line, fmt::format("'{}': '{}' closes before it opens (a window past midnight is two "
                                         "windows: one until 24:00, one from 00:00 the next day)",
                                         days_text, *text));
        return;
    }
    out.push_back(ivr::WeeklyHours{days, *open, *close, line});
}

void read_schedule(Fields& fields, const Entry& entry, std::vector<ivr::WeeklyHours>& out) {
    const int line = Fields::line_of_entry(entry);
    if (!entry.value.IsMap()) {
        fields.problem(line, fmt::format("'open' must be a mapping of days to hours, like {{mon-fri: "
                                         "\"08:00-20:00\"}}, not {}",
                                         kind_of(entry.value)));
        return;
    }
    const auto days_entries = entries_of(fields.reader(), entry.value, fields.what(), "day");
    for (const auto& day_entry : days_entries) {
        std::string error;
        const auto days = parse_days(day_entry.key, error);
        if (!days) {
            fields.problem(day_entry.line, error);
            continue;
        }
        const YAML::Node& value = day_entry.value;
        const int value_line = Fields::line_of_entry(day_entry);
        const std::string key = day_entry.key;
        if (value.IsSequence()) {
            if (value.size() > kMaxWindows) {
                fields.problem(value_line, fmt::format("'{}' has more than {} windows", key, kMaxWindows));
                continue;
            }
            for (const auto& window : value) {
                read_window(fields, key, *days, window, line_of(window) > 0 ? line_of(window) : value_line, out);
            }
        } else if (value.IsScalar()) {
            read_window(fields, key, *days, value, value_line, out);
        } else {
            fields.problem(value_line, fmt::format("'{}' must be a time range like 08:00-17:30 or a list of them, "
                                                   "not {}",
                                                   key, kind_of(value)));
        }
    }
}

// ---- nodes ------------------------------------------------------------------------------------------------

ivr::NodeBody read_say(Fields& f) {
    ivr::SayNode node;
    f.text("text", node.text, true);
    f.text("next", node.next, true, kMaxName);
    return node;
}

ivr::NodeBody read_play(Fields& f) {
    ivr::PlayNode node;
    f.text("url", node.url, true, kMaxUrl);
    f.text("next", node.next, true, kMaxName);
    return node;
}

std::optional<ivr::MenuOption> read_option(Reader& reader, const YAML::Node& item, std::string_view menu,
                                           std::size_t number, int menu_line) {
    const int line = line_of(item) > 0 ? line_of(item) : menu_line;
    const std::string what = fmt::format("{} option {}", menu, number);
    if (!item.IsMap()) {
        reader.issue(line, fmt::format("{}: an option must be a mapping like {{digit: \"1\", say: [sales], next: "
                                       "sales}}, not {}",
                                       what, kind_of(item)));
        return std::nullopt;
    }
    Fields f(reader, item, what, line, kOptionFields);
    ivr::MenuOption option;
    option.line = line;
    f.text("digit", option.digit, false, kMaxShort);
    f.strings("say", option.phrases, false, kMaxPhrases, kMaxPhrase);
    f.strings("synonyms", option.synonyms, false, kMaxPhrases, kMaxPhrase);
    f.text("next", option.next, true, kMaxName);
    return option;
}

ivr::NodeBody read_menu(Fields& f) {
    ivr::MenuNode node;
    f.text("prompt", node.prompt, true);
    std::vector<std::string> input;
    const bool input_given = f.strings("input", input, false, 2, kMaxShort);
    if (input_given) {
        node.keypad = false;
        node.speech = false;
        for (const auto& kind : input) {
            if (kind == "keypad") {
                node.keypad = true;
            } else if (kind == "speech") {
                node.speech = true;
            } else {
                f.problem(f.line(), fmt::format("input '{}' is neither keypad nor speech", kind));
            }
        }
    }
    f.integer("timeout", node.timeout_secs, 1, 120);
    f.integer("retries", node.max_retries, 0, 10);
    f.text("no_input_prompt", node.no_input_prompt, false);
    f.text("invalid_prompt", node.invalid_prompt, false);
    f.text("fallback", node.fallback, true, kMaxName);
    if (const Entry* options = f.get("options", true)) {
        const int line = Fields::line_of_entry(*options);
        if (!options->value.IsSequence()) {
            f.problem(line, fmt::format("'options' must be a list of options, not {}", kind_of(options->value)));
        } else if (options->value.size() > kMaxOptions) {
            f.problem(line, fmt::format("'options' has more than {} entries", kMaxOptions));
        } else {
            std::size_t number = 0;
            for (const auto& item : options->value) {
                if (auto option = read_option(f.reader(), item, f.what(), ++number, line)) {
                    node.options.push_back(std::move(*option));
                }
            }
        }
    }
    // Without `input`, a menu listens for speech when an option says what to say.
    if (!input_given) {
        node.keypad = true;
        node.speech = std::any_of(node.options.begin(), node.options.end(),
                                  [](const ivr::MenuOption& option) { return !option.phrases.empty(); });
    }
    return node;
}

ivr::NodeBody read_collect(Fields& f) {
    ivr::CollectNode node;
    f.text("prompt", node.prompt, true);
    f.text("variable", node.variable, true, kMaxName);
    f.integer("min_digits", node.min_digits, 1, 32);
    f.integer("max_digits", node.max_digits, 1, 32);
    f.text("finish_on_key", node.finish_on_key, false, kMaxShort);
    f.text("pattern", node.pattern, false, kMaxPattern);
    std::string check;
    if (f.text("check", check, false, kMaxShort)) {
        if (check == "none") {
            node.check = ivr::DigitCheck::kNone;
        } else if (check == "luhn") {
            node.check = ivr::DigitCheck::kLuhn;
        } else {
            f.problem(f.line(), fmt::format("check '{}' is neither none nor luhn", check));
        }
    }
    f.integer("timeout", node.timeout_secs, 1, 120);
    f.integer("retries", node.max_retries, 0, 10);
    f.text("invalid_prompt", node.invalid_prompt, false);
    f.text("next", node.next, true, kMaxName);
    f.text("fallback", node.fallback, true, kMaxName);
    return node;
}

ivr::NodeBody read_record(Fields& f) {
    ivr::RecordNode node;
    f.text("prompt", node.prompt, false);
    f.integer("max_length", node.max_length_secs, 1, 3600);
    f.integer("silence_timeout", node.silence_timeout_secs, 1, 120);
    f.flag("beep", node.play_beep);
    f.text("finish_on_key", node.finish_on_key, false, kMaxShort);
    f.text("next", node.next, true, kMaxName);
    return node;
}

ivr::NodeBody read_transfer(Fields& f) {
    ivr::TransferNode node;
    f.text("prompt", node.prompt, false);
    f.strings("targets", node.targets, true, kMaxTargets, kMaxUrl);
    f.integer("timeout", node.timeout_secs, 5, 120);
    std::string caller_id;
    if (f.text("caller_id", caller_id, false, kMaxShort)) node.caller_id = std::move(caller_id);
    f.flag("record", node.record);
    f.text("no_answer", node.no_answer, true, kMaxName);
    return node;
}

ivr::NodeBody read_queue(Fields& f) {
    ivr::QueueNode node;
    f.text("prompt", node.prompt, false);
    f.text("queue", node.queue, true, kMaxName);
    f.integer("max_wait", node.max_wait_secs, 1, 7200);
    f.text("hold_music", node.wait_url, false, kMaxUrl);
    f.text("next", node.next, true, kMaxName);
    return node;
}

ivr::NodeBody read_hours(Fields& f) {
    ivr::HoursNode node;
    f.text("time_zone", node.time_zone, true, kMaxName);
    if (const Entry* open = f.get("open", true)) read_schedule(f, *open, node.hours);
    f.strings("holidays", node.holidays, false, kMaxHolidays, kMaxShort);
    f.text("when_open", node.open, true, kMaxName);
    f.text("when_closed", node.closed, true, kMaxName);
    f.text("when_holiday", node.holiday, false, kMaxName);
    return node;
}

ivr::NodeBody read_language(Fields& f) {
    ivr::LanguageNode node;
    f.text("language", node.language, true, kMaxShort);
    f.text("voice", node.voice, false, kMaxName);
    f.text("next", node.next, true, kMaxName);
    return node;
}

ivr::NodeBody read_assistant(Fields& f) {
    ivr::AssistantNode node;
    node.persona = "shango-general";
    f.text("persona", node.persona, false, kMaxName);
    f.text("prompt", node.prompt, false);
    f.text("next", node.next, true, kMaxName);
    f.text("agent", node.agent, false, kMaxName);
    f.text("chat", node.chat, false, kMaxName);
    f.integer("max_turns", node.max_turns, 1, 50);
    f.integer("timeout", node.timeout_secs, 1, 60);
    f.integer("retries", node.max_retries, 0, 10);
    return node;
}

ivr::NodeBody read_chat(Fields& f) {
    ivr::ChatNode node;
    f.text("prompt", node.prompt, false);
    f.text("channel", node.channel, false, kMaxName);
    f.text("text", node.text, false);
    f.text("next", node.next, true, kMaxName);
    return node;
}

ivr::NodeBody read_redirect(Fields& f) {
    ivr::RedirectNode node;
    f.text("flow", node.flow, true, kMaxName);
    return node;
}

ivr::NodeBody read_hangup(Fields& f) {
    ivr::HangupNode node;
    f.text("text", node.text, false);
    return node;
}

struct NodeType {
    Names fields;
    ivr::NodeBody (*read)(Fields&);
};

// In NodeBody (and kNodeTypeNames) order.
constexpr std::array<NodeType, std::size(ivr::kNodeTypeNames)> kNodeTypes{{
    {kSayFields, read_say},
    {kPlayFields, read_play},
    {kMenuFields, read_menu},
    {kCollectFields, read_collect},
    {kRecordFields, read_record},
    {kTransferFields, read_transfer},
    {kQueueFields, read_queue},
    {kHoursFields, read_hours},
    {kLanguageFields, read_language},
    {kAssistantFields, read_assistant},
    {kChatFields, read_chat},
    {kRedirectFields, read_redirect},
    {kHangupFields, read_hangup},
}};
static_assert(std::variant_size_v<ivr::NodeBody> == std::size(ivr::kNodeTypeNames));

std::optional<ivr::Node> read_node(Reader& reader, const Entry& entry) {
    const std::string& id = entry.key;
    const std::string what = fmt::format("node '{}'", id.substr(0, kMaxName));
    if (!is_node_id(id)) {
        reader.issue(entry.line, fmt::format("{}: a node id must be 1-{} characters of letters, digits, '-' or "
                                             "'_'",
                                             what, kMaxName));
        return std::nullopt;
    }
    if (!entry.value.IsMap()) {
        reader.issue(line_of(entry.value) > 0 ? line_of(entry.value) : entry.line,
                     fmt::format("{}: a node must be a mapping with a type, like {{type: say, text: \"Hello\", "
                                 "next: menu}}, not {}",
                                 what, kind_of(entry.value)));
        return std::nullopt;
    }
    // The type decides which fields are allowed, so it is read first.
    std::optional<YAML::Node> type_node;
    for (auto it = entry.value.begin(); it != entry.value.end(); ++it) {
        if (it->first.IsScalar() && it->first.Scalar() == "type") {
            type_node = it->second;
            break;
        }
    }
    const std::string all_types = join(ivr::kNodeTypeNames);
    if (!type_node || type_node->IsNull()) {
        reader.issue(entry.line, fmt::format("{}: 'type' is required (one of {})", what, all_types));
        return std::nullopt;
    }
    if (!type_node->IsScalar()) {
        reader.issue(line_of(*type_node),
                     fmt::format("{}: 'type' must be a string, not {}", what, kind_of(*type_node)));
        return std::nullopt;
    }
    const std::string& type = type_node->Scalar();
    const auto* const found = std::find(std::begin(ivr::kNodeTypeNames), std::end(ivr::kNodeTypeNames), type);
    if (found == std::end(ivr::kNodeTypeNames)) {
        reader.issue(line_of(*type_node), fmt::format("{}: unknown node type '{}' (expected one of {})", what,
                                                      type.substr(0, kMaxName), all_types));
        return std::nullopt;
    }
    const auto index = static_cast<std::size_t>(found - std::begin(ivr::kNodeTypeNames));
    Fields fields(reader, entry.value, fmt::format("{} '{}'", type, id), entry.line, kNodeTypes[index].fields);
    return ivr::Node{id, kNodeTypes[index].read(fields), entry.line};
}

ivr::IvrFlow read_flow(Reader& reader, const YAML::Node& root, std::string_view source) {
    ivr::IvrFlow flow;
    flow.source = std::string(source);
    flow.line = line_of(root) > 0 ? line_of(root) : 1;
    Fields f(reader, root, "flow", flow.line, kFlowFields);
    f.text("name", flow.name, true, kMaxName);
    std::string platform;
    if (f.text("platform", platform, true, kMaxShort)) {
        if (const auto parsed = core::parse_platform(platform)) {
            flow.platform = *parsed;
        } else {
            std::vector<std::string_view> names;
            for (const auto known : core::kAllPlatforms) names.push_back(core::to_string(known));
            const Entry* entry = f.get("platform", true);
            f.problem(entry ? Fields::line_of_entry(*entry) : flow.line,
                      fmt::format("platform '{}' is not one of {}", platform, join(names)));
        }
    }
    f.text("description", flow.description, false);
    f.strings("numbers", flow.numbers, false, kMaxNumbers, kMaxShort);
    f.text("language", flow.language, false, kMaxShort);
    f.text("voice", flow.voice, false, kMaxName);
    const bool start_given = f.text("start", flow.start, false, kMaxName);
    if (const Entry* nodes = f.get("nodes", true)) {
        const int line = Fields::line_of_entry(*nodes);
        if (!nodes->value.IsMap()) {
            f.problem(line, fmt::format("'nodes' must be a mapping of node ids to nodes, in call order, not {}",
                                        kind_of(nodes->value)));
        } else if (nodes->value.size() > YamlFlowParser::kMaxNodes) {
            f.problem(line, fmt::format("the flow has {} nodes; at most {} are allowed", nodes->value.size(),
                                        YamlFlowParser::kMaxNodes));
        } else {
            for (const auto& entry : entries_of(reader, nodes->value, "nodes", "node")) {
                if (auto node = read_node(reader, entry)) flow.nodes.push_back(std::move(*node));
            }
            if (!start_given && !flow.nodes.empty()) flow.start = flow.nodes.front().id;
        }
    }
    return flow;
}

}  // namespace

core::Result<ivr::IvrFlow> YamlFlowParser::parse(std::string_view text, std::string_view source,
                                                 std::vector<FlowIssue>& issues) const {
    Reader reader(source, issues);
    const std::size_t first_issue = issues.size();
    bool stopped = false;  // at a limit; the last issue says which
    std::optional<ivr::IvrFlow> flow;
    try {
        if (text.size() > kMaxDocumentBytes) {
            reader.note(
                0, fmt::format("the document is {} bytes; a flow may have at most {}", text.size(), kMaxDocumentBytes));
        } else {
            const std::string copy(text);
            std::istringstream stream(copy);
            const YAML::Node root = YAML::Load(stream);
            if (root.IsNull()) {
                reader.note(1, is_blank(text) ? "the document is empty; a flow needs at least name, platform and nodes"
                                              : "the document holds no YAML value; a flow needs at least name, "
                                                "platform and nodes");
            } else if (const int second = second_document_line(copy); second > 0) {
                reader.note(second, "a flow file holds one YAML document; found another here");
            } else if (!root.IsMap()) {
                reader.note(line_of(root),
                            fmt::format("a flow must be a mapping of fields (name, platform, nodes, ...), not {}",
                                        kind_of(root)));
            } else {
                flow = read_flow(reader, root, source);
            }
        }
    } catch (const Abort&) {
        stopped = true;
    } catch (const YAML::DeepRecursion& error) {
        // yaml-cpp's own message for this is "bad file".
        reader.note(error.mark.line >= 0 ? error.mark.line + 1 : 0,
                    fmt::format("YAML syntax error: nested more than {} levels deep", error.depth()));
    } catch (const YAML::Exception& error) {
        // yaml-cpp's words; the one mistake flow authors make most gets a hint.
        const bool star = error.msg.find("alias") != std::string::npos || error.msg.find("anchor") != std::string::npos;
        reader.note(
            error.mark.line >= 0 ? error.mark.line + 1 : 0,
            fmt::format("YAML syntax error: {}{}", error.msg, star ? " (a * key must be quoted: digit: \"*\")" : ""));
    } catch (const std::exception& error) {
        reader.note(0, fmt::format("the document could not be read: {}", error.what()));
    }
    // In document order, like the validator's, with the reason for stopping last.
    const auto sorted_end = issues.end() - (stopped ? 1 : 0);
    std::stable_sort(issues.begin() + static_cast<std::ptrdiff_t>(first_issue), sorted_end,
                     [](const FlowIssue& a, const FlowIssue& b) { return a.line < b.line; });
    if (reader.count() > 0 || !flow) {
        const std::size_t count = std::max<std::size_t>(reader.count(), 1);
        return core::Error::validation(
                   "flow", fmt::format("{}: {} problem{} in the flow document", source, count, count == 1 ? "" : "s"))
            .with("source", std::string(source));
    }
    return std::move(*flow);
}

}  // namespace crossvoice::flows
