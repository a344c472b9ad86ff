#include "sandbox/texml_session.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cstdint>
#include <type_traits>
#include <utility>
#include <variant>

#include "core/ivr/instruction.hpp"
#include "core/time_format.hpp"
#include "core/wav.hpp"
#include "observability/logging.hpp"
#include "sandbox/number_plan.hpp"
#include "sandbox/random_ids.hpp"
#include "sandbox/texml_client.hpp"
#include "sandbox/url_form.hpp"
#include "telnyx/texml_parser.hpp"

namespace crossvoice::sandbox {
namespace {

namespace ivr = core::ivr;
using nlohmann::json;

// Simulated time, in seconds (see run_texml_call).
constexpr int kSaySecs = 2;
constexpr int kPlaySecs = 2;
constexpr int kInputSecs = 2;               // pressing keys or saying a phrase
constexpr int kGatherTimeoutSecs = 5;       // Gather@timeout default
constexpr int kRecordTimeoutSecs = 5;       // silence that ends a recording (Record@timeout default)
constexpr int kRecordMaxLengthSecs = 3600;  // Record@maxLength default
constexpr int kDialTimeoutSecs = 30;        // Dial@timeout default
constexpr int kAnswerSecs = 4;              // a sandbox number that answers rings this long
constexpr int kBusySecs = 2;
constexpr int kFailedSecs = 1;
constexpr int kQueueWaitSecs = 5;  // before the sandbox's agent picks up
constexpr int kMaxRepetitions = 100;
constexpr int kMaxPauseSecs = 180;
constexpr std::string_view kConfidence = "0.92";
constexpr std::string_view kSipDomain = "sandbox.sip.test";

struct Continue {};
struct End {};
struct Fetch {
    std::string url;
    std::string method;
    FormFields fields;   // besides the B.1 parameters
    std::string reason;  // start | gather | record | dial | enqueue | redirect
};
using Next = std::variant<Continue, Fetch, End>;

int repetitions(std::optional<int> loop) {
    if (!loop || *loop <= 0) return 1;  // 0 = "until the call moves on": heard once, here
    return std::min(*loop, kMaxRepetitions);
}

// GET or POST, whatever the case; anything else is the fallback.
std::string method_or(const std::optional<std::string>& method, std::string_view fallback) {
    if (method) {
        std::string upper;
        for (const char ch : *method) upper += (ch >= 'a' && ch <= 'z') ? static_cast<char>(ch - 'a' + 'A') : ch;
        if (upper == "GET" || upper == "POST") return upper;
    }
    return std::string(fallback);
}

std::string sip_uri(const std::string& party) {
    if (party.starts_with("sip:")) return party;
    return fmt::format("sip:{}@{}", party, kSipDomain);
}

// The result of dialling one number, in DialCallStatus words ("answered" for the ones that pick up).
std::string dial_result(std::string_view target) {
    switch (behaviour_for(target)) {
        case NumberBehaviour::kBusy: return "busy";
        case NumberBehaviour::kNoAnswer: return "no-answer";
        case NumberBehaviour::kNotFound:
        case NumberBehaviour::kRejected: return "failed";
        default: return "answered";  // as for a transfer, the rows that fail a dial request answer here
    }
}

// What the application said when it refused: the service's {"error": "..."}, or the start of the body.
std::string refusal_text(const std::string& body) {
    const auto parsed = json::parse(body, nullptr, false);
    if (parsed.is_object() && parsed.contains("error") && parsed["error"].is_string()) {
        return parsed["error"].get<std::string>();
    }
    constexpr std::size_t kLimit = 200;
    std::string out;
    for (const char ch : body.substr(0, kLimit)) out += (ch >= 0x20 && ch < 0x7f) ? ch : ' ';
    if (body.size() > kLimit) out += "...";
    return out;
}

class Session {
  public:
    Session(const TexmlCall& call, const TexmlEnvironment& environment)
        : call_(call),
          env_(environment),
          client_(environment.http, environment.signer, environment.clock),
          started_at_(environment.clock.now()) {
        transcript_.call_sid = random_call_control_id();
        transcript_.from = call.from;
        transcript_.to = call.to;
        legacy_sid_ = random_uuid();
    }

