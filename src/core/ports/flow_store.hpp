#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/clock.hpp"
#include "core/platform.hpp"
#include "core/result.hpp"

namespace crossvoice::core::ports {

// A flow document as a platform keeps it: the source text (YAML) is the truth; the parsed model is rebuilt
// from it. `origin` says who wrote it last: "file" (config/flows, seeded at start) or "api" (PUT).
struct StoredFlow {
    Platform platform = Platform::kTetrix;
    std::string name;
    std::string source_text;
    std::string origin = "api";
    std::vector<std::string> numbers;  // the called numbers routed to it, E.164
    int version = 0;                   // 1 on first put, +1 on every put
    TimePoint updated_at{};
};

// Where a called number goes.
struct NumberRoute {
    std::string number;
    Platform platform = Platform::kTetrix;
    std::string flow;
};

// IVR flows per platform, and the called-number routing table derived from them. A number routes to at most one
// flow across all platforms.
class FlowStore {
  public:
    virtual ~FlowStore() = default;
    // Sorted by name.
    virtual Result<std::vector<StoredFlow>> list(Platform platform) = 0;
    virtual Result<std::vector<StoredFlow>> list_all() = 0;
    virtual Result<std::optional<StoredFlow>> find(Platform platform, const std::string& name) = 0;
    // Inserts or replaces the flow and its numbers in one transaction; returns it as stored (version, time).
    // kConflict when one of its numbers already routes to another flow (details: "number", "platform", "flow"),
    // and nothing changes.
    virtual Result<StoredFlow> put(const StoredFlow& flow, TimePoint at) = 0;
    // kNotFound when there is no such flow. Its numbers stop routing.
    virtual Status remove(Platform platform, const std::string& name) = 0;
    virtual Result<std::optional<NumberRoute>> route_for(const std::string& number) = 0;
};

}  // namespace crossvoice::core::ports
