#pragma once

#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/clock.hpp"
#include "core/ivr/flow.hpp"
#include "core/ivr/flow_validator.hpp"
#include "core/ports/flow_parser.hpp"
#include "core/ports/flow_store.hpp"
#include "core/ports/time_zones.hpp"
#include "core/result.hpp"

namespace crossvoice::services {

// A flow document read from disk (config/flows/*.yaml).
struct FlowFile {
    std::string path;
    std::string text;
};

struct CatalogFlow {
    core::ports::StoredFlow stored;
    std::shared_ptr<const core::ivr::IvrFlow> flow;
};

// Every problem of a set of flow documents at once, each located ("file:line: message"). Redirects may name
// any flow of the same platform in the set.
std::vector<core::ivr::FlowIssue> check_flow_files(const std::vector<FlowFile>& files,
                                                   const core::ports::FlowParser& parser,
                                                   const core::ports::TimeZones& zones);

// The platforms' IVR flows: validated on the way in (files at start, the flows API later), stored as their
// source text, and handed to the IVR use-case parsed. Parsed flows are cached by version, so a callback costs
// one indexed read, not a YAML parse, and an edit made through another instance is seen on the next call.
class FlowCatalog {
  public:
    FlowCatalog(core::ports::FlowStore& store, const core::ports::FlowParser& parser,
                const core::ports::TimeZones& zones, const core::Clock& clock)
        : store_(store), parser_(parser), zones_(zones), clock_(clock) {}

    // Start-up: refuses (kValidation listing every issue) when any file is unsound, so a broken flow never
    // answers a call. Sound files are stored with origin "file"; a flow last written through the API is left
    // alone. Returns how many flows were added or updated.
    core::Result<int> load_files(const std::vector<FlowFile>& files);

    core::Result<std::vector<core::ports::StoredFlow>> list(core::Platform platform);
    core::Result<CatalogFlow> get(core::Platform platform, const std::string& name);
    // Creates or replaces a flow from its document. kValidation (details "issues") when the document is
    // unsound, names another flow or another platform; kConflict when a number already routes elsewhere.
    core::Result<CatalogFlow> put(core::Platform platform, const std::string& name, const std::string& text);
    // kConflict while another flow of the platform redirects to it.
    core::Status remove(core::Platform platform, const std::string& name);
    core::Result<std::optional<core::ports::NumberRoute>> route_for(const std::string& number);

    // The parsed flow, current as stored. kNotFound when it does not exist.
    core::Result<std::shared_ptr<const core::ivr::IvrFlow>> flow(core::Platform platform, const std::string& name);

  private:
    core::Result<std::shared_ptr<const core::ivr::IvrFlow>> parsed(const core::ports::StoredFlow& stored);

    core::ports::FlowStore& store_;
    const core::ports::FlowParser& parser_;
    const core::ports::TimeZones& zones_;
    const core::Clock& clock_;

    struct Cached {
        int version = 0;
        std::shared_ptr<const core::ivr::IvrFlow> flow;
    };
    std::mutex mutex_;
    std::map<std::pair<core::Platform, std::string>, Cached> cache_;
};

// The error a set of issues becomes: the first in the message, all of them in details "issues" (one per line).
core::Error flow_issues_error(const std::vector<core::ivr::FlowIssue>& issues);

}  // namespace crossvoice::services
