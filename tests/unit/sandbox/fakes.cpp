#include "fakes.hpp"

#include "core/wav.hpp"

namespace crossvoice::sandbox::testing {

namespace {

// The member `key` of an object, or an empty object: lets accessors read a malformed body without throwing.
const nlohmann::json& member(const nlohmann::json& object, const char* key) {
    static const nlohmann::json kEmpty = nlohmann::json::object();
    if (!object.is_object()) return kEmpty;
    const auto it = object.find(key);
    return it == object.end() ? kEmpty : *it;
}

}  // namespace

std::string Delivery::event_type() const {
    const auto& type = member(member(json, "data"), "event_type");
    return type.is_string() ? type.get<std::string>() : "";
}

std::string Delivery::call_control_id() const {
    const auto& id = member(payload(), "call_control_id");
    return id.is_string() ? id.get<std::string>() : "";
}

const nlohmann::json& Delivery::payload() const { return member(member(json, "data"), "payload"); }

int Delivery::attempt() const {
    const auto& attempt = member(member(json, "meta"), "attempt");
    return attempt.is_number_integer() ? attempt.get<int>() : 0;
}

core::Result<core::ports::HttpResponse> CapturingHttpClient::send(const core::ports::HttpRequest& request) {
    Delivery delivery;
    delivery.url = request.url;
    delivery.body = request.body;
    delivery.max_attempts = request.retry.max_attempts;
    for (const auto& [name, value] : request.headers) {
        if (name == "Telnyx-Signature-Ed25519") delivery.signature = value;
        if (name == "Telnyx-Timestamp") delivery.timestamp = value;
        if (name == "Content-Type") delivery.content_type = value;
    }
    delivery.json = nlohmann::json::parse(request.body, nullptr, false);
    {
        std::lock_guard lock(mutex_);
        if (!script_.empty()) {
            delivery.answered = script_.front();
            script_.pop_front();
        }
        deliveries_.push_back(delivery);
    }
    changed_.notify_all();
    if (delivery.answered == kTransportError) return core::Error::unavailable("connection refused");
    core::ports::HttpResponse response;
    response.status = delivery.answered;
    return response;
}

void CapturingHttpClient::script(std::vector<int> answers) {
    std::lock_guard lock(mutex_);
    script_.assign(answers.begin(), answers.end());
}

std::vector<Delivery> CapturingHttpClient::deliveries() const {
    std::lock_guard lock(mutex_);
    return deliveries_;
}

std::vector<Delivery> CapturingHttpClient::accepted_for(const std::string& call_control_id) const {
    std::vector<Delivery> out;
    for (auto& delivery : deliveries()) {
        if (delivery.accepted() && delivery.call_control_id() == call_control_id) out.push_back(std::move(delivery));
    }
    return out;
}

std::vector<std::string> CapturingHttpClient::event_types_for(const std::string& call_control_id) const {
    std::vector<std::string> out;
    for (const auto& delivery : accepted_for(call_control_id)) out.push_back(delivery.event_type());
    return out;
}

bool CapturingHttpClient::wait_until(const std::function<bool(const std::vector<Delivery>&)>& done,
                                     std::chrono::milliseconds timeout) const {
    std::unique_lock lock(mutex_);
    return changed_.wait_for(lock, timeout, [&] { return done(deliveries_); });
}

std::optional<Delivery> CapturingHttpClient::wait_for(const std::string& call_control_id, const std::string& event_type,
                                                      std::chrono::milliseconds timeout) const {
    std::optional<Delivery> found;
    wait_until(
        [&](const std::vector<Delivery>& all) {
            for (const auto& delivery : all) {
                if (delivery.accepted() && delivery.call_control_id() == call_control_id &&
                    delivery.event_type() == event_type) {
                    found = delivery;
                    return true;
                }
            }
            return false;
        },
        timeout);
    return found;
}

core::Result<std::string> FakeSpeech::synthesize_wav(std::string_view text, std::string_view) {
    ++calls;
    if (text.empty()) return core::Error::validation("text", "text is empty");
    core::PcmAudio audio;
    audio.sample_rate = kRate;
    audio.samples.assign(kRate / 10, level_for(text));  // 100 ms
    return core::write_wav(audio);
}

}  // namespace crossvoice::sandbox::testing
