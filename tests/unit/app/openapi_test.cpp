#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <set>

#include "api/openapi.hpp"
#include "app/http_app.hpp"
#include "app/runtime.hpp"
#include "support/temp_dir.hpp"

namespace crossvoice::app {
namespace {

std::string lower(std::string_view text) {
    std::string out(text);
    for (auto& ch : out) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
    return out;
}

// The OpenAPI document is written by hand; this keeps it and the router's table the same set of
// operations, with the same summaries and the same security (public routes declare `security: []`).
TEST(OpenApi, DocumentMatchesTheRouterTable) {
    testing::TempDir dir;
    Config config;
    config.data_dir = (dir.path() / "data").string();
    config.sqlite_path = (dir.path() / "data" / "db.sqlite").string();
    config.flows_dir = "";
    auto runtime = Runtime::open(config);
    ASSERT_TRUE(runtime.ok()) << runtime.error().message;
    auto app = build_http_app(**runtime);

    const auto doc = nlohmann::json::parse(embedded::openapi_document());
    ASSERT_EQ(doc["openapi"], "3.0.3");

    std::set<std::string> in_router;
    for (const auto& route : app->router.routes()) {
        // The built-in sandbox carrier speaks Telnyx's protocol, not ours: it is documented in the README.
        if (route.pattern.rfind("/sandbox/", 0) == 0) continue;
        // The built front end's files (console, widget, demo pages) are not API operations.
        if (route.pattern.rfind("/console", 0) == 0 || route.pattern.rfind("/widget.", 0) == 0 ||
            route.pattern.rfind("/demo/", 0) == 0) {
            continue;
        }
        const std::string key = lower(http::to_string(route.method)) + " " + route.pattern;
        in_router.insert(key);
        ASSERT_TRUE(doc["paths"].contains(route.pattern)) << "OpenAPI lacks path " << route.pattern;
        const auto& paths = doc["paths"][route.pattern];
        ASSERT_TRUE(paths.contains(lower(http::to_string(route.method)))) << "OpenAPI lacks " << key;
        const auto& operation = paths[lower(http::to_string(route.method))];
        EXPECT_EQ(operation["summary"], route.summary) << key;
        const bool documented_public = operation.contains("security") && operation["security"].empty();
        EXPECT_EQ(documented_public, route.access == http::Access::kPublic) << key;
    }
    std::set<std::string> in_document;
    for (const auto& [path, operations] : doc["paths"].items()) {
        for (const auto& [method, operation] : operations.items()) in_document.insert(method + " " + path);
    }
    EXPECT_EQ(in_document, in_router);
}

}  // namespace
}  // namespace crossvoice::app
