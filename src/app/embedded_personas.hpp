#pragma once

#include <string_view>

namespace crossvoice::embedded {

// config/assistant/<platform>.yaml as shipped, compiled in (see crossvoice_embed in src/app/CMakeLists.txt).
std::string_view tetrix_personas();
std::string_view joromi_personas();

}  // namespace crossvoice::embedded
