#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "core/clock.hpp"
#include "core/platform.hpp"

namespace crossvoice::core {

// One row per mutating request or administrative change.
struct AuditEntry {
    std::int64_t id = 0;  // assigned by the store, increasing
    TimePoint time{};
    std::optional<Platform> platform;  // absent when the caller could not be identified
    std::string key_id;                // API key id, or "cli" for the command line
    std::string action;                // e.g. "session.create"
    std::string target;                // e.g. "session:ses_01J…"
    std::string request_id;
    std::string outcome;  // "success" or the error code, e.g. "validation_failed"
    int status = 0;       // HTTP status, 0 for the command line
};

}  // namespace crossvoice::core
