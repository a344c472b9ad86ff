#include "support/fake_stt_servers.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <condition_variable>
#include <cstdio>
#include <deque>
#include <functional>
#include <map>
#include <mutex>
#include <set>
#include <stdexcept>
#include <thread>
#include <variant>

#include "core/wav.hpp"
#include "http/pipeline.hpp"
#include "http/request_metrics.hpp"
#include "http/router.hpp"
#include "http/server.hpp"

namespace crossvoice::testing {
namespace {

using nlohmann::json;

constexpr std::size_t kLoggedBodyBytes = 64 * 1024;
constexpr double kUtteranceGap = 0.8;  // seconds of silence that end an utterance, as Deepgram's utt_split

std::vector<FakeWord> default_words() {
    return {
        {"Hello,", 0.10, 0.45, 0, 0, 0.99}, {"I", 0.50, 0.60, 0, 0, 0.98},     {"need", 0.62, 0.85, 0, 0, 0.97},
        {"help", 0.88, 1.10, 0, 0, 0.98},   {"with", 1.12, 1.30, 0, 0, 0.96},  {"my", 1.32, 1.45, 0, 0, 0.97},
        {"order.", 1.48, 1.90, 0, 0, 0.95}, {"Sure,", 2.40, 2.70, 1, 1, 0.99}, {"I", 2.75, 2.85, 1, 1, 0.98},
        {"can", 2.88, 3.05, 1, 1, 0.97},    {"help", 3.08, 3.30, 1, 1, 0.98},  {"with", 3.32, 3.50, 1, 1, 0.96},
        {"that.", 3.52, 3.90, 1, 1, 0.97},
    };
}

std::string lower(std::string_view text) {
    std::string out(text);
    for (char& ch : out) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
    return out;
}

std::string_view trim(std::string_view text) {
    while (!text.empty() && std::isspace(static_cast<unsigned char>(text.front()))) text.remove_prefix(1);
    while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back()))) text.remove_suffix(1);
    return text;
}

// "Hello," → "hello", as engines report the recognised word.
std::string bare(std::string_view punctuated) {
    const auto is_mark = [](char ch) {
        return std::ispunct(static_cast<unsigned char>(ch)) && ch != '\'' && ch != '@';
    };
    std::string_view word = punctuated;
    while (!word.empty() && is_mark(word.front())) word.remove_prefix(1);
    while (!word.empty() && is_mark(word.back())) word.remove_suffix(1);
    return lower(word);
}

// "Hello," → "Hello": OpenAI's word timestamps carry the word without punctuation but with its case.
std::string unpunctuated(std::string_view punctuated) {
    std::string_view word = punctuated;
    const auto is_mark = [](char ch) { return std::ispunct(static_cast<unsigned char>(ch)) && ch != '\''; };
    while (!word.empty() && is_mark(word.back())) word.remove_suffix(1);
    return std::string(word);
}

std::string fake_uuid(std::uint64_t number) {
    char text[40];
    std::snprintf(text, sizeof text, "00000000-0000-4000-8000-%012llx", static_cast<unsigned long long>(number));
    return text;
}

std::string media_type(const http::Request& request) {
    const std::string_view type = request.header("content-type").value_or("");
    return lower(trim(type.substr(0, type.find(';'))));
}

// What a WAV body says about itself; nullopt for anything else (the fake cannot decode other containers).
std::optional<core::PcmAudio> wav_of(const http::Request& request) {
    const std::string type = media_type(request);
    const bool says_wav = type == "audio/wav" || type == "audio/x-wav" || type == "audio/wave";
    if (!says_wav && !request.body.starts_with("RIFF")) return std::nullopt;
    return core::parse_wav(request.body);
}

bool says_wav(const http::Request& request) {
    const std::string type = media_type(request);
    return type == "audio/wav" || type == "audio/x-wav" || type == "audio/wave";
}

// The pieces every fake shares: one route on a loopback server, the request log, and scripted failures and
// delays. `answer` builds the real reply; `describe` adds engine-specific facts to the logged request.
class LoopbackEngine {
  public:
    using Answer = std::function<http::Response(const http::Request&)>;
    using Describe = std::function<void(const http::Request&, FakeSttRequest&)>;

