// The flows in config/flows/ parse, pass core::ivr::validate with the real time-zone database, and follow
// the house rules for IVR design (docs/FLOWS.md).

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "core/ivr/flow_validator.hpp"
#include "flows/yaml_flow_parser.hpp"
#include "infra/date_time_zones.hpp"

namespace crossvoice::flows {
namespace {

namespace fs = std::filesystem;
using core::ivr::FlowIssue;
using core::ivr::IvrFlow;

std::string read_file(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

std::string dump(const std::vector<FlowIssue>& issues) {
    std::string out;
    for (const auto& issue : issues) out += to_string(issue) + "\n";
    return out;
}

struct Shipped {
    fs::path path;
    IvrFlow flow;
};

class ShippedFlowsTest : public ::testing::Test {
  protected:
    static void SetUpTestSuite() {
        flows_ = new std::vector<Shipped>();
        for (const auto& entry : fs::directory_iterator(CROSSVOICE_FLOWS_DIR)) {
            if (entry.path().extension() != ".yaml") continue;
            std::vector<FlowIssue> issues;
            const std::string source = "config/flows/" + entry.path().filename().string();
            auto flow = YamlFlowParser{}.parse(read_file(entry.path()), source, issues);
            if (!flow) {
                ADD_FAILURE() << dump(issues);
                continue;
            }
            flows_->push_back({entry.path(), std::move(flow).value()});
        }
        std::sort(flows_->begin(), flows_->end(),
                  [](const Shipped& a, const Shipped& b) { return a.flow.name < b.flow.name; });
    }
    static void TearDownTestSuite() {
        delete flows_;
        flows_ = nullptr;
    }

    static const IvrFlow* find(std::string_view name) {
        for (const auto& shipped : *flows_) {
            if (shipped.flow.name == name) return &shipped.flow;
        }
        return nullptr;
    }

    static std::vector<Shipped>* flows_;
};

std::vector<Shipped>* ShippedFlowsTest::flows_ = nullptr;

TEST_F(ShippedFlowsTest, TheSevenFlowsAreThereNamedAfterTheirFiles) {
    std::vector<std::string> names;
    for (const auto& shipped : *flows_) {
        names.push_back(shipped.flow.name);
        EXPECT_EQ(shipped.path.stem().string(), shipped.flow.name);
    }
    EXPECT_EQ(names, (std::vector<std::string>{"construction", "healthcare", "insurance", "joromi-main", "real-estate",
                                               "retail", "tetrix-main"}));
}

TEST_F(ShippedFlowsTest, EveryFlowValidates) {
    const infra::DateTimeZones zones;
    for (const auto& shipped : *flows_) {
        SCOPED_TRACE(shipped.flow.name);
        core::ivr::FlowContext context;
        context.flow_exists = [&](std::string_view name) {
            const IvrFlow* other = find(name);
            return other != nullptr && other->platform == shipped.flow.platform;
        };
        context.zone_exists = [&](std::string_view zone) { return zones.exists(zone); };
        const auto issues = core::ivr::validate(shipped.flow, context);
        EXPECT_TRUE(issues.empty()) << dump(issues);
    }
}

TEST_F(ShippedFlowsTest, CalledNumbersAndPlatforms) {
    const std::map<std::string, std::pair<core::Platform, std::string>> expected = {
        {"tetrix-main", {core::Platform::kTetrix, "+12025550100"}},
        {"joromi-main", {core::Platform::kJoromi, "+12025550150"}},
        {"healthcare", {core::Platform::kTetrix, "+12025550111"}},
        {"insurance", {core::Platform::kTetrix, "+12025550112"}},
        {"retail", {core::Platform::kTetrix, "+12025550113"}},
        {"construction", {core::Platform::kTetrix, "+12025550114"}},
        {"real-estate", {core::Platform::kTetrix, "+12025550115"}},
    };
    std::map<std::string, std::string> owner;
    for (const auto& shipped : *flows_) {
        const auto& flow = shipped.flow;
        SCOPED_TRACE(flow.name);
        ASSERT_TRUE(expected.contains(flow.name));
        EXPECT_EQ(flow.platform, expected.at(flow.name).first);
        EXPECT_EQ(flow.numbers, std::vector<std::string>{expected.at(flow.name).second});
        for (const auto& number : flow.numbers) {
            const auto [it, inserted] = owner.emplace(number, flow.name);
            EXPECT_TRUE(inserted) << number << " is also called for " << it->second;
        }
    }
}

// What a caller can rely on in every shipped flow: a way to a person, speech as well as keys, a second
// chance, and a clear goodbye.
TEST_F(ShippedFlowsTest, FollowTheHouseRulesForMenus) {
    for (const auto& shipped : *flows_) {
        for (const auto& node : shipped.flow.nodes) {
            SCOPED_TRACE(shipped.flow.name + " / " + node.id);
            if (const auto* menu = std::get_if<core::ivr::MenuNode>(&node.body)) {
                EXPECT_TRUE(menu->keypad);
                EXPECT_TRUE(menu->speech);
                EXPECT_GE(menu->max_retries, 1);
                EXPECT_FALSE(menu->fallback.empty());
                const bool has_operator = std::any_of(menu->options.begin(), menu->options.end(),
                                                      [](const auto& option) { return option.digit == "0"; });
                EXPECT_TRUE(has_operator) << "no 'press 0 for an operator'";
                EXPECT_NE(menu->prompt.find("0"), std::string::npos) << "the prompt does not mention 0";
                for (const auto& option : menu->options) {
                    EXPECT_FALSE(option.phrases.empty()) << "option " << option.digit;
                    EXPECT_FALSE(option.synonyms.empty()) << "option " << option.digit;
                }
            }
            if (const auto* hangup = std::get_if<core::ivr::HangupNode>(&node.body)) {
                EXPECT_FALSE(hangup->text.empty()) << "hang-ups say goodbye";
            }
            if (const auto* hours = std::get_if<core::ivr::HoursNode>(&node.body)) {
                EXPECT_EQ(hours->time_zone, "America/New_York");
                // Every business closes on these; each flow adds the others its trade observes.
                for (const char* day :
                     {"2026-01-01", "2026-11-26", "2026-12-25", "2027-01-01", "2027-11-25", "2027-12-25"}) {
                    const bool listed =
                        std::find(hours->holidays.begin(), hours->holidays.end(), day) != hours->holidays.end();
                    EXPECT_TRUE(listed) << "holiday " << day << " is missing";
                }
            }
        }
    }
}

}  // namespace
}  // namespace crossvoice::flows
