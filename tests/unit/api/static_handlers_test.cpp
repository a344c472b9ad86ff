#include "api/static_handlers.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "http/error_response.hpp"
#include "support/temp_dir.hpp"

namespace crossvoice::api {
namespace {

namespace fs = std::filesystem;

void write(const fs::path& path, std::string_view content) {
    fs::create_directories(path.parent_path());
    std::ofstream(path, std::ios::binary) << content;
}

std::string header(const http::Response& response, std::string_view name) {
    for (const auto& [key, value] : response.headers) {
        if (key == name) return value;
    }
    return "<absent>";
}

class StaticRoutesTest : public ::testing::Test {
  protected:
    void SetUp() override {
        site_ = std::make_shared<http::StaticSite>(dir_.path() / "web", std::chrono::milliseconds(0));
        add_static_routes(router_, site_);
    }

    void build() {
        write(root() / "console/index.html", "<!doctype html><title>console</title>");
        write(root() / "console/assets/main-ABC123.js", "app()");
        write(root() / "console/assets/main-ABC123.js.gz", "GZ");
        write(root() / "widget.js", "widget()");
        write(root() / "demo/tetrix.html", "<!doctype html><title>TETRIX</title>");
        write(dir_.path() / "secret.txt", "outside");
    }

    fs::path root() const { return dir_.path() / "web"; }

    // The response as a client would see it: handler errors rendered by the one mapping.
    http::Response get(std::string path, http::Headers headers = {}) {
        http::Request request;
        request.method = http::Method::kGet;
        request.target = path;
        request.path = path;
        request.headers = std::move(headers);
        const auto match = router_.match(http::Method::kGet, path);
        if (!match.route) return http::render_error(core::Error::not_found("route", path));
        http::RequestContext context{request, "req-1", match.params, std::nullopt, {}};
        auto result = match.route->handler(context);
        return result ? std::move(*result) : http::render_error(result.error());
    }

    testing::TempDir dir_;
    http::Router router_;
    std::shared_ptr<http::StaticSite> site_;
};

TEST_F(StaticRoutesTest, UnbuiltFrontEndAnswers503NamingTheFix) {
    const auto response = get("/console/");
    EXPECT_EQ(response.status, 503);
    EXPECT_NE(response.body.find("make web"), std::string::npos) << response.body;
    EXPECT_EQ(get("/widget.js").status, 503);
    EXPECT_EQ(get("/demo/tetrix").status, 503);
}

TEST_F(StaticRoutesTest, ConsoleIsASinglePageAppWithImmutableAssets) {
    build();
    auto response = get("/console/");
    EXPECT_EQ(response.status, 200);
    EXPECT_EQ(response.body, "<!doctype html><title>console</title>");
    EXPECT_EQ(header(response, "Cache-Control"), "no-cache");
    EXPECT_NE(header(response, "Content-Security-Policy"), "<absent>");

    for (const auto* page : {"/console/sessions", "/console/sessions/ses_01ABC", "/console/a/b/c/d/e"}) {
        response = get(page);
        EXPECT_EQ(response.status, 200) << page;
        EXPECT_EQ(response.body, "<!doctype html><title>console</title>") << page;
    }

    response = get("/console/assets/main-ABC123.js", {{"accept-encoding", "gzip"}});
    EXPECT_EQ(response.status, 200);
    EXPECT_EQ(response.body, "GZ");
    EXPECT_EQ(header(response, "Content-Encoding"), "gzip");
    EXPECT_EQ(header(response, "Cache-Control"), "public, max-age=31536000, immutable");
    EXPECT_EQ(response.content_type, "text/javascript; charset=utf-8");

    EXPECT_EQ(get("/console/assets/main-OLD.js").status, 404);  // a missing asset is not the app
    EXPECT_EQ(get("/console/favicon.ico").status, 404);
    response = get("/console");
    EXPECT_EQ(response.status, 308);
    EXPECT_EQ(header(response, "Location"), "/console/");
}

TEST_F(StaticRoutesTest, RevalidationAnswers304) {
    build();
    const auto first = get("/console/sessions");
    const auto again = get("/console/sessions", {{"if-none-match", header(first, "ETag")}});
    EXPECT_EQ(again.status, 304);
    EXPECT_TRUE(again.body.empty());
}

TEST_F(StaticRoutesTest, TraversalIsRefusedAndNeverReadsOutside) {
    build();
    for (const auto* path : {"/console/%2e%2e/secret.txt", "/console/assets/%2E%2E/%2e%2e/secret.txt", "/console/a%00b",
                             "/console/..%5csecret.txt", "/console/.env", "/demo/%2e%2e", "/demo/..%2fsecret.txt"}) {
        const auto response = get(path);
        EXPECT_TRUE(response.status == 400 || response.status == 404) << path << " " << response.status;
        EXPECT_EQ(response.body.find("outside"), std::string::npos) << path;
    }
    // ".." as a whole segment never reaches the handler's file lookup either.
    const auto response = get("/console/../secret.txt");
    EXPECT_EQ(response.body.find("outside"), std::string::npos);
}

TEST_F(StaticRoutesTest, WidgetIsEmbeddableAndDemoPagesAreHtml) {
    build();
    auto response = get("/widget.js");
    EXPECT_EQ(response.status, 200);
    EXPECT_EQ(response.body, "widget()");
    EXPECT_EQ(header(response, "Access-Control-Allow-Origin"), "*");
    EXPECT_EQ(header(response, "Cache-Control"), "public, max-age=300");

    response = get("/demo/tetrix");
    EXPECT_EQ(response.status, 200);
    EXPECT_EQ(response.content_type, "text/html; charset=utf-8");
    EXPECT_NE(header(response, "Content-Security-Policy").find("script-src 'self'"), std::string::npos);
    response = get("/demo/joromi");
    EXPECT_EQ(response.status, 404);
    EXPECT_NE(response.body.find("demo/joromi.html"), std::string::npos) << response.body;
}

}  // namespace
}  // namespace crossvoice::api
