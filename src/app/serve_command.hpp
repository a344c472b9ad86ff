#pragma once

#include "app/config.hpp"

namespace crossvoice::app {

// `crossvoice serve`: opens the runtime, creates development keys on first start, serves until a
// signal. Returns the process exit code.
int serve(const Config& config);

}  // namespace crossvoice::app
