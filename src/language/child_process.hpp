#pragma once

#include <chrono>
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.hpp"

namespace crossvoice::language {

struct ChildOutput {
    int exit_code = 0;  // 128 + signal number when the child was killed by a signal
    std::string out;
    std::string err;  // the last kMaxChildStderrBytes bytes only
};

inline constexpr std::size_t kMaxChildStderrBytes = 4096;

struct ChildLimits {
    std::chrono::milliseconds timeout{30'000};  // spawn to exit
    std::size_t max_output_bytes = 16 * 1024 * 1024;
};

// Runs `argv[0]` (looked up on PATH) with `argv` directly, no shell, so nothing in the arguments or in `input` is
// ever interpreted. `input` is written to its stdin while stdout and stderr are read, all at once (poll), so a
// child that writes a lot before reading everything cannot deadlock with us. The child runs in its own process
// group, and that whole group is killed when the time runs out or the output grows past its limit: wrapper
// scripts (Apertium's is one) start pipelines of their own.
//
// Errors: kUnavailable when the program cannot be started (details "program", "reason"), kTimeout,
// kPayloadTooLarge past max_output_bytes, kInternal when pipes or processes cannot be made. A non-zero exit
// status is not an error here: the caller decides what it means. Thread-safe.
core::Result<ChildOutput> run_child(const std::vector<std::string>& argv, std::string_view input,
                                    const ChildLimits& limits);

}  // namespace crossvoice::language