    LoopbackEngine(std::string pattern, Answer answer, Describe describe)
        : answer_(std::move(answer)), describe_(std::move(describe)) {
        router_.add({http::Method::kPost, std::move(pattern), "", http::Access::kPublic, http::Execution::kWorker,
                     [this](http::RequestContext& context) -> http::HandlerResult { return handle(context.request); }});
        options_.port = 0;
        options_.access_log = false;
        options_.io_threads = 1;
        options_.worker_threads = 4;
        options_.max_body_bytes = 256 * 1024 * 1024;
        options_.drain_timeout = std::chrono::milliseconds(5'000);
        metrics_ = std::make_unique<http::RequestMetrics>(router_);
        server_ = std::make_unique<http::Server>(options_, router_, pipeline_, *metrics_);
        auto port = server_->listen();
        if (!port) throw std::runtime_error("fake STT server: " + port.error().message);
        port_ = *port;
        runner_ = std::thread([this] { server_->run(false); });
    }

    ~LoopbackEngine() {
        {
            const std::lock_guard lock(mutex_);
            stopping_ = true;
        }
        released_.notify_all();
        server_->shutdown();
        runner_.join();
    }

    LoopbackEngine(const LoopbackEngine&) = delete;
    LoopbackEngine& operator=(const LoopbackEngine&) = delete;

    std::string base_url() const { return "http://127.0.0.1:" + std::to_string(port_); }

    void fail_next(int status, std::string body) {
        const std::lock_guard lock(mutex_);
        failures_.emplace_back(status, std::move(body));
    }

    void delay_next(std::chrono::milliseconds delay) {
        const std::lock_guard lock(mutex_);
        delays_.push_back(delay);
    }

    std::vector<FakeSttRequest> requests() const {
        const std::lock_guard lock(mutex_);
        return log_;
    }

  private:
    http::Response handle(const http::Request& request) {
        FakeSttRequest entry;
        entry.method = std::string(http::to_string(request.method));
        entry.target = request.target;
        entry.headers = request.headers;
        entry.body_size = request.body.size();
        entry.body = request.body.substr(0, kLoggedBodyBytes);
        describe_(request, entry);

        std::optional<std::chrono::milliseconds> delay;
        std::optional<std::pair<int, std::string>> failure;
        {
            const std::lock_guard lock(mutex_);
            log_.push_back(std::move(entry));
            if (!delays_.empty()) {
                delay = delays_.front();
                delays_.pop_front();
            }
            if (!failures_.empty()) {
                failure = std::move(failures_.front());
                failures_.pop_front();
            }
        }
        if (delay) {
            // Held like a slow engine, but released at once when the fake shuts down.
            std::unique_lock lock(mutex_);
            released_.wait_for(lock, *delay, [this] { return stopping_; });
        }
        if (failure) return http::Response::json(failure->first, std::move(failure->second));
        return answer_(request);
    }

    Answer answer_;
    Describe describe_;
    http::Router router_;
    http::Pipeline pipeline_{
        [](std::string_view) -> core::Result<core::Principal> { return core::Error::unauthorized("no keys here"); },
        [](core::AuditEntry) {}};
    http::ServerOptions options_;
    std::unique_ptr<http::RequestMetrics> metrics_;
    std::unique_ptr<http::Server> server_;
    std::thread runner_;
    std::uint16_t port_ = 0;

    mutable std::mutex mutex_;
    std::condition_variable released_;
    bool stopping_ = false;
    std::deque<std::pair<int, std::string>> failures_;
    std::deque<std::chrono::milliseconds> delays_;
    std::vector<FakeSttRequest> log_;
};

// Words grouped the way engines split speech: a new group at a speaker change or a pause.
std::vector<std::vector<std::size_t>> group_words(const std::vector<FakeWord>& words, bool by_speaker) {
    std::vector<std::vector<std::size_t>> groups;
    for (std::size_t i = 0; i < words.size(); ++i) {
        const bool split = i == 0 || words[i].start - words[i - 1].end >= kUtteranceGap ||
                           (by_speaker && words[i].speaker != words[i - 1].speaker);
        if (split) groups.emplace_back();
        groups.back().push_back(i);
    }
    return groups;
}

double mean_confidence(const std::vector<FakeWord>& words) {
    if (words.empty()) return 0;
    double sum = 0;
    for (const auto& word : words) sum += word.confidence;
    return sum / static_cast<double>(words.size());
}

}  // namespace

