#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/ports/translator.hpp"

namespace crossvoice::language {

// The ISO 639-1 code for a language named by ISO 639-1, ISO 639-2/3 or a BCP 47 tag: lower case, primary
// subtag only ("en-US" → "en", "pt_BR" → "pt", "eng" → "en", "SPA" → "es"). Codes without a two-letter
// equivalent (or unknown to the table) come back lower-cased as they are ("ast").
std::string iso639_1(std::string_view code);

// "en→es, es→en": how errors list the supported pairs.
std::string describe_pairs(const std::vector<core::ports::LanguagePair>& pairs);

}  // namespace crossvoice::language
