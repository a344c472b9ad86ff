#pragma once

#include <string_view>

namespace crossvoice::embedded {

// src/api/openapi.json, compiled in (see crossvoice_embed in CMake).
std::string_view openapi_document();

}  // namespace crossvoice::embedded