std::optional<std::string> FakeSttRequest::header(const std::string& name) const {
    for (const auto& [key, value] : headers) {
        if (key == name) return value;
    }
    return std::nullopt;
}

// ---------------------------------------------------------------------------------------------------------
// Deepgram

namespace {

struct DeepgramScript {
    std::vector<FakeWord> words = default_words();
    std::string language = "en";
    double language_confidence = 0.98;
};

const std::set<std::string, std::less<>> kBooleanParams = {
    "detect_language", "punctuate",        "smart_format",    "diarize",   "utterances", "paragraphs", "multichannel",
    "numerals",        "profanity_filter", "detect_entities", "sentiment", "topics",     "intents",
};
const std::set<std::string, std::less<>> kOtherParams = {
    "model",  "language", "redact",   "summarize",   "keywords", "keyterm",
    "search", "replace",  "encoding", "sample_rate", "channels", "callback",
};

using Params = std::map<std::string, std::vector<std::string>, std::less<>>;

struct Refusal {
    int status;
    std::string message;
};

// The query as Deepgram checks it: every name known, every boolean a boolean.
std::variant<Params, Refusal> read_params(std::string_view query) {
    Params params;
    while (!query.empty()) {
        const auto amp = query.find('&');
        const std::string_view pair = query.substr(0, amp);
        query = amp == std::string_view::npos ? std::string_view{} : query.substr(amp + 1);
        if (pair.empty()) continue;
        const auto eq = pair.find('=');
        const auto name = http::percent_decode(pair.substr(0, eq), true);
        const auto value =
            http::percent_decode(eq == std::string_view::npos ? std::string_view{} : pair.substr(eq + 1), true);
        if (!name || !value) return Refusal{400, "Bad Request: malformed query string"};
        if (!kBooleanParams.contains(*name) && !kOtherParams.contains(*name)) {
            return Refusal{400, "Bad Request: unknown query parameter: " + *name};
        }
        if (kBooleanParams.contains(*name) && *value != "true" && *value != "false") {
            return Refusal{400, "Bad Request: " + *name + " must be true or false, not " + *value};
        }
        params[*name].push_back(*value);
    }
    return params;
}

bool flag(const Params& params, std::string_view name) {
    const auto it = params.find(name);
    return it != params.end() && !it->second.empty() && it->second.back() == "true";
}

std::optional<std::string> first(const Params& params, std::string_view name) {
    const auto it = params.find(name);
    if (it == params.end() || it->second.empty()) return std::nullopt;
    return it->second.front();
}

http::Response deepgram_error(int status, std::string_view code, std::string message, const std::string& request_id) {
    return http::Response::json(
        status, json{{"err_code", code}, {"err_msg", std::move(message)}, {"request_id", request_id}}.dump());
}

// Digit runs become numbers of a kind by their length, words with '@' e-mail addresses.
json find_entities(const std::vector<FakeWord>& words) {
    json entities = json::array();
    const auto is_digits = [](const std::string& text) {
        return !text.empty() && std::all_of(text.begin(), text.end(), [](char ch) {
            return std::isdigit(static_cast<unsigned char>(ch)) || ch == '-';
        });
    };
    for (std::size_t i = 0; i < words.size();) {
        const std::string word = bare(words[i].word);
        if (word.find('@') != std::string::npos) {
            entities.push_back({{"label", "EMAIL_ADDRESS"},
                                {"value", word},
                                {"confidence", 0.95},
                                {"start_word", i},
                                {"end_word", i}});
            ++i;
            continue;
        }
        if (!is_digits(word)) {
            ++i;
            continue;
        }
        std::size_t end = i;
        std::string value = word;
        std::size_t digits = 0;
        while (end + 1 < words.size() && is_digits(bare(words[end + 1].word))) value += " " + bare(words[++end].word);
        for (const char ch : value) digits += std::isdigit(static_cast<unsigned char>(ch)) ? 1 : 0;
        const char* label = digits >= 13 ? "CREDIT_CARD" : digits >= 7 ? "PHONE_NUMBER" : "CARDINAL";
        entities.push_back(
            {{"label", label}, {"value", value}, {"confidence", 0.9}, {"start_word", i}, {"end_word", end}});
        i = end + 1;
    }
    return entities;
}

std::pair<std::string, double> sentiment_of(const std::vector<FakeWord>& words) {
    static const std::set<std::string, std::less<>> kPositive = {"thank", "thanks", "great", "good",
                                                                 "happy", "sure",   "love"};
    static const std::set<std::string, std::less<>> kNegative = {"bad",      "angry",  "problem", "cancel",
                                                                 "terrible", "broken", "hate"};
    int score = 0;
    for (const auto& word : words) {
        const auto text = bare(word.word);
        score += kPositive.contains(text) ? 1 : kNegative.contains(text) ? -1 : 0;
    }
    if (score > 0) return {"positive", std::min(1.0, 0.4 + 0.1 * score)};
    if (score < 0) return {"negative", std::max(-1.0, -0.4 + 0.1 * score)};
    return {"neutral", 0.0};
}

json word_json(const FakeWord& word, bool punctuate, bool diarize) {
    json item{{"word", bare(word.word)}, {"start", word.start}, {"end", word.end}, {"confidence", word.confidence}};
    if (punctuate) item["punctuated_word"] = word.word;
    if (diarize) {
        item["speaker"] = word.speaker;
        item["speaker_confidence"] = 0.9;
    }
    return item;
}

http::Response answer_listen(const http::Request& request, const std::string& api_key, const DeepgramScript& script,
                             std::uint64_t number) {
    const std::string request_id = fake_uuid(number);
    if (request.header("authorization") != "Token " + api_key) {
        return deepgram_error(401, "INVALID_AUTH", "Invalid credentials.", request_id);
    }
    auto read = read_params(request.query);
    if (const auto* refusal = std::get_if<Refusal>(&read)) {
        return deepgram_error(refusal->status, "Bad Request", refusal->message, request_id);
    }
    const auto& params = std::get<Params>(read);
    const std::string model = first(params, "model").value_or("base");
    const bool nova3 = model == "nova-3" || model.starts_with("nova-3-");
    if (nova3 && params.contains("keywords")) {
        return deepgram_error(400, "Bad Request",
                              "Bad Request: Keywords are not supported for Nova-3 models. Use keyterm instead.",
                              request_id);
    }
    if (!nova3 && params.contains("keyterm")) {
        return deepgram_error(400, "Bad Request", "Bad Request: Keyterm is only supported for Nova-3 models.",
                              request_id);
    }
    if (auto summarize = first(params, "summarize"); summarize && *summarize != "v2" && *summarize != "false") {
        return deepgram_error(400, "Bad Request", "Bad Request: summarize must be v2", request_id);
    }

    // The body: JSON {"url"} or the audio itself.
    int audio_channels = 1;
    std::optional<double> audio_duration;
    const std::string type = media_type(request);
    if (request.body.empty()) {
        return deepgram_error(400, "Bad Request", "Bad Request: Request body is empty.", request_id);
    }
    if (type == "application/json") {
        const auto body = json::parse(request.body, nullptr, false);
        if (!body.is_object() || !body.contains("url") || !body["url"].is_string() ||
            !(body["url"].get<std::string>().starts_with("http://") ||
              body["url"].get<std::string>().starts_with("https://"))) {
            return deepgram_error(400, "Bad Request",
                                  "Bad Request: Invalid JSON body: expected {\"url\": \"https://…\"}.", request_id);
        }
    } else if (type.starts_with("audio/") || type == "application/octet-stream") {
        if (const auto wav = wav_of(request)) {
            audio_channels = std::max(1, wav->channels);
            audio_duration = static_cast<double>(wav->frames()) / std::max(1, wav->sample_rate);
        } else if (says_wav(request) || request.body.starts_with("RIFF")) {
            return deepgram_error(400, "Bad Request",
                                  "Bad Request: failed to process audio: corrupt or unsupported data", request_id);
        }
    } else {
        return deepgram_error(400, "Bad Request", "Bad Request: failed to process audio: corrupt or unsupported data",
                              request_id);
    }
    if (params.contains("callback")) return http::Response::json(200, json{{"request_id", request_id}}.dump());

    const bool multichannel = flag(params, "multichannel");
    const bool punctuate = flag(params, "punctuate") || flag(params, "smart_format");
    const bool diarize = flag(params, "diarize");
    const int channel_count = multichannel ? audio_channels : 1;

    std::vector<std::vector<FakeWord>> heard(static_cast<std::size_t>(channel_count));
    double last_end = 0;
    for (const auto& word : script.words) {
        if (multichannel && (word.channel < 0 || word.channel >= channel_count)) continue;
        heard[multichannel ? static_cast<std::size_t>(word.channel) : 0].push_back(word);
        last_end = std::max(last_end, word.end);
    }
    for (auto& words : heard) {
        std::stable_sort(words.begin(), words.end(),
                         [](const FakeWord& a, const FakeWord& b) { return a.start < b.start; });
    }

    json channels = json::array();
    json utterances = json::array();
    std::vector<FakeWord> everything;
    std::string all_text;
    for (std::size_t c = 0; c < heard.size(); ++c) {
        const auto& words = heard[c];
        json word_list = json::array();
        std::string text;
        for (const auto& word : words) {
            word_list.push_back(word_json(word, punctuate, diarize));
            if (!text.empty()) text += ' ';
            text += punctuate ? word.word : bare(word.word);
        }
        json alternative{{"transcript", text}, {"confidence", mean_confidence(words)}, {"words", std::move(word_list)}};
        if (flag(params, "detect_entities")) alternative["entities"] = find_entities(words);
        json channel{{"alternatives", json::array({std::move(alternative)})}};
        if (flag(params, "detect_language")) {
            channel["detected_language"] = script.language;
            channel["language_confidence"] = script.language_confidence;
        }
        channels.push_back(std::move(channel));

        for (const auto& group : group_words(words, diarize)) {
            std::vector<FakeWord> members;
            json member_list = json::array();
            std::string said;
            for (const std::size_t i : group) {
                members.push_back(words[i]);
                member_list.push_back(word_json(words[i], punctuate, diarize));
                if (!said.empty()) said += ' ';
                said += punctuate ? words[i].word : bare(words[i].word);
            }
            json utterance{{"start", members.front().start},
                           {"end", members.back().end},
                           {"confidence", mean_confidence(members)},
                           {"channel", c},
                           {"transcript", said},
                           {"words", std::move(member_list)},
                           {"id", fake_uuid(number * 1000 + utterances.size() + 1)}};
            if (diarize) utterance["speaker"] = members.front().speaker;
            utterances.push_back(std::move(utterance));
        }
        everything.insert(everything.end(), words.begin(), words.end());
        if (!all_text.empty() && !text.empty()) all_text += ' ';
        all_text += text;
    }
    std::stable_sort(utterances.begin(), utterances.end(),
                     [](const json& a, const json& b) { return a["start"].get<double>() < b["start"].get<double>(); });

    json results{{"channels", std::move(channels)}};
    if (flag(params, "utterances")) results["utterances"] = std::move(utterances);
    const json whole{
        {"text", all_text}, {"start_word", 0}, {"end_word", everything.empty() ? 0 : everything.size() - 1}};
    if (first(params, "summarize") == "v2") {
        results["summary"] = {{"result", "success"},
                              {"short", everything.empty() ? "" : "The speakers said: " + all_text}};
    }
    if (flag(params, "sentiment")) {
        const auto [label, score] = sentiment_of(everything);
        json segment = whole;
        segment["sentiment"] = label;
        segment["sentiment_score"] = score;
        results["sentiments"] = {{"segments", json::array({segment})},
                                 {"average", {{"sentiment", label}, {"sentiment_score", score}}}};
    }
    if (flag(params, "topics")) {
        json segment = whole;
        segment["topics"] = json::array({{{"topic", "Customer support"}, {"confidence_score", 0.81}}});
        results["topics"] = {{"segments", json::array({segment})}};
    }
    if (flag(params, "intents")) {
        json segment = whole;
        segment["intents"] = json::array({{{"intent", "Get help"}, {"confidence_score", 0.77}}});
        results["intents"] = {{"segments", json::array({segment})}};
    }

    const std::string model_uuid = fake_uuid(0xd6a1);
    json metadata{
        {"transaction_key", "deprecated"},
        {"request_id", request_id},
        {"sha256", "0000000000000000000000000000000000000000000000000000000000000000"},
        {"created", "2025-01-01T00:00:00.000Z"},
        {"duration", audio_duration.value_or(last_end)},
        {"channels", channel_count},
        {"models", json::array({model_uuid})},
        {"model_info", {{model_uuid, {{"name", "general-" + model}, {"version", "2025-01-01.0"}, {"arch", model}}}}}};
    return http::Response::json(200, json{{"metadata", std::move(metadata)}, {"results", std::move(results)}}.dump());
}

}  // namespace

