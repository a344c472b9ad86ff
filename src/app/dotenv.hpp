#pragma once

#include <map>
#include <string>
#include <string_view>

#include "core/result.hpp"

namespace crossvoice::app {

// Parses a .env file: KEY=VALUE lines, optional "export " prefix, '#' comments, blank lines,
// double-quoted values with \n \t \" \\ escapes, single-quoted values taken literally.
// Errors name the line and what is wrong with it.
core::Result<std::map<std::string, std::string>> parse_dotenv(std::string_view text);

}  // namespace crossvoice::app
