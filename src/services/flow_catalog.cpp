#include "services/flow_catalog.hpp"

#include <fmt/format.h>

#include <set>

namespace crossvoice::services {

namespace {

using core::ivr::FlowIssue;
using core::ivr::IvrFlow;

bool redirects_to(const IvrFlow& flow, std::string_view target) {
    for (const auto& node : flow.nodes) {
        if (const auto* redirect = std::get_if<core::ivr::RedirectNode>(&node.body)) {
            if (redirect->flow == target) return true;
        }
    }
    return false;
}

core::ivr::FlowContext context_for(const core::ports::TimeZones& zones,
                                   std::function<bool(std::string_view)> flow_exists) {
    core::ivr::FlowContext context;
    context.flow_exists = std::move(flow_exists);
    context.zone_exists = [&zones](std::string_view zone) { return zones.exists(zone); };
    return context;
}

}  // namespace

core::Error flow_issues_error(const std::vector<FlowIssue>& issues) {
    std::string all;
    for (const auto& issue : issues) {
        if (!all.empty()) all.push_back('\n');
        all += to_string(issue);
    }
    const std::string first = issues.empty() ? std::string("the flow is not valid") : to_string(issues.front());
    const std::string message =
        issues.size() > 1 ? fmt::format("{} (and {} more problems)", first, issues.size() - 1) : first;
    return core::Error::validation("flow", message).with("issues", std::move(all));
}

std::vector<FlowIssue> check_flow_files(const std::vector<FlowFile>& files, const core::ports::FlowParser& parser,
                                        const core::ports::TimeZones& zones) {
    std::vector<FlowIssue> issues;
    std::vector<IvrFlow> flows;
    for (const auto& file : files) {
        std::vector<FlowIssue> found;
        auto flow = parser.parse(file.text, file.path, found);
        issues.insert(issues.end(), found.begin(), found.end());
        if (flow && found.empty()) flows.push_back(std::move(flow).value());
    }
    std::map<std::pair<core::Platform, std::string>, std::string> names;  // -> defining file
    std::map<std::string, std::string> numbers;                           // -> flow that routes it
    for (const auto& flow : flows) {
        auto [it, added] = names.emplace(std::pair{flow.platform, flow.name}, flow.source);
        if (!added) {
            issues.push_back({flow.source, flow.line,
                              fmt::format("flow '{}' of {} is also defined in {}", flow.name,
                                          core::to_string(flow.platform), it->second)});
        }
        for (const auto& number : flow.numbers) {
            auto [owner, fresh] = numbers.emplace(number, flow.name);
            if (!fresh && owner->second != flow.name) {
                issues.push_back({flow.source, flow.line,
                                  fmt::format("number {} already routes to flow '{}'", number, owner->second)});
            }
        }
    }
    for (const auto& flow : flows) {
        const auto platform = flow.platform;
        auto found = core::ivr::validate(flow, context_for(zones, [&](std::string_view name) {
                                             return names.contains({platform, std::string(name)});
                                         }));
        issues.insert(issues.end(), found.begin(), found.end());
    }
    return issues;
}

core::Result<int> FlowCatalog::load_files(const std::vector<FlowFile>& files) {
    if (auto issues = check_flow_files(files, parser_, zones_); !issues.empty()) return flow_issues_error(issues);
    int changed = 0;
    for (const auto& file : files) {
        std::vector<FlowIssue> ignored;
        auto flow = parser_.parse(file.text, file.path, ignored);
        if (!flow) return std::move(flow).error();
        auto existing = store_.find(flow->platform, flow->name);
        if (!existing) return std::move(existing).error();
        if (*existing) {
            // An edit made through the API wins over the shipped file until the flow is deleted there.
            if ((*existing)->origin != "file" || (*existing)->source_text == file.text) continue;
        }
        core::ports::StoredFlow stored;
        stored.platform = flow->platform;
        stored.name = flow->name;
        stored.source_text = file.text;
        stored.origin = "file";
        stored.numbers = flow->numbers;
        if (auto put = store_.put(stored, clock_.now()); !put) {
            return core::Error(put.error()).with("file", file.path);
        }
        ++changed;
    }
    return changed;
}

core::Result<std::vector<core::ports::StoredFlow>> FlowCatalog::list(core::Platform platform) {
    return store_.list(platform);
}

core::Result<std::shared_ptr<const IvrFlow>> FlowCatalog::parsed(const core::ports::StoredFlow& stored) {
    const auto key = std::pair{stored.platform, stored.name};
    {
        std::lock_guard lock(mutex_);
        if (auto it = cache_.find(key); it != cache_.end() && it->second.version == stored.version) {
            return it->second.flow;
        }
    }
    std::vector<FlowIssue> issues;
    auto flow = parser_.parse(stored.source_text, fmt::format("flow '{}'", stored.name), issues);
    if (!flow) return core::Error::internal(fmt::format("stored flow '{}' no longer parses", stored.name));
    auto shared = std::make_shared<const IvrFlow>(std::move(flow).value());
    std::lock_guard lock(mutex_);
    cache_[key] = Cached{stored.version, shared};
    return shared;
}

core::Result<std::shared_ptr<const IvrFlow>> FlowCatalog::flow(core::Platform platform, const std::string& name) {
    auto stored = store_.find(platform, name);
    if (!stored) return std::move(stored).error();
    if (!*stored) return core::Error::not_found("flow", name);
    return parsed(**stored);
}

core::Result<CatalogFlow> FlowCatalog::get(core::Platform platform, const std::string& name) {
    auto stored = store_.find(platform, name);
    if (!stored) return std::move(stored).error();
    if (!*stored) return core::Error::not_found("flow", name);
    auto flow = parsed(**stored);
    if (!flow) return std::move(flow).error();
    return CatalogFlow{std::move(**stored), std::move(flow).value()};
}

core::Result<CatalogFlow> FlowCatalog::put(core::Platform platform, const std::string& name, const std::string& text) {
    if (!core::ivr::is_valid_flow_name(name)) {
        return core::Error::validation("name", "a flow name is 1-64 characters of a-z, 0-9, '-' or '_'");
    }
    std::vector<FlowIssue> issues;
    auto flow = parser_.parse(text, "api", issues);
    if (!flow || !issues.empty()) {
        if (issues.empty()) return std::move(flow).error();
        return flow_issues_error(issues);
    }
    if (flow->name != name) {
        return core::Error::validation(
            "name", fmt::format("the document defines flow '{}' but the path names '{}'", flow->name, name));
    }
    if (flow->platform != platform) {
        return core::Error::validation("platform",
                                       fmt::format("the document is for platform {} but this key belongs to {}",
                                                   core::to_string(flow->platform), core::to_string(platform)));
    }
    issues = core::ivr::validate(*flow, context_for(zones_, [&](std::string_view other) {
        auto found = store_.find(platform, std::string(other));
        return found && found->has_value();
    }));
    if (!issues.empty()) return flow_issues_error(issues);

    core::ports::StoredFlow stored;
    stored.platform = platform;
    stored.name = name;
    stored.source_text = text;
    stored.origin = "api";
    stored.numbers = flow->numbers;
    auto saved = store_.put(stored, clock_.now());
    if (!saved) return std::move(saved).error();
    auto shared = std::make_shared<const IvrFlow>(std::move(flow).value());
    {
        std::lock_guard lock(mutex_);
        cache_[{platform, name}] = Cached{saved->version, shared};
    }
    return CatalogFlow{std::move(saved).value(), std::move(shared)};
}

core::Status FlowCatalog::remove(core::Platform platform, const std::string& name) {
    auto flows = store_.list(platform);
    if (!flows) return std::move(flows).error();
    for (const auto& other : *flows) {
        if (other.name == name) continue;
        auto parsed_other = parsed(other);
        if (parsed_other && redirects_to(**parsed_other, name)) {
            return core::Error::conflict(fmt::format("flow '{}' redirects to '{}'; change it first", other.name, name))
                .with("flow", other.name);
        }
    }
    if (auto removed = store_.remove(platform, name); !removed) return removed;
    std::lock_guard lock(mutex_);
    cache_.erase({platform, name});
    return {};
}

core::Result<std::optional<core::ports::NumberRoute>> FlowCatalog::route_for(const std::string& number) {
    return store_.route_for(number);
}

}  // namespace crossvoice::services