struct FakeDeepgram::State {
    explicit State(std::string key)
        : api_key(std::move(key)),
          engine(
              "/v1/listen", [this](const http::Request& request) { return answer(request); },
              [](const http::Request&, FakeSttRequest&) {}) {}

    http::Response answer(const http::Request& request) {
        DeepgramScript copy;
        std::uint64_t number = 0;
        {
            const std::lock_guard lock(mutex);
            copy = script;
            number = ++answered;
        }
        return answer_listen(request, api_key, copy, number);
    }

    const std::string api_key;
    std::mutex mutex;
    DeepgramScript script;
    std::uint64_t answered = 0;
    LoopbackEngine engine;  // last: it serves requests that use the members above, so it goes first
};

FakeDeepgram::FakeDeepgram(std::string api_key) : state_(std::make_unique<State>(std::move(api_key))) {}
FakeDeepgram::~FakeDeepgram() = default;
std::string FakeDeepgram::base_url() const { return state_->engine.base_url(); }
const std::string& FakeDeepgram::api_key() const { return state_->api_key; }

void FakeDeepgram::set_words(std::vector<FakeWord> words) {
    const std::lock_guard lock(state_->mutex);
    state_->script.words = std::move(words);
}

void FakeDeepgram::set_detected_language(std::string language, double confidence) {
    const std::lock_guard lock(state_->mutex);
    state_->script.language = std::move(language);
    state_->script.language_confidence = confidence;
}

