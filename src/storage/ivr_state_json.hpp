#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "core/ivr/engine.hpp"

// The `ivr_calls.state_json` column, the same in every SQL dialect: core::ivr::IvrState as one JSON object.
namespace crossvoice::storage {

// Every field of IvrState; awaiting by its name. Text that is not valid UTF-8 is written with U+FFFD in its place.
std::string ivr_state_to_json(const core::ivr::IvrState& state);

// nullopt when the text is not a JSON object holding every field with the right type.
std::optional<core::ivr::IvrState> ivr_state_from_json(std::string_view text);

}  // namespace crossvoice::storage