    TexmlTranscript run();

    // One verb each; they add their steps and say what happens next.
    Next execute(const ivr::Say& say);
    Next execute(const ivr::Play& play);
    Next execute(const ivr::Pause& pause);
    Next execute(const ivr::Gather& gather);
    Next execute(const ivr::Record& record);
    Next execute(const ivr::Dial& dial);
    Next execute(const ivr::Hangup& hangup);
    Next execute(const ivr::Redirect& redirect);
    Next execute(const ivr::Reject& reject);
    Next execute(const ivr::Enqueue& enqueue);
    Next execute(const ivr::Leave& leave);
    Next execute(const ivr::Refer& refer);
    Next execute(const ivr::Start& start);
    Next execute(const ivr::Stop& stop);

  private:
    FormFields parameters(std::string_view call_status) const;
    std::optional<std::vector<ivr::Instruction>> fetch(const Fetch& request);
    void callback(const std::string& url, std::string_view event, const FormFields& fields,
                  std::string_view call_status);
    void send_final_status();
    std::string resolve(const std::optional<std::string>& url) const {
        return resolve_url(document_url_, url.value_or(""));
    }
    const CallerAction* next_action() const {
        return position_ < call_.script.size() ? &call_.script[position_] : nullptr;
    }
    void add(json step) { transcript_.steps.push_back(std::move(step)); }
    void fail(std::string message) {
        add({{"kind", "error"}, {"text", message}});
        if (!transcript_.error) transcript_.error = std::move(message);
    }
    Next no_input(std::string_view reason, int seconds) {
        add({{"kind", "no_input"}, {"reason", reason}});
        elapsed_ += seconds;
        return Continue{};
    }
    core::PcmAudio voice(const std::string& text, json& step);

    const TexmlCall& call_;
    const TexmlEnvironment& env_;
    TexmlClient client_;
    core::TimePoint started_at_;
    std::string legacy_sid_;
    TexmlTranscript transcript_;