void FakeDeepgram::fail_next(int status, std::string body) { state_->engine.fail_next(status, std::move(body)); }
void FakeDeepgram::delay_next(std::chrono::milliseconds delay) { state_->engine.delay_next(delay); }
std::vector<FakeSttRequest> FakeDeepgram::requests() const { return state_->engine.requests(); }

// ---------------------------------------------------------------------------------------------------------
// OpenAI-compatible

namespace {

struct FormPart {
    std::string name;
    std::optional<std::string> filename;
    std::string content_type;
    std::string_view data;
};

std::optional<std::string> boundary_of(const http::Request& request) {
    const std::string_view type = request.header("content-type").value_or("");
    if (lower(trim(type.substr(0, type.find(';')))) != "multipart/form-data") return std::nullopt;
    const auto at = lower(type).find("boundary=");
    if (at == std::string::npos) return std::nullopt;
    std::string_view boundary = type.substr(at + 9);
    boundary = boundary.substr(0, boundary.find(';'));
    if (boundary.size() >= 2 && boundary.front() == '"' && boundary.back() == '"')
        boundary = boundary.substr(1, boundary.size() - 2);
    if (boundary.empty()) return std::nullopt;
    return std::string(boundary);
}

// A Content-Disposition parameter: name="…" or filename="…" (the separator before it keeps "name" from
// matching inside "filename").
std::optional<std::string> disposition_param(std::string_view header, std::string_view key) {
    for (const std::string_view separator : {"; ", ";"}) {
        const std::string needle = std::string(separator) + std::string(key) + "=\"";
        const auto at = header.find(needle);
        if (at == std::string_view::npos) continue;
        const auto start = at + needle.size();
        const auto end = header.find('"', start);
        if (end == std::string_view::npos) return std::nullopt;
        return std::string(header.substr(start, end - start));
    }
    return std::nullopt;
}

// Just enough of RFC 7578 to see what a client sent; nullopt for anything malformed.
std::optional<std::vector<FormPart>> parse_form(std::string_view body, const std::string& boundary) {
    const std::string delimiter = "--" + boundary;
    auto pos = body.find(delimiter);
    if (pos == std::string_view::npos) return std::nullopt;
    pos += delimiter.size();
    std::vector<FormPart> parts;
    while (true) {
        if (body.substr(pos, 2) == "--") return parts;
        if (body.substr(pos, 2) != "\r\n") return std::nullopt;
        pos += 2;
        const auto headers_end = body.find("\r\n\r\n", pos);
        if (headers_end == std::string_view::npos) return std::nullopt;
        const std::string_view headers = body.substr(pos, headers_end - pos);
        const auto data_start = headers_end + 4;
        const auto next = body.find("\r\n" + delimiter, data_start);
        if (next == std::string_view::npos) return std::nullopt;
        FormPart part;
        part.content_type = "text/plain";
        part.data = body.substr(data_start, next - data_start);
        std::size_t line_start = 0;
        while (line_start <= headers.size()) {
            const auto line_end = std::min(headers.find("\r\n", line_start), headers.size());
            const std::string_view line = headers.substr(line_start, line_end - line_start);
            const auto colon = line.find(':');
            if (colon != std::string_view::npos) {
                const std::string name = lower(trim(line.substr(0, colon)));
                const std::string_view value = trim(line.substr(colon + 1));
                if (name == "content-disposition") {
                    part.name = disposition_param(value, "name").value_or("");
                    part.filename = disposition_param(value, "filename");
                } else if (name == "content-type") {
                    part.content_type = std::string(value);
                }
            }
            line_start = line_end + 2;
        }
        if (part.name.empty()) return std::nullopt;
        parts.push_back(std::move(part));
        pos = next + 2 + delimiter.size();
    }
}

struct OpenAiScript {
    std::vector<FakeWord> words = default_words();
    std::string language = "english";
    bool plain = false;
};

http::Response openai_error(int status, std::string message, std::string_view type, std::optional<std::string> code) {
    json error{{"message", std::move(message)}, {"type", type}, {"param", nullptr}, {"code", nullptr}};
    if (code) error["code"] = *code;
    return http::Response::json(status, json{{"error", std::move(error)}}.dump());
}

http::Response answer_transcription(const http::Request& request, const std::optional<std::string>& api_key,
                                    const OpenAiScript& script) {
    if (api_key && request.header("authorization") != "Bearer " + *api_key) {
        return openai_error(401, "Incorrect API key provided.", "invalid_request_error", "invalid_api_key");
    }
    const auto boundary = boundary_of(request);
    if (!boundary)
        return openai_error(400, "Expected a multipart/form-data body.", "invalid_request_error", std::nullopt);
    const auto parts = parse_form(request.body, *boundary);
    if (!parts) return openai_error(400, "Could not parse multipart form", "invalid_request_error", std::nullopt);
    const FormPart* file = nullptr;
    std::optional<std::string> model;
    std::string format = "json";
    std::set<std::string, std::less<>> granularities;
    for (const auto& part : *parts) {
        if (part.name == "file" && part.filename) file = &part;
        if (part.name == "model") model = std::string(part.data);
        if (part.name == "response_format") format = std::string(part.data);
        if (part.name == "timestamp_granularities[]") granularities.insert(std::string(part.data));
    }
    if (file == nullptr || file->data.empty()) {
        return openai_error(400, "1 validation error: file is required", "invalid_request_error", std::nullopt);
    }
    if (!model || model->empty()) {
        return openai_error(400, "you must provide a model parameter", "invalid_request_error", std::nullopt);
    }
    std::optional<double> duration;
    if (file->filename->ends_with(".wav") || file->data.starts_with("RIFF")) {
        const auto wav = core::parse_wav(file->data);
        if (!wav) {
            return openai_error(400,
                                "Invalid file format. Supported formats: ['flac', 'm4a', 'mp3', 'mp4', 'mpeg', 'mpga', "
                                "'oga', 'ogg', 'wav', 'webm']",
                                "invalid_request_error", std::nullopt);
        }
        duration = static_cast<double>(wav->frames()) / std::max(1, wav->sample_rate);
    }

    std::vector<FakeWord> words = script.words;
    std::stable_sort(words.begin(), words.end(),
                     [](const FakeWord& a, const FakeWord& b) { return a.start < b.start; });
    std::string text;
    for (const auto& word : words) text += " " + word.word;  // Whisper's text starts with a space
    if (script.plain || format == "json") return http::Response::json(200, json{{"text", text}}.dump());
    if (format == "text") return http::Response::text(200, "text/plain", std::string(trim(text)) + "\n");
    if (format != "verbose_json") {
        return openai_error(400, "Unsupported response_format: " + format, "invalid_request_error", std::nullopt);
    }

    json segments = json::array();
    for (const auto& group : group_words(words, /*by_speaker=*/true)) {
        std::string said;
        std::vector<FakeWord> members;
        for (const std::size_t i : group) {
            said += " " + words[i].word;
            members.push_back(words[i]);
        }
        segments.push_back({{"id", segments.size()},
                            {"seek", 0},
                            {"start", members.front().start},
                            {"end", members.back().end},
                            {"text", said},
                            {"tokens", json::array()},
                            {"temperature", 0.0},
                            {"avg_logprob", std::log(std::max(1e-6, mean_confidence(members)))},
                            {"compression_ratio", 1.2},
                            {"no_speech_prob", 0.01}});
    }
    double last_end = 0;
    json word_list = json::array();
    for (const auto& word : words) {
        word_list.push_back({{"word", unpunctuated(word.word)}, {"start", word.start}, {"end", word.end}});
        last_end = std::max(last_end, word.end);
    }
    json reply{{"task", "transcribe"},
               {"language", script.language},
               {"duration", duration.value_or(last_end)},
               {"text", text}};
    if (granularities.contains("word")) reply["words"] = std::move(word_list);
    if (granularities.empty() || granularities.contains("segment")) reply["segments"] = std::move(segments);
    return http::Response::json(200, reply.dump());
}

void describe_form(const http::Request& request, FakeSttRequest& entry) {
    const auto boundary = boundary_of(request);
    if (!boundary) return;
    const auto parts = parse_form(request.body, *boundary);
    if (!parts) return;
    for (const auto& part : *parts) {
        if (part.filename) {
            entry.file_name = part.filename;
            entry.file_content_type = part.content_type;
        } else {
            entry.form_fields.emplace_back(part.name, std::string(part.data));
        }
    }
}

}  // namespace

