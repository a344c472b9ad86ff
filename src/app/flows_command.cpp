#include "app/flows_command.hpp"

#include <fmt/format.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include "flows/yaml_flow_parser.hpp"
#include "infra/date_time_zones.hpp"
#include "services/flow_catalog.hpp"

namespace crossvoice::app {

namespace {

std::vector<std::string> files_in(const std::string& dir) {
    std::vector<std::string> out;
    std::error_code ec;
    for (const auto& entry : std::filesystem::directory_iterator(dir, ec)) {
        const auto extension = entry.path().extension();
        if (entry.is_regular_file() && (extension == ".yaml" || extension == ".yml")) out.push_back(entry.path());
    }
    std::sort(out.begin(), out.end());
    return out;
}

}  // namespace

int flows_check(const Config& config, const std::vector<std::string>& files) {
    std::vector<std::string> paths = files;
    if (paths.empty()) {
        if (config.flows_dir.empty() || !std::filesystem::is_directory(config.flows_dir)) {
            fmt::print(stderr, "crossvoice: no files given and CROSSVOICE_FLOWS_DIR ('{}') is not a directory\n",
                       config.flows_dir);
            return 2;
        }
        paths = files_in(config.flows_dir);
    }
    std::vector<services::FlowFile> loaded;
    for (const auto& path : paths) {
        std::ifstream in(path, std::ios::binary);
        if (!in) {
            fmt::print(stderr, "crossvoice: cannot read {}\n", path);
            return 2;
        }
        std::ostringstream text;
        text << in.rdbuf();
        loaded.push_back({path, text.str()});
    }
    const flows::YamlFlowParser parser;
    const infra::DateTimeZones zones;
    const auto issues = services::check_flow_files(loaded, parser, zones);
    std::set<std::string> broken;
    for (const auto& issue : issues) {
        fmt::print("{}\n", core::ivr::to_string(issue));
        broken.insert(issue.source);
    }
    if (issues.empty()) {
        fmt::print("{} flow file{} OK\n", loaded.size(), loaded.size() == 1 ? "" : "s");
        return 0;
    }
    fmt::print("{} problem{} in {} of {} file{}\n", issues.size(), issues.size() == 1 ? "" : "s", broken.size(),
               loaded.size(), loaded.size() == 1 ? "" : "s");
    return 1;
}

}  // namespace crossvoice::app
