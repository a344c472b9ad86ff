#pragma once

#include <string>
#include <vector>

#include "app/config.hpp"

namespace crossvoice::app {

// `crossvoice flows check [FILES]`: validates flow files (by default every *.yaml in CROSSVOICE_FLOWS_DIR)
// together, so that redirects between them resolve. Prints each problem as "file:line: message" and a summary;
// exit 0 when all are sound, 1 when any is not, 2 when a file cannot be read.
int flows_check(const Config& config, const std::vector<std::string>& files);

}  // namespace crossvoice::app