struct FakeOpenAiTranscription::State {
    explicit State(std::optional<std::string> key)
        : api_key(std::move(key)),
          engine(
              "/v1/audio/transcriptions", [this](const http::Request& request) { return answer(request); },
              describe_form) {}

    http::Response answer(const http::Request& request) {
        OpenAiScript copy;
        {
            const std::lock_guard lock(mutex);
            copy = script;
        }
        return answer_transcription(request, api_key, copy);
    }

    const std::optional<std::string> api_key;
    std::mutex mutex;
    OpenAiScript script;
    LoopbackEngine engine;  // last: destroyed first, so no request outlives the members it reads
};

FakeOpenAiTranscription::FakeOpenAiTranscription(std::optional<std::string> api_key)
    : state_(std::make_unique<State>(std::move(api_key))) {}
FakeOpenAiTranscription::~FakeOpenAiTranscription() = default;
std::string FakeOpenAiTranscription::base_url() const { return state_->engine.base_url(); }

void FakeOpenAiTranscription::set_words(std::vector<FakeWord> words) {
    const std::lock_guard lock(state_->mutex);
    state_->script.words = std::move(words);
}

void FakeOpenAiTranscription::set_language(std::string whisper_language) {
    const std::lock_guard lock(state_->mutex);
    state_->script.language = std::move(whisper_language);
}

void FakeOpenAiTranscription::set_plain_text_replies(bool plain) {
    const std::lock_guard lock(state_->mutex);
    state_->script.plain = plain;
}

void FakeOpenAiTranscription::fail_next(int status, std::string body) {
    state_->engine.fail_next(status, std::move(body));
}
void FakeOpenAiTranscription::delay_next(std::chrono::milliseconds delay) { state_->engine.delay_next(delay); }
std::vector<FakeSttRequest> FakeOpenAiTranscription::requests() const { return state_->engine.requests(); }

}  // namespace crossvoice::testing
