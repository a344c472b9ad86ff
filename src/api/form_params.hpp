#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/result.hpp"

namespace crossvoice::api {

using FormPairs = std::vector<std::pair<std::string, std::string>>;

// application/x-www-form-urlencoded ("a=1&b=x+y%21") into ordered pairs, '+' as space. kBadRequest naming the
// offending field for a bad percent escape or an empty name; limits against abuse (kMaxFields pairs).
core::Result<FormPairs> parse_form(std::string_view text);

inline constexpr std::size_t kMaxFormFields = 256;

}  // namespace crossvoice::api
