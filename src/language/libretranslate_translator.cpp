#include "language/libretranslate_translator.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <nlohmann/json.hpp>

#include "language/language_codes.hpp"

namespace crossvoice::language {
namespace {

using core::ports::HttpResponse;
using core::ports::LanguagePair;
using Json = nlohmann::json;

constexpr std::size_t kMaxMessageBytes = 300;

bool is_blank(std::string_view text) {
    return std::all_of(text.begin(), text.end(),
                       [](char ch) { return ch == ' ' || ch == '\t' || ch == '\n' || ch == '\r' || ch == '\f'; });
}

bool contains_ignoring_case(std::string_view text, std::string_view word) {
    const auto lower = [](char ch) { return ch >= 'A' && ch <= 'Z' ? static_cast<char>(ch - 'A' + 'a') : ch; };
    return std::search(text.begin(), text.end(), word.begin(), word.end(),
                       [&](char a, char b) { return lower(a) == lower(b); }) != text.end();
}

// The server's {"error": "..."} message, or the start of whatever else it sent.
std::string server_message(const HttpResponse& response) {
    const Json body = Json::parse(response.body, nullptr, false);
    if (body.is_object() && body.contains("error") && body["error"].is_string()) {
        return body["error"].get<std::string>().substr(0, kMaxMessageBytes);
    }
    std::string text = response.body.substr(0, kMaxMessageBytes);
    return text.empty() ? fmt::format("HTTP {}", response.status) : text;
}

core::Error vendor_error(std::string message, const HttpResponse& response) {
    return core::Error{core::ErrorCode::kVendor,
                       std::move(message),
                       {{"engine", "libretranslate"}, {"vendor_status", std::to_string(response.status)}}};
}

core::Result<LibreTranslateTranslator::Catalog> parse_languages(const HttpResponse& response) {
    const Json body = Json::parse(response.body, nullptr, false);
    if (!body.is_array()) return vendor_error("LibreTranslate /languages did not return a list", response);
    // Entries without "targets" come from servers older than 1.3, which translate between any two languages.
    std::vector<std::string> all_codes;
    for (const auto& entry : body) {
        if (entry.is_object() && entry.contains("code") && entry["code"].is_string()) {
            all_codes.push_back(entry["code"].get<std::string>());
        }
    }
    LibreTranslateTranslator::Catalog catalog;
    const auto remember = [&](const std::string& server_code) {
        const std::string code = iso639_1(server_code);
        const bool known = std::any_of(catalog.server_codes.begin(), catalog.server_codes.end(),
                                       [&](const auto& entry) { return entry.first == code; });
        if (!known) catalog.server_codes.emplace_back(code, server_code);
        return code;
    };
    for (const auto& entry : body) {
        if (!entry.is_object() || !entry.contains("code") || !entry["code"].is_string()) continue;
        const std::string source = remember(entry["code"].get<std::string>());
        std::vector<std::string> targets;
        if (entry.contains("targets") && entry["targets"].is_array()) {
            for (const auto& target : entry["targets"]) {
                if (target.is_string()) targets.push_back(target.get<std::string>());
            }
        } else {
            targets = all_codes;
        }
        for (const auto& server_target : targets) {
            const std::string target = remember(server_target);
            if (target == source) continue;
            const bool seen = std::any_of(catalog.pairs.begin(), catalog.pairs.end(), [&](const LanguagePair& pair) {
                return pair.source == source && pair.target == target;
            });
            if (!seen) catalog.pairs.push_back(LanguagePair{source, target});
        }
    }
    return catalog;
}

std::string server_code(const LibreTranslateTranslator::Catalog& catalog, const std::string& code) {
    for (const auto& [ours, theirs] : catalog.server_codes) {
        if (ours == code) return theirs;
    }
    return code;
}

// A catalogue can hold hundreds of pairs: the message names what the requested source can become (or the
// sources there are), the details carry the full list.
core::Error unsupported_pair(const std::vector<LanguagePair>& pairs, const std::string& from, const std::string& to) {
    std::vector<std::string> reachable;
    std::vector<std::string> sources;
    for (const auto& pair : pairs) {
        if (pair.source == from || from == "auto") reachable.push_back(pair.target);
        if (std::find(sources.begin(), sources.end(), pair.source) == sources.end()) sources.push_back(pair.source);
    }
    std::sort(reachable.begin(), reachable.end());
    reachable.erase(std::unique(reachable.begin(), reachable.end()), reachable.end());
    const std::string offer = reachable.empty() ? fmt::format("supported sources: {}", fmt::join(sources, ", "))
                                                : fmt::format("{} translates to: {}", from, fmt::join(reachable, ", "));
    return core::Error{core::ErrorCode::kValidation,
                       fmt::format("no LibreTranslate pair for {}→{}; {}", from, to, offer),
                       {{"field", "target"}, {"source", from}, {"target", to}, {"supported", describe_pairs(pairs)}}};
}

bool supported(const std::vector<LanguagePair>& pairs, const std::string& from, const std::string& to) {
    return std::any_of(pairs.begin(), pairs.end(), [&](const LanguagePair& pair) {
        return (pair.source == from || from == "auto") && pair.target == to;
    });
}

}  // namespace

LibreTranslateTranslator::LibreTranslateTranslator(LibreTranslateOptions options, core::ports::HttpClient& http)
    : options_(std::move(options)), http_(http) {
    while (options_.base_url.ends_with('/')) options_.base_url.pop_back();
}

core::ports::HttpRequest LibreTranslateTranslator::request(std::string method, std::string path) const {
    core::ports::HttpRequest request;
    request.method = std::move(method);
    request.url = options_.base_url + path;
    request.headers = {{"Accept", "application/json"}};
    request.connect_timeout = std::min(request.connect_timeout, options_.timeout);
    request.attempt_timeout = options_.timeout;
    request.deadline = options_.timeout;
    request.retry.max_attempts = 2;
    return request;
}

core::Result<LibreTranslateTranslator::Catalog> LibreTranslateTranslator::catalog() const {
    // Held across the fetch: concurrent first callers wait for one request instead of each sending their own.
    const std::lock_guard lock(mutex_);
    if (catalog_) return *catalog_;
    auto response = http_.send(request("GET", "/languages"));
    if (!response) return std::move(response).error().with("engine", "libretranslate");
    if (response->status != 200) {
        return vendor_error(fmt::format("LibreTranslate /languages failed: {}", server_message(*response)), *response);
    }
    auto parsed = parse_languages(*response);
    if (parsed) catalog_ = *parsed;
    return parsed;
}

std::vector<LanguagePair> LibreTranslateTranslator::pairs() const {
    auto current = catalog();
    if (!current) return {};
    return current->pairs;
}

core::Result<std::string> LibreTranslateTranslator::translate(std::string_view text, std::string_view source,
                                                              std::string_view target) {
    auto current = catalog();
    if (!current) return std::move(current).error();
    const std::string from = iso639_1(source);
    const std::string to = iso639_1(target);
    if (!supported(current->pairs, from, to)) return unsupported_pair(current->pairs, from, to);
    if (is_blank(text)) return std::string(text);

    Json body{{"q", std::string(text)},
              {"source", from == "auto" ? from : server_code(*current, from)},
              {"target", server_code(*current, to)},
              {"format", "text"}};
    if (options_.api_key) body["api_key"] = *options_.api_key;
    auto post = request("POST", "/translate");
    post.headers.emplace_back("Content-Type", "application/json");
    // Invalid UTF-8 in a transcript must not throw out of the adapter: it is replaced, not refused.
    post.body = body.dump(-1, ' ', false, Json::error_handler_t::replace);

    auto response = http_.send(post);
    if (!response) return std::move(response).error().with("engine", "libretranslate");
    if (response->status != 200) {
        std::string message = server_message(*response);
        // The catalogue can be stale (the server was reconfigured): its own refusal of the language still
        // deserves a 400 listing what we know, not a vendor failure.
        if (response->status == 400 && contains_ignoring_case(message, "not supported")) {
            return std::move(unsupported_pair(current->pairs, from, to)).with("vendor_message", message);
        }
        return vendor_error(fmt::format("LibreTranslate refused the translation: {}", message), *response);
    }
    const Json reply = Json::parse(response->body, nullptr, false);
    if (!reply.is_object() || !reply.contains("translatedText") || !reply["translatedText"].is_string()) {
        return vendor_error("LibreTranslate reply has no translatedText", *response);
    }
    return reply["translatedText"].get<std::string>();
}

}  // namespace crossvoice::language
