#pragma once

#include <string>

#include "app/runtime.hpp"

namespace crossvoice::app {

// An audit row for a change made from the command line (key id "cli").
void audit_cli_change(Runtime& runtime, core::Platform platform, std::string action, std::string target,
                      std::string outcome);

}  // namespace crossvoice::app
