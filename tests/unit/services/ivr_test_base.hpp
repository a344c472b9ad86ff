#pragma once

#include <gtest/gtest.h>

#include <memory>

#include "flows/yaml_flow_parser.hpp"
#include "infra/date_time_zones.hpp"
#include "infra/sodium_crypto.hpp"
#include "services/call_event_service.hpp"
#include "services/flow_catalog.hpp"
#include "services/id_generator.hpp"
#include "services/job_runner.hpp"
#include "services/session_service.hpp"
#include "services/voice_metrics.hpp"
#include "storage/sqlite/sqlite_call_store.hpp"
#include "storage/sqlite/sqlite_flow_store.hpp"
#include "storage/sqlite/sqlite_ivr_call_store.hpp"
#include "storage/sqlite/sqlite_job_queue.hpp"
#include "storage/sqlite/sqlite_session_store.hpp"
#include "support/fake_clock.hpp"
#include "support/test_database.hpp"
#include "telnyx/texml_markup.hpp"

namespace crossvoice::services {

// Signature checks that pass or fail as the test says; deliveries are never read as Call Control events here.
class SwitchableWebhooks final : public core::ports::CarrierWebhooks {
  public:
    bool valid = true;
    core::Result<core::CallEvent> read(const core::ports::SignedDelivery&) const override {
        return core::Error::unauthorized("unused");
    }
    core::Status verify(const core::ports::SignedDelivery&) const override {
        if (!valid) return core::Error::unauthorized("signature does not verify");
        return {};
    }
};

// What both IVR use-cases run on in their unit tests: a migrated SQLite database with the real stores, the
// YAML flow parser, the OS time zones, the TeXML markup, a fixed clock and the flow catalog.
class IvrTestBase : public ::testing::Test {
  protected:
    testing::TempDir dir_;
    std::unique_ptr<storage::SqliteDatabase> db_ = testing::open_test_database(dir_);
    storage::SqliteSessionStore session_store_{*db_};
    storage::SqliteCallStore calls_{*db_};
    storage::SqliteJobQueue queue_{*db_};
    storage::SqliteFlowStore flow_store_{*db_};
    storage::SqliteIvrCallStore ivr_calls_{*db_};
    infra::SodiumCrypto crypto_;
    infra::DateTimeZones zones_;
    flows::YamlFlowParser parser_;
    telnyx::TexmlMarkup markup_;
    testing::FakeClock clock_;
    IdGenerator ids_{clock_, crypto_};
    SessionService sessions_{session_store_, clock_, ids_};
    JobRunner jobs_{queue_, clock_, ids_, crypto_};
    VoiceMetrics metrics_;
    SwitchableWebhooks webhooks_;
    CallEventService events_{webhooks_, calls_, jobs_, clock_, metrics_};
    FlowCatalog catalog_{flow_store_, parser_, zones_, clock_};
};

}  // namespace crossvoice::services
