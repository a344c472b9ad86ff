#include "sandbox/texml_call_request.hpp"

#include <fmt/format.h>

#include <array>
#include <utility>

#include "sandbox/request_fields.hpp"
#include "sandbox/url_form.hpp"

namespace crossvoice::sandbox {
namespace {

constexpr std::string_view kKeys = "0123456789*#ABCD";
constexpr std::string_view kActionShapes =
    R"(each caller action is one of {"press":"1"}, {"say":"billing"}, {"record":"Hi, call me back"}, )"
    R"({"silence":true}.)";

std::optional<TelnyxError> read_action(const nlohmann::json& item, std::size_t index, CallerAction& out) {
    const auto pointer = fmt::format("/script/{}", index);
    if (!item.is_object() || item.size() != 1) {
        return invalid_parameter(pointer, fmt::format("'script[{}]': {}", index, kActionShapes));
    }
    // Not `*item.items().begin()`: its operator* returns a reference to the temporary begin(), which would dangle.
    const auto first = item.begin();
    const std::string key = first.key();
    const auto& value = first.value();
    const auto field = pointer + "/" + key;
    constexpr std::array<std::pair<std::string_view, CallerAction::Kind>, 3> kTextual{{
        {"press", CallerAction::Kind::kPress},
        {"say", CallerAction::Kind::kSay},
        {"record", CallerAction::Kind::kRecord},
    }};
    for (const auto& [name, kind] : kTextual) {
        if (key != name) continue;
        if (!value.is_string() || value.get_ref<const std::string&>().empty()) {
            return invalid_parameter(field, fmt::format("'script[{}].{}' must be a non-empty string.", index, key));
        }
        const auto& text = value.get_ref<const std::string&>();
        if (kind == CallerAction::Kind::kPress && text.find_first_not_of(kKeys) != std::string::npos) {
            return invalid_parameter(field,
                                     fmt::format("'script[{}].press' must be made of the keys {}.", index, kKeys));
        }
        if (text.size() > kMaxActionText) {
            return invalid_parameter(
                field, fmt::format("'script[{}].{}' must be at most {} characters.", index, key, kMaxActionText));
        }
        out = {kind, text};
        return std::nullopt;
    }
    if (key == "silence") {
        if (!value.is_boolean() || !value.get<bool>()) {
            return invalid_parameter(field, fmt::format("'script[{}].silence' must be true.", index));
        }
        out = {CallerAction::Kind::kSilence, ""};
        return std::nullopt;
    }
    return invalid_parameter(field, fmt::format("'script[{}]': unknown action '{}'; {}", index, key, kActionShapes));
}

std::optional<TelnyxError> read_url(const char* key, std::optional<std::string>& url) {
    if (url && url->empty()) url.reset();
    if (url && !is_http_url(*url)) {
        return invalid_parameter(std::string("/") + key,
                                 fmt::format("'{}' must be an absolute http:// or https:// URL.", key));
    }
    return std::nullopt;
}

}  // namespace

std::optional<TelnyxError> read_texml_call(const nlohmann::json& body, const std::optional<std::string>& default_url,
                                           const std::optional<std::string>& default_status_url, TexmlCall& out) {
    std::optional<std::string> from;
    std::optional<std::string> url;
    std::optional<std::string> method;
    std::optional<std::string> status_callback;
    RequestFields fields(body);
    fields.text("from", from);
    if (fields.ok() && from && !from->empty()) fields.phone("from", true, out.from);
    fields.phone("to", true, out.to)
        .text("url", url)
        .one_of("method", {"POST", "GET"}, method)
        .text("statusCallback", status_callback);
    if (!fields.ok()) return fields.error();
    if (!from || from->empty()) out.from = std::string(kDefaultSandboxCaller);
    if (auto error = read_url("url", url)) return error;
    if (auto error = read_url("statusCallback", status_callback)) return error;
    if (!url) url = default_url;
    if (!url) {
        auto error = missing_parameter("/url");
        error.detail = "The sandbox knows no TeXML application URL: pass 'url'.";
        return error;
    }
    out.url = std::move(*url);
    out.method = method.value_or("POST");
    out.status_callback = status_callback ? std::move(status_callback) : default_status_url;

    out.script.clear();
    const auto script = body.find("script");
    if (script == body.end() || script->is_null()) return std::nullopt;
    if (!script->is_array()) {
        return invalid_parameter("/script", std::string("'script' must be an array: ") + std::string(kActionShapes));
    }
    if (script->size() > kMaxScriptActions) {
        return invalid_parameter("/script",
                                 fmt::format("'script' must hold at most {} caller actions.", kMaxScriptActions));
    }
    for (std::size_t i = 0; i < script->size(); ++i) {
        CallerAction action;
        if (auto error = read_action((*script)[i], i, action)) return error;
        out.script.push_back(std::move(action));
    }
    return std::nullopt;
}

}  // namespace crossvoice::sandbox
