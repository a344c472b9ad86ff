#include "app/kb_command.hpp"

#include <fmt/format.h>

#include <cstdio>

#include "app/cli_audit.hpp"
#include "app/runtime.hpp"

namespace crossvoice::app {

int kb_reindex(const Config& config) {
    // Opening the runtime stores the shipped documents and builds this process's index.
    auto runtime = Runtime::open(config);
    if (!runtime) {
        fmt::print(stderr, "crossvoice: {}\n", runtime.error().message);
        return 1;
    }
    auto& knowledge = (*runtime)->knowledge();
    auto stats = knowledge.reindex(true);
    if (!stats) {
        fmt::print(stderr, "crossvoice: {}\n", stats.error().message);
        return 1;
    }
    for (const auto platform : core::kAllPlatforms) {
        auto documents = knowledge.list(platform);
        if (!documents) {
            fmt::print(stderr, "crossvoice: {}\n", documents.error().message);
            return 1;
        }
        fmt::print("{}: {} documents\n", core::to_string(platform), documents->size());
        audit_cli_change(**runtime, platform, "knowledge.reindex", "knowledge", "success");
    }
    fmt::print("indexed {} documents, {} passages; running instances rebuild on their next question\n",
               stats->documents, stats->passages);
    return 0;
}

}  // namespace crossvoice::app
