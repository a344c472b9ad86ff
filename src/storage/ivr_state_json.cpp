#include "storage/ivr_state_json.hpp"

#include <cstdint>
#include <limits>
#include <nlohmann/json.hpp>

namespace crossvoice::storage {
namespace {

using core::ivr::IvrState;
using Json = nlohmann::json;

bool read_string(const Json& object, const char* key, std::string& out) {
    const auto it = object.find(key);
    if (it == object.end() || !it->is_string()) return false;
    out = it->get<std::string>();
    return true;
}

bool read_int(const Json& object, const char* key, int& out) {
    const auto it = object.find(key);
    if (it == object.end() || !it->is_number_integer()) return false;
    if (it->is_number_unsigned()) {
        const auto value = it->get<std::uint64_t>();
        if (value > static_cast<std::uint64_t>(std::numeric_limits<int>::max())) return false;
        out = static_cast<int>(value);
        return true;
    }
    const auto value = it->get<std::int64_t>();
    if (value < std::numeric_limits<int>::min() || value > std::numeric_limits<int>::max()) return false;
    out = static_cast<int>(value);
    return true;
}

}  // namespace

// Every field of IvrState; awaiting by its name (core::ivr::to_string). A field added to IvrState later must be
// optional when read, so that rows written before it still load.
std::string ivr_state_to_json(const IvrState& state) {
    const Json json = {
        {"flow", state.flow},
        {"node", state.node},
        {"awaiting", core::ivr::to_string(state.awaiting)},  // by name: "menu", "collect", ...
        {"attempts", state.attempts},
        {"language", state.language},
        {"voice", state.voice},
        {"variables", state.variables},
        {"step", state.step},
        {"outcome", state.outcome},
    };
    // replace: a caller's speech or digits that are not valid UTF-8 must not fail the call (dump would throw).
    return json.dump(-1, ' ', false, Json::error_handler_t::replace);
}

// nullopt when the text is not a JSON object holding every field with the right type.
std::optional<IvrState> ivr_state_from_json(std::string_view text) {
    const Json json = Json::parse(text, nullptr, /*allow_exceptions=*/false);
    if (json.is_discarded() || !json.is_object()) return std::nullopt;
    IvrState state;
    std::string awaiting;
    if (!read_string(json, "flow", state.flow) || !read_string(json, "node", state.node) ||
        !read_string(json, "awaiting", awaiting) || !read_int(json, "attempts", state.attempts) ||
        !read_string(json, "language", state.language) || !read_string(json, "voice", state.voice) ||
        !read_int(json, "step", state.step) || !read_string(json, "outcome", state.outcome)) {
        return std::nullopt;
    }
    const auto parsed_awaiting = core::ivr::parse_awaiting(awaiting);
    if (!parsed_awaiting) return std::nullopt;
    state.awaiting = *parsed_awaiting;
    const auto variables = json.find("variables");
    if (variables == json.end() || !variables->is_object()) return std::nullopt;
    for (const auto& [name, value] : variables->items()) {
        if (!value.is_string()) return std::nullopt;
        state.variables.emplace(name, value.get<std::string>());
    }
    return state;
}

}  // namespace crossvoice::storage
