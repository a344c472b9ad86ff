#pragma once

#include <functional>
#include <memory>
#include <ostream>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "core/ports/rate_limiter.hpp"
#include "core/ports/replay_guard.hpp"
#include "support/fake_clock.hpp"

namespace crossvoice::contract {

// The state several instances must share: rate-limit counts and once-only marks. Embedded: the memory limiter and
// the SQLite marks of one machine; Redis: both in Redis (REDIS_URL).
class SharedStateBackend {
  public:
    virtual ~SharedStateBackend() = default;
    virtual core::ports::RateLimiter& rate_limiter() = 0;
    virtual core::ports::ReplayGuard& replay_guard() = 0;
    // The clock the limiter reads; tests move it.
    testing::FakeClock& clock() { return clock_; }
    // A key no other test (in this or a concurrent test process sharing the server) uses.
    virtual std::string key(const std::string& name) = 0;

  private:
    testing::FakeClock clock_;
};

struct SharedStateFactory {
    std::string name;
    std::function<std::unique_ptr<SharedStateBackend>()> make;  // nullptr: skipped (GTEST_SKIP with the reason)
};

std::vector<SharedStateFactory> shared_state_backends();

inline std::string shared_state_name(const ::testing::TestParamInfo<SharedStateFactory>& info) {
    return info.param.name;
}
inline void PrintTo(const SharedStateFactory& factory, std::ostream* out) { *out << factory.name; }

class SharedStateContractTest : public ::testing::TestWithParam<SharedStateFactory> {
  protected:
    void SetUp() override;
    void TearDown() override { backend_.reset(); }
    SharedStateBackend& backend() { return *backend_; }

  private:
    std::unique_ptr<SharedStateBackend> backend_;
};

}  // namespace crossvoice::contract
