#include <gtest/gtest.h>

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <future>
#include <mutex>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>
#include <vector>

#include "http/pipeline.hpp"
#include "http/request_metrics.hpp"
#include "http/router.hpp"
#include "http/server.hpp"
#include "infra/curl_http_client.hpp"
#include "language/apertium_translator.hpp"
#include "language/libretranslate_translator.hpp"
#include "support/temp_dir.hpp"

namespace crossvoice::language {
namespace {

using core::ErrorCode;
using core::ports::LanguagePair;
using Json = nlohmann::json;
using Ms = std::chrono::milliseconds;

std::string detail(const core::Error& error, std::string_view key) {
    for (const auto& [name, value] : error.details) {
        if (name == key) return value;
    }
    return "<absent>";
}

bool has_pair(const std::vector<LanguagePair>& pairs, std::string_view source, std::string_view target) {
    for (const auto& pair : pairs) {
        if (pair.source == source && pair.target == target) return true;
    }
    return false;
}

bool contains(std::string_view text, std::string_view part) { return text.find(part) != std::string_view::npos; }

// An executable shell script standing in for the apertium program (which ignores its arguments).
std::string write_script(const std::filesystem::path& dir, const std::string& name, const std::string& body) {
    const auto path = dir / name;
    std::ofstream(path) << "#!/bin/sh\n" << body << "\n";
    std::filesystem::permissions(path, std::filesystem::perms::owner_all);
    return path.string();
}

// ---- Apertium ----

bool apertium_installed() {
    return std::filesystem::exists("/usr/bin/apertium") &&
           std::filesystem::exists("/usr/share/apertium/modes/eng-spa.mode") &&
           std::filesystem::exists("/usr/share/apertium/modes/spa-eng.mode");
}

TEST(ApertiumTranslatorTest, PairsAreThePlainInstalledModesInIso6391) {
    testing::TempDir modes;
    for (const char* name : {"eng-spa.mode", "spa-eng_US.mode", "cat-oci.mode", "eng-spa-tagger.mode", "xyz-eng.mode",
                             "README", "fra-cat.modes"}) {
        std::ofstream(modes.path() / name) << "cat\n";
    }
    ApertiumOptions options;
    options.modes_dir = modes.path().string();
    const ApertiumTranslator translator(options);
    const auto pairs = translator.pairs();
    ASSERT_EQ(pairs.size(), 3U);
    EXPECT_TRUE(has_pair(pairs, "ca", "oc"));
    EXPECT_TRUE(has_pair(pairs, "en", "es"));
    EXPECT_TRUE(has_pair(pairs, "xyz", "en")) << "codes without a two-letter form stay as they are";
    EXPECT_EQ(translator.name(), "apertium");
}

TEST(ApertiumTranslatorTest, AMissingModesDirectoryMeansNoPairs) {
    ApertiumOptions options;
    options.modes_dir = "/nonexistent/apertium/modes";
    EXPECT_TRUE(ApertiumTranslator(options).pairs().empty());
}

TEST(ApertiumTranslatorTest, TranslatesBothDirectionsConcurrentlyAndNeverRunsTheText) {
    if (!apertium_installed()) GTEST_SKIP() << "apertium and apertium-eng-spa are not installed";
    ApertiumTranslator translator;
    ASSERT_TRUE(has_pair(translator.pairs(), "en", "es"));
    ASSERT_TRUE(has_pair(translator.pairs(), "es", "en"));
    for (const auto& pair : translator.pairs()) EXPECT_EQ(pair.target.size(), 2U) << "variants like spa-eng_US";

    // Each run loads the pair's data for seconds, so both directions run at once; that is also the
    // thread-safety check.
    testing::TempDir scratch;
    const std::string marker = (scratch.path() / "pwned").string();
    const std::string english =
        "I want to pay my bill. $(touch " + marker + "); `touch " + marker + "` | > " + marker + " & ; \\ ' \" * # @";
    auto to_spanish = std::async(std::launch::async, [&] { return translator.translate(english, "en-US", "es"); });
    auto to_english =
        std::async(std::launch::async, [&] { return translator.translate("Quiero pagar mi factura", "spa", "EN"); });
    const auto spanish = to_spanish.get();
    const auto back = to_english.get();

    ASSERT_TRUE(spanish.ok()) << spanish.error().message;
    EXPECT_TRUE(contains(*spanish, "pagar")) << *spanish;
    EXPECT_TRUE(contains(*spanish, "factura")) << *spanish;
    EXPECT_TRUE(contains(*spanish, "$(")) << "shell syntax is text to translate: " << *spanish;
    EXPECT_TRUE(contains(*spanish, "`")) << *spanish;
    EXPECT_FALSE(std::filesystem::exists(marker)) << "the text was run by a shell";
    EXPECT_FALSE(spanish->starts_with(" ")) << "'" << *spanish << "'";
    EXPECT_FALSE(spanish->ends_with("\n"));

    ASSERT_TRUE(back.ok()) << back.error().message;
    EXPECT_EQ(*back, "I want to pay my bill");
}

TEST(ApertiumTranslatorTest, AnUninstalledPairIsAValidationErrorListingTheInstalledOnes) {
    testing::TempDir modes;
    std::ofstream(modes.path() / "eng-spa.mode") << "cat\n";
    std::ofstream(modes.path() / "spa-eng.mode") << "cat\n";
    ApertiumOptions options;
    options.modes_dir = modes.path().string();
    options.program = "/nonexistent/apertium";  // never reached
    ApertiumTranslator translator(options);
    const auto result = translator.translate("hello", "en", "fr-FR");
    ASSERT_FALSE(result.ok());
    EXPECT_EQ(result.error().code, ErrorCode::kValidation);
    EXPECT_EQ(result.error().message, "no Apertium pair for en→fr; installed: en→es, es→en");
    EXPECT_EQ(detail(result.error(), "supported"), "en→es, es→en");
    EXPECT_EQ(detail(result.error(), "target"), "fr");
}

TEST(ApertiumTranslatorTest, BlankTextComesBackWithoutRunningAnything) {
    ApertiumOptions options;
    options.program = "/nonexistent/apertium";
    ApertiumTranslator translator(options);
    ASSERT_TRUE(has_pair(translator.pairs(), "en", "es"));
    const auto result = translator.translate(" \n\t", "en", "es");
    ASSERT_TRUE(result.ok()) << result.error().message;
    EXPECT_EQ(*result, " \n\t");
}

TEST(ApertiumTranslatorTest, AMissingProgramIsUnavailable) {
    ApertiumOptions options;
    options.program = "crossvoice-no-such-apertium";
    ApertiumTranslator translator(options);
    ASSERT_TRUE(has_pair(translator.pairs(), "en", "es"));
    const auto result = translator.translate("hello", "en", "es");
    ASSERT_FALSE(result.ok());
    EXPECT_EQ(result.error().code, ErrorCode::kUnavailable);
    EXPECT_EQ(result.error().message, "apertium is not installed (apt-get install apertium apertium-eng-spa)");
}

TEST(ApertiumTranslatorTest, AHungProgramIsKilledWithItsWholeProcessGroupAtTheTimeout) {
    testing::TempDir dir;
    // A background process of the script holds a FIFO open: the FIFO reaches end-of-file only once that
    // process is dead, which only killing the whole process group (not just the script) achieves.
    const std::string fifo = (dir.path() / "held").string();
    ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
    const int reader = ::open(fifo.c_str(), O_RDONLY | O_NONBLOCK);
    ASSERT_GE(reader, 0);
    ApertiumOptions options;
    options.program =
        write_script(dir.path(), "hang", "( exec 3>'" + fifo + "'; printf r >&3; exec sleep 60 ) &\nexec sleep 60");
    options.timeout = Ms{1'000};
    ApertiumTranslator translator(options);
    const auto started = std::chrono::steady_clock::now();
    const auto result = translator.translate("hello", "en", "es");
    const auto took = std::chrono::steady_clock::now() - started;
    ASSERT_FALSE(result.ok());
    EXPECT_EQ(result.error().code, ErrorCode::kTimeout);
    EXPECT_GE(took, Ms{1'000});
    EXPECT_LT(took, std::chrono::seconds(10));

    std::string seen;
    bool closed = false;
    while (!closed) {
        pollfd watch{reader, POLLIN, 0};
        if (::poll(&watch, 1, 10'000) <= 0) break;  // still held open: the background process survived
        char byte = 0;
        const ssize_t got = ::read(reader, &byte, 1);
        if (got == 1) seen.push_back(byte);
        closed = got == 0;
    }
    ::close(reader);
    EXPECT_EQ(seen, "r") << "the background process was running";
    EXPECT_TRUE(closed) << "the background process outlived the timeout";
}

TEST(ApertiumTranslatorTest, AFailingRunIsAVendorErrorWithItsMessage) {
    testing::TempDir dir;
    ApertiumOptions options;
    options.program =
        write_script(dir.path(), "fail",
                     "cat >/dev/null\necho 'loading...' >&2\necho 'Error: eng-spa.automorf.bin is corrupt' >&2\n"
                     "exit 3");
    ApertiumTranslator translator(options);
    const auto result = translator.translate("hello", "en", "es");
    ASSERT_FALSE(result.ok());
    EXPECT_EQ(result.error().code, ErrorCode::kVendor);
    EXPECT_TRUE(contains(result.error().message, "Error: eng-spa.automorf.bin is corrupt")) << result.error().message;
    EXPECT_EQ(detail(result.error(), "exit_code"), "3");
    EXPECT_TRUE(contains(detail(result.error(), "stderr"), "loading..."));
}

TEST(ApertiumTranslatorTest, LargeTextsStreamThroughWithoutDeadlock) {
    testing::TempDir dir;
    ApertiumOptions options;
    options.program = write_script(dir.path(), "echo", "exec cat");  // writes back while we are still writing
    options.timeout = Ms{20'000};
    ApertiumTranslator translator(options);
    std::string text;
    while (text.size() < 3 * 1024 * 1024) text += "line " + std::to_string(text.size()) + " of a long transcript\n";
    text += "end";
    const auto result = translator.translate(text, "en", "es");
    ASSERT_TRUE(result.ok()) << result.error().message;
    EXPECT_EQ(result->size(), text.size());
    EXPECT_TRUE(*result == text) << "the text reaches the program byte for byte";
}

TEST(ApertiumTranslatorTest, ACrashedProgramIsAVendorErrorEvenIfItNeverReadItsInput) {
    testing::TempDir dir;
    ApertiumOptions options;
    options.program = write_script(dir.path(), "quit", "kill -9 $$");
    ApertiumTranslator translator(options);
    const auto result = translator.translate(std::string(1024 * 1024, 'a'), "en", "es");
    ASSERT_FALSE(result.ok());
    EXPECT_EQ(result.error().code, ErrorCode::kVendor);
    EXPECT_EQ(detail(result.error(), "exit_code"), "137");
}

TEST(ApertiumTranslatorTest, LeftoverMarksBeforeWordsAreRemoved) {
    testing::TempDir dir;
    ApertiumOptions options;
    options.program =
        write_script(dir.path(), "marks", "cat >/dev/null\nprintf ' Quiero #pagar @mi *factura, 2 * 3\\n'");
    ApertiumTranslator translator(options);
    const auto result = translator.translate("I want to pay my bill", "en", "es");
    ASSERT_TRUE(result.ok()) << result.error().message;
    EXPECT_EQ(*result, "Quiero pagar mi factura, 2 * 3");
}

// ---- LibreTranslate ----

// A loopback port with nothing listening: bound but never listen()ed, so a connect is refused at once.
class ClosedPort {
  public:
    ClosedPort() : fd_(::socket(AF_INET, SOCK_STREAM, 0)) {
        sockaddr_in address{};
        address.sin_family = AF_INET;
        address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        socklen_t length = sizeof address;
        if (fd_ < 0 || ::bind(fd_, reinterpret_cast<sockaddr*>(&address), length) != 0 ||
            ::getsockname(fd_, reinterpret_cast<sockaddr*>(&address), &length) != 0) {
            throw std::runtime_error("could not reserve a loopback port");
        }
        port_ = ntohs(address.sin_port);
    }
    ~ClosedPort() { ::close(fd_); }
    ClosedPort(const ClosedPort&) = delete;
    ClosedPort& operator=(const ClosedPort&) = delete;
    std::uint16_t port() const { return port_; }

  private:
    int fd_;
    std::uint16_t port_ = 0;
};

constexpr std::string_view kLanguages = R"([
    {"code": "en", "name": "English", "targets": ["en", "es", "de", "zh-Hans"]},
    {"code": "es", "name": "Spanish", "targets": ["en"]},
    {"code": "zh-Hans", "name": "Chinese", "targets": ["en"]}
])";

// A LibreTranslate server on the project's own HTTP server: /languages as above, /translate answering
// "<target>:<q>" and refusing what the tests set up to be refused.
class LibreTranslateTest : public ::testing::Test {
  protected:
    LibreTranslateTest() {
        router_.add({http::Method::kGet, "/languages", "", http::Access::kPublic, http::Execution::kWorker,
                     [this](http::RequestContext&) -> http::HandlerResult {
                         ++languages_hits_;
                         if (languages_down_) return http::Response::json(404, R"({"error":"Not Found"})");
                         return http::Response::json(200, std::string(kLanguages));
                     }});
        router_.add({http::Method::kPost, "/translate", "", http::Access::kPublic, http::Execution::kWorker,
                     [this](http::RequestContext& context) { return translate(context); }});
        options_.port = 0;
        options_.access_log = false;
        options_.worker_threads = 4;
        metrics_ = std::make_unique<http::RequestMetrics>(router_);
        server_ = std::make_unique<http::Server>(options_, router_, pipeline_, *metrics_);
        auto port = server_->listen();
        if (!port) throw std::runtime_error(port.error().message);
        base_url_ = "http://127.0.0.1:" + std::to_string(*port);
        runner_ = std::thread([this] { server_->run(false); });
    }

    ~LibreTranslateTest() override {
        release_promise_.set_value();
        server_->shutdown();
        runner_.join();
    }

    http::HandlerResult translate(http::RequestContext& context) {
        const Json body = Json::parse(context.request.body, nullptr, false);
        {
            const std::lock_guard lock(mutex_);
            last_body_ = body;
            last_content_type_ = std::string(context.request.header("content-type").value_or(""));
        }
        if (!body.is_object()) return http::Response::json(400, R"({"error":"Invalid request"})");
        const std::string q = body.value("q", "");
        const std::string target = body.value("target", "");
        if (q == "slow") {
            release_.wait_for(std::chrono::seconds(20));
            return http::Response::json(200, R"({"translatedText":"late"})");
        }
        if (body.contains("api_key") && body["api_key"] != "right-key") {
            return http::Response::json(403, R"({"error":"Invalid API key"})");
        }
        if (target == "de") return http::Response::json(400, R"({"error":"de is not supported"})");
        if (q == "garbage") return http::Response::json(200, "<html>not json</html>");
        if (q == "fail") return http::Response::json(500, R"({"error":"translation model crashed"})");
        Json reply{{"translatedText", target + ":" + q}};
        if (body.value("source", "") == "auto") reply["detectedLanguage"] = {{"confidence", 90.0}, {"language", "en"}};
        return http::Response::json(200, reply.dump());
    }

    LibreTranslateTranslator translator(std::optional<std::string> api_key = std::nullopt, Ms timeout = Ms{5'000}) {
        LibreTranslateOptions options;
        options.base_url = base_url_ + "/";
        options.api_key = std::move(api_key);
        options.timeout = timeout;
        return LibreTranslateTranslator(options, http_);
    }

    Json last_body() {
        const std::lock_guard lock(mutex_);
        return last_body_;
    }

    http::Router router_;
    std::unique_ptr<http::RequestMetrics> metrics_;
    http::Pipeline pipeline_{
        [](std::string_view) -> core::Result<core::Principal> { return core::Error::unauthorized("no"); },
        [](core::AuditEntry) {}};
    http::ServerOptions options_;
    std::unique_ptr<http::Server> server_;
    std::thread runner_;
    std::string base_url_;
    std::promise<void> release_promise_;
    std::shared_future<void> release_ = release_promise_.get_future().share();

    std::atomic<int> languages_hits_{0};
    std::atomic<bool> languages_down_{false};
    std::mutex mutex_;
    Json last_body_;
    std::string last_content_type_;
    infra::CurlHttpClient http_;
};

TEST_F(LibreTranslateTest, PairsComeFromLanguagesInIso6391AndAreCached) {
    auto libre = translator();
    EXPECT_EQ(libre.name(), "libretranslate");
    const auto pairs = libre.pairs();
    EXPECT_EQ(pairs.size(), 5U);
    EXPECT_TRUE(has_pair(pairs, "en", "es"));
    EXPECT_TRUE(has_pair(pairs, "en", "de"));
    EXPECT_TRUE(has_pair(pairs, "en", "zh"));
    EXPECT_TRUE(has_pair(pairs, "es", "en"));
    EXPECT_TRUE(has_pair(pairs, "zh", "en"));
    EXPECT_FALSE(has_pair(pairs, "en", "en"));
    EXPECT_EQ(libre.pairs().size(), 5U);
    ASSERT_TRUE(libre.translate("hi", "en", "es").ok());
    EXPECT_EQ(languages_hits_.load(), 1);
}

TEST_F(LibreTranslateTest, AFailedLanguagesFetchIsNotCached) {
    languages_down_ = true;
    auto libre = translator();
    EXPECT_TRUE(libre.pairs().empty());
    const auto refused = libre.translate("hi", "en", "es");
    ASSERT_FALSE(refused.ok());
    EXPECT_EQ(refused.error().code, ErrorCode::kVendor);
    languages_down_ = false;
    EXPECT_EQ(libre.pairs().size(), 5U);
    EXPECT_EQ(languages_hits_.load(), 3);
}

TEST_F(LibreTranslateTest, TranslatePostsTheDocumentedBody) {
    auto libre = translator("right-key");
    const auto result = libre.translate("I want to pay my bill \"now\" é", "en-US", "ES");
    ASSERT_TRUE(result.ok()) << result.error().message;
    EXPECT_EQ(*result, "es:I want to pay my bill \"now\" é");
    const Json body = last_body();
    EXPECT_EQ(body["q"], "I want to pay my bill \"now\" é");
    EXPECT_EQ(body["source"], "en");
    EXPECT_EQ(body["target"], "es");
    EXPECT_EQ(body["format"], "text");
    EXPECT_EQ(body["api_key"], "right-key");
    const std::lock_guard lock(mutex_);
    EXPECT_EQ(last_content_type_, "application/json");
}

TEST_F(LibreTranslateTest, NoApiKeyIsSentWhenNoneIsConfigured) {
    auto libre = translator();
    ASSERT_TRUE(libre.translate("hola", "es", "en").ok());
    EXPECT_FALSE(last_body().contains("api_key"));
}

TEST_F(LibreTranslateTest, TheServersOwnCodeIsSentForARegionalisedLanguage) {
    auto libre = translator();
    const auto result = libre.translate("你好", "zh", "en");
    ASSERT_TRUE(result.ok()) << result.error().message;
    EXPECT_EQ(last_body()["source"], "zh-Hans");
    EXPECT_EQ(libre.translate("hello", "en", "zh-CN").value(), "zh-Hans:hello");
}

TEST_F(LibreTranslateTest, AutoDetectedSourceIsAccepted) {
    auto libre = translator();
    const auto result = libre.translate("hello", "auto", "es");
    ASSERT_TRUE(result.ok()) << result.error().message;
    EXPECT_EQ(*result, "es:hello");
    EXPECT_EQ(last_body()["source"], "auto");
}

TEST_F(LibreTranslateTest, AnUnknownPairIsAValidationErrorWithoutATranslateCall) {
    auto libre = translator();
    const auto result = libre.translate("hola", "es", "fr");
    ASSERT_FALSE(result.ok());
    EXPECT_EQ(result.error().code, ErrorCode::kValidation);
    EXPECT_EQ(result.error().message, "no LibreTranslate pair for es→fr; es translates to: en");
    EXPECT_TRUE(contains(detail(result.error(), "supported"), "en→es")) << detail(result.error(), "supported");
    EXPECT_TRUE(last_body().is_null()) << "nothing was posted";
}

TEST_F(LibreTranslateTest, TheServerRefusingALanguageIsAValidationError) {
    auto libre = translator();
    const auto result = libre.translate("hello", "en", "de");
    ASSERT_FALSE(result.ok());
    EXPECT_EQ(result.error().code, ErrorCode::kValidation);
    EXPECT_TRUE(contains(result.error().message, "en translates to: de, es, zh")) << result.error().message;
    EXPECT_EQ(detail(result.error(), "vendor_message"), "de is not supported");
}

TEST_F(LibreTranslateTest, ErrorBodiesBecomeVendorErrorsWithTheServersMessage) {
    auto wrong_key = translator("wrong-key");
    const auto refused = wrong_key.translate("hello", "en", "es");
    ASSERT_FALSE(refused.ok());
    EXPECT_EQ(refused.error().code, ErrorCode::kVendor);
    EXPECT_TRUE(contains(refused.error().message, "Invalid API key")) << refused.error().message;
    EXPECT_EQ(detail(refused.error(), "vendor_status"), "403");

    auto libre = translator();
    const auto garbage = libre.translate("garbage", "en", "es");
    ASSERT_FALSE(garbage.ok());
    EXPECT_EQ(garbage.error().code, ErrorCode::kVendor);
    EXPECT_TRUE(contains(garbage.error().message, "translatedText"));
}

TEST_F(LibreTranslateTest, BlankTextIsReturnedWithoutATranslateCall) {
    auto libre = translator();
    EXPECT_EQ(libre.translate("  ", "en", "es").value(), "  ");
    EXPECT_TRUE(last_body().is_null());
}

TEST_F(LibreTranslateTest, ASlowServerTimesOut) {
    auto libre = translator(std::nullopt, Ms{400});
    ASSERT_FALSE(libre.pairs().empty());
    const auto result = libre.translate("slow", "en", "es");
    ASSERT_FALSE(result.ok());
    EXPECT_EQ(result.error().code, ErrorCode::kTimeout);
}

TEST(LibreTranslateUnreachableTest, NoServerMeansNoPairsAndUnavailable) {
    const ClosedPort closed;
    infra::CurlHttpClientOptions client_options;
    client_options.sleep = [](Ms) {};  // retries without waiting
    infra::CurlHttpClient http(client_options);
    LibreTranslateOptions options;
    options.base_url = "http://127.0.0.1:" + std::to_string(closed.port());
    LibreTranslateTranslator libre(options, http);
    EXPECT_TRUE(libre.pairs().empty());
    const auto result = libre.translate("hello", "en", "es");
    ASSERT_FALSE(result.ok());
    EXPECT_EQ(result.error().code, ErrorCode::kUnavailable);
    EXPECT_EQ(detail(result.error(), "engine"), "libretranslate");
}

}  // namespace
}  // namespace crossvoice::language
