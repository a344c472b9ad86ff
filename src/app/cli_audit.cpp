#include "app/cli_audit.hpp"

#include <unistd.h>

#include "observability/logging.hpp"

namespace crossvoice::app {

void audit_cli_change(Runtime& runtime, core::Platform platform, std::string action, std::string target,
                      std::string outcome) {
    core::AuditEntry entry;
    entry.platform = platform;
    entry.key_id = "cli";
    entry.action = std::move(action);
    entry.target = std::move(target);
    entry.request_id = "cli-" + std::to_string(getpid());
    entry.outcome = std::move(outcome);
    if (auto recorded = runtime.audit().record(std::move(entry)); !recorded) {
        observability::logger("app")->error("audit row not written: {}", recorded.error().message);
    }
}

}  // namespace crossvoice::app