    std::string document_url_;  // where the running document came from: relative URLs resolve against it
    std::size_t documents_ = 0;
    std::size_t instructions_ = 0;
    std::size_t position_ = 0;  // next script action
    int gathers_after_script_ = 0;
    int elapsed_ = 0;                      // simulated seconds
    std::optional<std::string> rejected_;  // the Reject reason
    bool caller_hung_up_ = false;
    std::optional<std::string> transferred_to_;
    std::optional<std::string> queued_in_;
    bool transfer_last_ = false;  // the latest connection was a Dial (not a queue)
};

FormFields Session::parameters(std::string_view call_status) const {
    return {
        {"AccountSid", std::string(kSandboxAccountSid)},
        {"CallSid", transcript_.call_sid},
        {"CallSidLegacy", legacy_sid_},
        {"From", call_.from},
        {"To", call_.to},
        {"FromSipUri", sip_uri(call_.from)},
        {"ToSipUri", sip_uri(call_.to)},
        {"CallerId", call_.from},
        {"CallingPartyType", call_.from.starts_with("sip:") ? "sip" : "pstn"},
        {"ConnectionId", call_.connection_id},
        {"CallStatus", std::string(call_status)},
        {"Direction", "inbound"},
    };
}

std::optional<std::vector<ivr::Instruction>> Session::fetch(const Fetch& request) {
    if (documents_ >= env_.max_documents) {
        fail(fmt::format("stopped after {} TeXML documents: the application keeps sending the call on",
                         env_.max_documents));
        return std::nullopt;
    }
    ++documents_;
    auto fields = parameters("in-progress");
    fields.insert(fields.end(), request.fields.begin(), request.fields.end());
    json step{{"kind", "fetch"}, {"method", request.method}, {"url", request.url}, {"reason", request.reason}};
    const auto response = client_.send(request.method, request.url, fields);
    if (!response) {
        step["status"] = 0;
        add(std::move(step));
        fail(fmt::format("the application at {} did not answer: {}", request.url, response.error().message));
        return std::nullopt;
    }
    step["status"] = response->status;
    add(std::move(step));
    if (response->status < 200 || response->status > 299) {
        fail(fmt::format("the application answered HTTP {}: {}", response->status, refusal_text(response->body)));
        return std::nullopt;
    }
    auto document = telnyx::parse_texml(response->body);
    if (!document) {
        fail("the application's answer is not TeXML: " + document.error().message);
        return std::nullopt;
    }
    document_url_ = request.url;
    return std::move(document).value();
}

void Session::callback(const std::string& url, std::string_view event, const FormFields& fields,
                       std::string_view call_status) {
    auto all = parameters(call_status);
    all.insert(all.end(), fields.begin(), fields.end());
    const auto response = client_.send("POST", url, all);
    json step{{"kind", "callback"}, {"event", event}, {"url", url}, {"status", response ? response->status : 0}};
    if (!response) step["error"] = response.error().message;
    add(std::move(step));
}

TexmlTranscript Session::run() {
    std::optional<Fetch> next = Fetch{call_.url, method_or(call_.method, "POST"), {}, "start"};
    bool ended = false;
    while (next && !ended) {
        auto document = fetch(*next);
        next.reset();
        if (!document) break;
        for (const auto& instruction : *document) {
            if (instructions_ >= env_.max_instructions) {
                fail(fmt::format("stopped after {} TeXML instructions", env_.max_instructions));
                ended = true;
                break;
            }
            ++instructions_;
            auto outcome = std::visit([this](const auto& verb) { return execute(verb); }, instruction);
            if (std::holds_alternative<End>(outcome)) {
                ended = true;
                break;
            }
            if (auto* jump = std::get_if<Fetch>(&outcome)) {
                next = std::move(*jump);
                break;
            }
        }
        if (!next && !ended) {
            add({{"kind", "hangup"}, {"by", "end_of_document"}});  // Telnyx hangs up when the verbs run out
            ended = true;
        }
    }

    if (transcript_.error) {
        transcript_.outcome = "error";
    } else if (rejected_) {
        transcript_.outcome = "rejected";
    } else if (transferred_to_ || queued_in_) {
        transcript_.outcome = transfer_last_ ? "transferred" : "queued";
        transcript_.connected_to = transfer_last_ ? transferred_to_ : queued_in_;
    } else if (caller_hung_up_) {
        transcript_.outcome = "caller_hung_up";
    } else {
        transcript_.outcome = "hangup";
    }
    transcript_.duration_secs = elapsed_;
    transcript_.unused_actions = call_.script.size() - position_;
    send_final_status();
    observability::logger("sandbox")->info("texml call {} to {}: {} after {} s, {} steps", transcript_.call_sid,
                                           call_.to, transcript_.outcome, elapsed_, transcript_.steps.size());
    return std::move(transcript_);
}

void Session::send_final_status() {
    if (!call_.status_callback) return;
    std::string status = "completed";
    std::string cause = "normal_clearing";
    std::string source = caller_hung_up_ ? "caller" : "callee";
    if (transcript_.error) {
        status = "failed";
        cause = "unspecified";
        source = "unknown";
    } else if (rejected_) {
        status = *rejected_ == "busy" ? "busy" : "failed";
        cause = *rejected_ == "busy" ? "user_busy" : "call_rejected";
    }
    const auto ended_at = started_at_ + std::chrono::seconds(elapsed_);
    callback(*call_.status_callback, "status",
             {{"CallDuration", std::to_string(rejected_ ? 0 : elapsed_)},
              {"HangupCause", cause},
              {"HangupSource", source},
              {"Timestamp", core::format_rfc3339(std::chrono::time_point_cast<core::TimePoint::duration>(ended_at))},
              {"SequenceNumber", "0"}},
             status);
}

// ---------------------------------------------------------------------------------------------------------------
// Verbs

Next Session::execute(const ivr::Say& say) {
    json step{{"kind", "say"}, {"text", say.text}};
    if (say.voice) step["voice"] = *say.voice;
    if (say.language) step["language"] = *say.language;
    if (say.loop) step["loop"] = *say.loop;
    add(std::move(step));
    elapsed_ += kSaySecs * repetitions(say.loop);
    return Continue{};
}

Next Session::execute(const ivr::Play& play) {
    json step{{"kind", "play"}, {"url", play.url}};
    if (play.loop) step["loop"] = *play.loop;
    if (play.digits) step["digits"] = *play.digits;
    add(std::move(step));
    elapsed_ += kPlaySecs * repetitions(play.loop);
    return Continue{};
}

Next Session::execute(const ivr::Pause& pause) {
    const int seconds = std::clamp(pause.length.value_or(1), 0, kMaxPauseSecs);
    add({{"kind", "pause"}, {"seconds", seconds}});
    elapsed_ += seconds;
    return Continue{};
}

Next Session::execute(const ivr::Gather& gather) {
    const auto input = gather.input.value_or("dtmf");
    const bool takes_keys = input.find("dtmf") != std::string::npos;
    const bool takes_speech = input.find("speech") != std::string::npos;
    const int timeout = gather.timeout.value_or(kGatherTimeoutSecs);
    json step{{"kind", "gather"}, {"input", input}};
    if (gather.timeout) step["timeout"] = *gather.timeout;
    if (gather.num_digits) step["numDigits"] = *gather.num_digits;
    if (gather.hints) step["hints"] = *gather.hints;
    if (gather.language) step["language"] = *gather.language;
    add(std::move(step));
    for (const auto& prompt : gather.prompts) {
        std::visit([this](const auto& verb) { execute(verb); }, prompt);
    }

    const auto* action = next_action();
    if (action == nullptr) {
        if (++gathers_after_script_ >= 2) {
            add({{"kind", "hangup"}, {"by", "caller"}});
            caller_hung_up_ = true;
            elapsed_ += kInputSecs;
            return End{};
        }
        return no_input("the script has ended", timeout);
    }
    const auto callback = [&](FormFields fields) {
        return Fetch{resolve(gather.action), method_or(gather.method, method_or(call_.method, "POST")),
                     std::move(fields), "gather"};
    };
    switch (action->kind) {
        case CallerAction::Kind::kRecord:
            return no_input("the caller is waiting to record", timeout);  // the action stays for <Record>
        case CallerAction::Kind::kSilence: ++position_; return no_input("silence", timeout);
        case CallerAction::Kind::kPress: {
            ++position_;
            add({{"kind", "press"}, {"digits", action->text}});
            elapsed_ += kInputSecs;
            if (!takes_keys) return no_input("this gather does not take keys", 0);
            auto digits = action->text;
            const auto finish = gather.finish_on_key.value_or("#");
            if (!finish.empty()) digits = digits.substr(0, digits.find_first_of(finish));
            const auto most = gather.num_digits ? gather.num_digits : gather.max_digits;
            if (most && *most > 0 && digits.size() > static_cast<std::size_t>(*most)) {
                digits.resize(static_cast<std::size_t>(*most));
            }
            if (digits.empty()) return no_input("no digits before the finish key", 0);
            return callback({{"Digits", std::move(digits)}});
        }
        case CallerAction::Kind::kSay:
            ++position_;
            add({{"kind", "speak"}, {"text", action->text}, {"heard", takes_speech}});
            elapsed_ += kInputSecs;
            if (!takes_speech) return no_input("this gather does not take speech", 0);
            return callback({{"SpeechResult", action->text}, {"Confidence", std::string(kConfidence)}});
    }
    return Continue{};
}

core::PcmAudio Session::voice(const std::string& text, json& step) {
    auto wav = env_.speech.synthesize_wav(text, "en-US");
    if (wav) {
        if (auto audio = core::parse_wav(*wav)) return std::move(*audio);
        step["note"] = "the speech synthesizer's audio is not 16-bit PCM WAV: one second of silence instead";
    } else {
        step["note"] = "speech synthesis failed (" + wav.error().message + "): one second of silence instead";
    }
    constexpr int kRate = 8'000;
    return core::PcmAudio{kRate, 1, std::vector<std::int16_t>(kRate, 0)};
}

Next Session::execute(const ivr::Record& record) {
    const auto id = random_uuid();
    const auto url = env_.public_base + "/recordings/" + id + ".wav";
    json step{{"kind", "record"}, {"recordingSid", id}, {"url", url}};
    core::PcmAudio audio{8'000, 1, {}};
    if (const auto* action = next_action(); action != nullptr && action->kind == CallerAction::Kind::kRecord) {
        ++position_;
        step["text"] = action->text;
        audio = voice(action->text, step);
    }
    // Mono from here on (a synthesizer should give mono, but a recording is what the caller's line carried).
    if (audio.channels > 1) {
        std::vector<std::int16_t> mono;
        mono.reserve(audio.frames());
        for (std::size_t frame = 0; frame < audio.frames(); ++frame) {
            mono.push_back(audio.samples[frame * static_cast<std::size_t>(audio.channels)]);
        }
        audio.samples = std::move(mono);
        audio.channels = 1;
    }
    const auto rate = static_cast<std::size_t>(std::max(audio.sample_rate, 1));
    const auto max_frames = rate * static_cast<std::size_t>(record.max_length.value_or(kRecordMaxLengthSecs));
    if (audio.samples.size() > max_frames) audio.samples.resize(max_frames);
    const int duration = static_cast<int>((audio.samples.size() + rate - 1) / rate);
    env_.recordings.put(id, {core::write_wav(audio), false});
    step["durationSecs"] = duration;
    add(std::move(step));
    elapsed_ += duration + record.timeout.value_or(kRecordTimeoutSecs);

    const auto seconds = std::to_string(duration);
    if (record.recording_status_callback) {
        callback(resolve(record.recording_status_callback), "recording",
                 {{"RecordingSid", id},
                  {"RecordingUrl", url},
                  {"RecordingDuration", seconds},
                  {"RecordingStatus", "completed"},
                  {"RecordingChannels", "1"}},
                 "in-progress");
    }
    if (!record.action) return Continue{};
    return Fetch{resolve(record.action),
                 method_or(record.method, "POST"),
                 {{"RecordingUrl", url}, {"RecordingDuration", seconds}, {"RecordingSid", id}},
                 "record"};
}

Next Session::execute(const ivr::Dial& dial) {
    const int timeout = dial.timeout.value_or(kDialTimeoutSecs);
    json targets = json::array();
    std::optional<std::string> connected;
    bool no_answer = false;
    bool busy = false;
    for (const auto& target : dial.targets) {
        const auto [name, result] = std::visit(
            [](const auto& noun) -> std::pair<std::string, std::string> {
                using Noun = std::decay_t<decltype(noun)>;
                if constexpr (std::is_same_v<Noun, ivr::DialNumber>) {
                    return {noun.number, dial_result(noun.number)};
                } else if constexpr (std::is_same_v<Noun, ivr::DialSip>) {
                    return {noun.uri, dial_result(noun.uri)};
                } else if constexpr (std::is_same_v<Noun, ivr::DialQueue>) {
                    return {"queue:" + noun.name, "answered"};
                } else {
                    return {"conference:" + noun.name, "answered"};
                }
            },
            target);
        // Nobody picks up before the Dial gives up; once one target has answered, the others stop ringing.
        auto heard = result == "answered" && timeout < kAnswerSecs ? std::string("no-answer") : result;
        if (heard == "answered") {
            if (connected) {
                heard = "canceled";
            } else {
                connected = name;
            }
        }
        targets.push_back({{"target", name}, {"result", heard}});
        no_answer = no_answer || heard == "no-answer";
        busy = busy || heard == "busy";
    }

    std::string status = "failed";
    int ringing = kFailedSecs;
    int talk = 0;
    if (connected) {
        status = "completed";
        ringing = kAnswerSecs;
        talk = env_.talk_secs;
        if (dial.time_limit && *dial.time_limit > 0) talk = std::min(talk, *dial.time_limit);
    } else if (no_answer) {
        status = "no-answer";
        ringing = timeout;
    } else if (busy) {
        status = "busy";
        ringing = kBusySecs;
    }
    elapsed_ += ringing + talk;
    json step{{"kind", "dial"}, {"targets", std::move(targets)}, {"result", status}, {"durationSecs", talk}};
    if (connected) step["connectedTo"] = *connected;
    if (dial.caller_id) step["callerId"] = *dial.caller_id;
    add(std::move(step));
    if (connected) {
        transferred_to_ = connected;
        transfer_last_ = true;
    }
    if (!dial.action) return Continue{};
    return Fetch{resolve(dial.action),
                 method_or(dial.method, "POST"),
                 {{"DialCallStatus", status},
                  {"DialCallSid", random_call_control_id()},
                  {"DialCallDuration", std::to_string(talk)}},
                 "dial"};
}

Next Session::execute(const ivr::Hangup&) {
    add({{"kind", "hangup"}, {"by", "application"}});
    return End{};
}

Next Session::execute(const ivr::Redirect& redirect) {
    const auto url = resolve(redirect.url);
    const auto method = method_or(redirect.method, "POST");
    add({{"kind", "redirect"}, {"url", url}, {"method", method}});
    return Fetch{url, method, {}, "redirect"};
}

Next Session::execute(const ivr::Reject& reject) {
    const auto reason = reject.reason.value_or("rejected");
    add({{"kind", "reject"}, {"reason", reason}});
    rejected_ = reason;
    return End{};
}

Next Session::execute(const ivr::Enqueue& enqueue) {
    int wait = kQueueWaitSecs;
    if (enqueue.max_wait_time_secs && *enqueue.max_wait_time_secs > 0) {
        wait = std::min(wait, *enqueue.max_wait_time_secs);
    }
    json step{{"kind", "enqueue"}, {"queue", enqueue.queue}, {"result", "bridged"}, {"waitSecs", wait}};
    if (enqueue.wait_url) step["waitUrl"] = resolve(enqueue.wait_url);
    add(std::move(step));
    elapsed_ += wait + env_.talk_secs;
    queued_in_ = enqueue.queue;
    transfer_last_ = false;
    if (!enqueue.action) return Continue{};
    return Fetch{resolve(enqueue.action),
                 method_or(enqueue.method, "POST"),
                 {{"QueueResult", "bridged"}, {"QueueSid", random_uuid()}, {"QueueTime", std::to_string(wait)}},
                 "enqueue"};
}

Next Session::execute(const ivr::Leave&) {
    add({{"kind", "leave"}});
    return Continue{};
}

Next Session::execute(const ivr::Refer& refer) {
    json targets = json::array();
    for (const auto& sip : refer.targets) targets.push_back(sip.uri);
    add({{"kind", "refer"}, {"targets", std::move(targets)}});
    return Continue{};
}

json media_tasks(const std::vector<ivr::MediaTask>& tasks) {
    json out = json::array();
    for (const auto& task : tasks) {
        if (const auto* stream = std::get_if<ivr::Stream>(&task)) {
            json entry{{"type", "stream"}};
            if (stream->url) entry["url"] = *stream->url;
            if (stream->name) entry["name"] = *stream->name;
            out.push_back(std::move(entry));
        } else {
            out.push_back({{"type", "transcription"}});
        }
    }
    return out;
}

Next Session::execute(const ivr::Start& start) {
    add({{"kind", "start"}, {"tasks", media_tasks(start.tasks)}});
    return Continue{};
}

Next Session::execute(const ivr::Stop& stop) {
    add({{"kind", "stop"}, {"tasks", media_tasks(stop.tasks)}});
    return Continue{};
}

}  // namespace

json TexmlTranscript::to_json() const {
    json out{{"success", true},
             {"callSid", call_sid},
             {"from", from},
             {"to", to},
             {"outcome", outcome},
             {"durationSecs", duration_secs},
             {"unusedActions", unused_actions}};
    if (connected_to) out["connectedTo"] = *connected_to;
    if (error) out["error"] = *error;
    out["steps"] = steps;
    return out;
}

TexmlTranscript run_texml_call(const TexmlCall& call, const TexmlEnvironment& environment) {
    return Session(call, environment).run();
}

}  // namespace crossvoice::sandbox
