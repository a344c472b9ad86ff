#pragma once

#include <optional>
#include <string>

#include "core/clock.hpp"
#include "core/ivr/engine.hpp"
#include "core/platform.hpp"
#include "core/result.hpp"

namespace crossvoice::core::ports {

// Where one call stands in its IVR flow, persisted between carrier callbacks.
struct IvrCallRecord {
    std::string call_id;
    Platform platform = Platform::kTetrix;
    ivr::IvrState state;
    // The markup of the last reply (TeXML), kept so that a repeated callback gets the same answer, and so that a
    // Call Control call can execute it one instruction at a time.
    std::string reply;
    int cursor = 0;   // Call Control: how many instructions of `reply` have been sent; kExecutedByCarrier for TeXML
    int version = 0;  // optimistic concurrency: 1 once created, +1 per update
    TimePoint updated_at{};
};

// The cursor of a TeXML call's record: the carrier executes the markup itself.
inline constexpr int kExecutedByCarrier = -1;

class IvrCallStore {
  public:
    virtual ~IvrCallStore() = default;
    // kConflict when the call already has a record. The stored version is 1.
    virtual Status create(const IvrCallRecord& record) = 0;
    virtual Result<std::optional<IvrCallRecord>> find(const std::string& call_id) = 0;
    // Replaces the record when its stored version is still `record.version`, and returns the new version.
    // kConflict when another update came first (the caller reloads and re-decides); kNotFound when absent.
    virtual Result<int> update(const IvrCallRecord& record) = 0;
};

}  // namespace crossvoice::core::ports
