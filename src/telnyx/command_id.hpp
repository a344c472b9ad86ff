#pragma once

#include <string>

namespace crossvoice::telnyx {

// A random UUID v4 in lower-case 8-4-4-4-12 form, for a command whose caller gave no command_id. Telnyx
// silently drops a command that reuses an id on the same leg, so two different commands must never share
// one, across processes and restarts too: 122 random bits make that negligible where a counter would not.
// Thread-safe.
std::string generate_command_id();

}  // namespace crossvoice::telnyx
