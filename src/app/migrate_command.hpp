#pragma once

#include "app/config.hpp"

namespace crossvoice::app {

// `crossvoice migrate`: brings the database to this build's schema without starting the server (an operator runs
// it before rolling out a new version to several instances). Prints the version it found and the one it left;
// exit 0, or 1 with the reason.
int migrate(const Config& config);

}  // namespace crossvoice::app
