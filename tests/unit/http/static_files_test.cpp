#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "http/static_path.hpp"
#include "http/static_response.hpp"
#include "http/static_site.hpp"
#include "support/temp_dir.hpp"

namespace crossvoice::http {
namespace {

namespace fs = std::filesystem;

void write(const fs::path& path, std::string_view content) {
    fs::create_directories(path.parent_path());
    std::ofstream(path, std::ios::binary) << content;
}

std::string header(const Response& response, std::string_view name) {
    for (const auto& [key, value] : response.headers) {
        if (key == name) return value;
    }
    return "<absent>";
}

TEST(StaticPath, AcceptsPlainAndEncodedNames) {
    EXPECT_EQ(safe_static_path(""), "");
    EXPECT_EQ(safe_static_path("assets/main-3F2A.js"), "assets/main-3F2A.js");
    EXPECT_EQ(safe_static_path("sessions/ses_01%20x"), "sessions/ses_01 x");
    EXPECT_EQ(safe_static_path("a..b/c.d"), "a..b/c.d");  // dots inside a name are fine
}

TEST(StaticPath, RefusesEverythingThatCouldLeaveTheFolder) {
    for (const auto* path : {"..",
                             "../secret",
                             "assets/../../etc/passwd",
                             "%2e%2e/x",
                             "%2E%2E%2fetc",
                             ".",
                             "./a",
                             "a/./b",
                             "a//b",
                             "a/",
                             "/a",
                             ".env",
                             "assets/.hidden",
                             "a%00b",
                             "a%0ab",
                             "a\\..\\b",
                             "a%5c..",
                             "%252e%252e/x",
                             "a%",
                             "a%zz",
                             "a%2"}) {
        EXPECT_FALSE(safe_static_path(path).has_value()) << path;
    }
    EXPECT_FALSE(safe_static_path(std::string(kMaxStaticPath + 1, 'a')).has_value());
    EXPECT_FALSE(safe_static_path(std::string_view("a\0b", 3)).has_value());
}

TEST(StaticHeaders, AcceptEncodingAllowsGzipByNameOrStar) {
    EXPECT_TRUE(accepts_gzip("gzip, deflate, br"));
    EXPECT_TRUE(accepts_gzip("br;q=1.0, GZIP;q=0.8"));
    EXPECT_TRUE(accepts_gzip("*"));
    EXPECT_TRUE(accepts_gzip("x-gzip"));
    EXPECT_FALSE(accepts_gzip(std::nullopt));
    EXPECT_FALSE(accepts_gzip(""));
    EXPECT_FALSE(accepts_gzip("identity"));
    EXPECT_FALSE(accepts_gzip("gzip;q=0"));
    EXPECT_FALSE(accepts_gzip("gzip;q=0.000, *"));  // named gzip wins over the wildcard
    EXPECT_FALSE(accepts_gzip("br, *;q=0"));
    EXPECT_FALSE(accepts_gzip("gzip;q=x"));
}

TEST(StaticHeaders, IfNoneMatchComparesWeakly) {
    EXPECT_TRUE(etag_matches("\"abc\"", "\"abc\""));
    EXPECT_TRUE(etag_matches("W/\"abc\"", "\"abc\""));
    EXPECT_TRUE(etag_matches("\"x\", \"abc\"", "\"abc\""));
    EXPECT_TRUE(etag_matches(" * ", "\"abc\""));
    EXPECT_FALSE(etag_matches("\"abcd\"", "\"abc\""));
    EXPECT_FALSE(etag_matches("", "\"abc\""));
}

TEST(StaticHeaders, ContentTypesByExtension) {
    EXPECT_EQ(content_type_for("console/index.html"), "text/html; charset=utf-8");
    EXPECT_EQ(content_type_for("console/assets/main-1.JS"), "text/javascript; charset=utf-8");
    EXPECT_EQ(content_type_for("a.css"), "text/css; charset=utf-8");
    EXPECT_EQ(content_type_for("a.svg"), "image/svg+xml");
    EXPECT_EQ(content_type_for("noextension"), "application/octet-stream");
    EXPECT_EQ(content_type_for("dir.js/file"), "application/octet-stream");
}

class StaticSiteTest : public ::testing::Test {
  protected:
    testing::TempDir dir_;
    fs::path root() const { return dir_.path() / "web"; }
};

TEST_F(StaticSiteTest, AMissingFolderIsNoSite) {
    StaticSite site(root(), std::chrono::milliseconds(0));
    EXPECT_EQ(site.current(), nullptr);
}

TEST_F(StaticSiteTest, PublishesRegularFilesWithTheirGzipSiblings) {
    write(root() / "console/index.html", "<!doctype html>");
    write(root() / "console/assets/main-ABC.js", "console.log(1)");
    write(root() / "console/assets/main-ABC.js.gz", "GZ");
    write(root() / "lonely.txt.gz", "GZ");
    write(root() / ".secret", "no");
    write(dir_.path() / "outside.txt", "outside");
    fs::create_symlink(dir_.path() / "outside.txt", root() / "link.txt");

    StaticSite site(root(), std::chrono::milliseconds(0));
    const auto snapshot = site.current();
    ASSERT_NE(snapshot, nullptr);
    EXPECT_EQ(snapshot->files.size(), 2u);
    const auto* script = snapshot->find("console/assets/main-ABC.js");
    ASSERT_NE(script, nullptr);
    EXPECT_EQ(script->content, "console.log(1)");
    ASSERT_TRUE(script->gzip.has_value());
    EXPECT_EQ(*script->gzip, "GZ");
    EXPECT_EQ(script->etag, content_etag("console.log(1)"));
    EXPECT_NE(script->gzip_etag, script->etag);
    EXPECT_EQ(script->content_type, "text/javascript; charset=utf-8");
    EXPECT_EQ(snapshot->find("link.txt"), nullptr);
    EXPECT_EQ(snapshot->find(".secret"), nullptr);
    EXPECT_EQ(snapshot->find("lonely.txt"), nullptr);
    EXPECT_EQ(snapshot->find("lonely.txt.gz"), nullptr);
}

TEST_F(StaticSiteTest, ReadsTheFolderAgainWhenAFileChanges) {
    write(root() / "widget.js", "one");
    StaticSite site(root(), std::chrono::milliseconds(0));
    const auto first = site.current();
    EXPECT_EQ(site.current(), first);  // unchanged: the same snapshot
    write(root() / "widget.js", "two!");
    const auto second = site.current();
    ASSERT_NE(second, nullptr);
    EXPECT_EQ(second->find("widget.js")->content, "two!");
    fs::remove_all(root());
    EXPECT_EQ(site.current(), nullptr);
}

TEST_F(StaticSiteTest, ChecksAtMostOncePerInterval) {
    write(root() / "widget.js", "one");
    StaticSite site(root(), std::chrono::hours(1));
    const auto first = site.current();
    write(root() / "widget.js", "changed");
    EXPECT_EQ(site.current(), first);
}

StaticFile html_file() {
    StaticFile file;
    file.content = "<!doctype html><title>x</title>";
    file.etag = content_etag(file.content);
    file.gzip = "compressed";
    file.gzip_etag = "\"gz\"";
    file.content_type = "text/html; charset=utf-8";
    return file;
}

TEST(StaticResponse, HtmlCarriesThePolicyAndRevalidates) {
    Request request;
    const auto response = serve_static(html_file(), request, {});
    EXPECT_EQ(response.status, 200);
    EXPECT_EQ(response.body, html_file().content);
    EXPECT_EQ(response.content_type, "text/html; charset=utf-8");
    EXPECT_EQ(header(response, "Cache-Control"), "no-cache");
    EXPECT_EQ(header(response, "Content-Security-Policy"), kHtmlContentSecurityPolicy);
    EXPECT_NE(header(response, "Content-Security-Policy").find("script-src 'self';"), std::string::npos);
    EXPECT_NE(header(response, "Content-Security-Policy").find("frame-ancestors 'none'"), std::string::npos);
    EXPECT_EQ(header(response, "X-Content-Type-Options"), "nosniff");
    EXPECT_EQ(header(response, "Referrer-Policy"), "no-referrer");
    EXPECT_EQ(header(response, "Vary"), "Accept-Encoding");
    EXPECT_EQ(header(response, "Content-Encoding"), "<absent>");
    EXPECT_EQ(header(response, "ETag"), html_file().etag);
    EXPECT_EQ(header(response, "Access-Control-Allow-Origin"), "<absent>");
}

TEST(StaticResponse, GzipWhenAcceptedAndNotModifiedOnItsOwnTag) {
    Request request;
    request.headers = {{"accept-encoding", "gzip, br"}};
    auto response = serve_static(html_file(), request, {CachePolicy::kImmutable, true});
    EXPECT_EQ(response.status, 200);
    EXPECT_EQ(response.body, "compressed");
    EXPECT_EQ(header(response, "Content-Encoding"), "gzip");
    EXPECT_EQ(header(response, "ETag"), "\"gz\"");
    EXPECT_EQ(header(response, "Cache-Control"), "public, max-age=31536000, immutable");
    EXPECT_EQ(header(response, "Access-Control-Allow-Origin"), "*");

    request.headers.emplace_back("if-none-match", "\"gz\"");
    response = serve_static(html_file(), request, {});
    EXPECT_EQ(response.status, 304);
    EXPECT_TRUE(response.body.empty());
    EXPECT_EQ(header(response, "ETag"), "\"gz\"");

    // The identity representation's tag does not validate the gzip one.
    request.headers = {{"accept-encoding", "gzip"}, {"if-none-match", html_file().etag}};
    EXPECT_EQ(serve_static(html_file(), request, {}).status, 200);
}

TEST(StaticResponse, ScriptsGetNoPolicyAndTheShortCache) {
    StaticFile file;
    file.content = "x";
    file.etag = content_etag("x");
    file.content_type = "text/javascript; charset=utf-8";
    Request request;
    request.headers = {{"accept-encoding", "gzip"}};
    const auto response = serve_static(file, request, {CachePolicy::kShort, true});
    EXPECT_EQ(response.body, "x");  // no .gz sibling: identity
    EXPECT_EQ(header(response, "Vary"), "<absent>");
    EXPECT_EQ(header(response, "Cache-Control"), "public, max-age=300");
    EXPECT_EQ(header(response, "Content-Security-Policy"), "<absent>");
    EXPECT_EQ(header(response, "X-Content-Type-Options"), "nosniff");
}

}  // namespace
}  // namespace crossvoice::http
