#pragma once

#include <functional>
#include <memory>
#include <ostream>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "core/ports/api_key_store.hpp"
#include "core/ports/assistant_store.hpp"
#include "core/ports/audit_store.hpp"
#include "core/ports/call_store.hpp"
#include "core/ports/flow_store.hpp"
#include "core/ports/ivr_call_store.hpp"
#include "core/ports/job_queue.hpp"
#include "core/ports/knowledge_store.hpp"
#include "core/ports/live_event_log.hpp"
#include "core/ports/message_store.hpp"
#include "core/ports/replay_guard.hpp"
#include "core/ports/session_store.hpp"
#include "core/ports/transcript_store.hpp"

namespace crossvoice::contract {

// One fresh, fully migrated, empty database and the store adapters on top of it. The contract suites only ever talk
// to the ports, so the same test bodies run against every adapter.
class StoreBackend {
  public:
    virtual ~StoreBackend() = default;
    virtual core::ports::SessionStore& sessions() = 0;
    virtual core::ports::ApiKeyStore& api_keys() = 0;
    virtual core::ports::AuditStore& audit() = 0;
    virtual core::ports::CallStore& calls() = 0;
    virtual core::ports::JobQueue& jobs() = 0;
    virtual core::ports::FlowStore& flows() = 0;
    virtual core::ports::IvrCallStore& ivr_calls() = 0;
    virtual core::ports::TranscriptStore& transcripts() = 0;
    virtual core::ports::TimelineStore& timeline() = 0;
    virtual core::ports::KnowledgeStore& knowledge() = 0;
    virtual core::ports::AssistantStore& assistant() = 0;
    virtual core::ports::MessageStore& messages() = 0;
    virtual core::ports::LiveEventLog& live_events() = 0;
    virtual core::ports::ReplayGuard& replay_guard() = 0;
};

// Builds a backend; throws when it cannot (gtest reports the exception as a failure of the test).
struct BackendFactory {
    std::string name;  // a gtest name part: letters and digits only
    std::function<std::unique_ptr<StoreBackend>()> make;
    // Why this backend cannot run here ("" when it can): the test is then skipped with that reason. A backend
    // whose server the run was promised (CI=true) never says so: its make() throws and the test fails instead.
    std::function<std::string()> unavailable;
};

// Every adapter the contract suites run against: SQLite, and PostgreSQL on CROSSVOICE_TEST_POSTGRES_URL (a fresh
// database per test). A new adapter is added here and nowhere else.
std::vector<BackendFactory> store_backends();

inline std::string backend_name(const ::testing::TestParamInfo<BackendFactory>& info) { return info.param.name; }

// gtest prints parameters in failure messages; without this it would dump the struct's bytes.
inline void PrintTo(const BackendFactory& factory, std::ostream* out) { *out << factory.name; }

// Fixture base: a fresh backend per test.
class StoreContractTest : public ::testing::TestWithParam<BackendFactory> {
  protected:
    void SetUp() override {
        if (const std::string reason = GetParam().unavailable(); !reason.empty()) GTEST_SKIP() << reason;
        backend_ = GetParam().make();
    }
    void TearDown() override { backend_.reset(); }
    StoreBackend& backend() { return *backend_; }

  private:
    std::unique_ptr<StoreBackend> backend_;
};

}  // namespace crossvoice::contract
