#pragma once

#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "core/ports/carrier.hpp"

namespace crossvoice::testing {

// Records what the use-cases ask of the carrier and answers as scripted. For unit tests of services; the
// integration tests use the real Telnyx client against the sandbox carrier instead.
class FakeCarrier final : public core::ports::Carrier {
  public:
    std::optional<core::Error> dial_error;  // when set, dial() fails with it
    std::optional<core::Error> hangup_error;

    std::vector<core::ports::DialRequest> dials() const {
        std::lock_guard lock(mutex_);
        return dials_;
    }
    std::vector<std::pair<std::string, std::string>> commands() const {  // (call_control_id, action)
        std::lock_guard lock(mutex_);
        return commands_;
    }

    core::Result<core::ports::DialedCall> dial(const core::ports::DialRequest& request) override {
        std::lock_guard lock(mutex_);
        dials_.push_back(request);
        if (dial_error) return *dial_error;
        const auto n = std::to_string(dials_.size());
        return core::ports::DialedCall{"v3:fake-" + n, "leg-" + n, "session-" + n};
    }
    core::Status answer(const std::string& id, const core::ports::AnswerRequest&) override {
        return note(id, "answer");
    }
    core::Status hangup(const std::string& id, const core::ports::CommandOptions&) override {
        if (hangup_error) return *hangup_error;
        return note(id, "hangup");
    }
    core::Status reject(const std::string& id, const core::ports::RejectRequest&) override {
        return note(id, "reject");
    }
    core::Status speak(const std::string& id, const core::ports::SpeakRequest&) override { return note(id, "speak"); }
    core::Status playback_start(const std::string& id, const core::ports::PlaybackStartRequest&) override {
        return note(id, "playback_start");
    }
    core::Status playback_stop(const std::string& id, const core::ports::PlaybackStopRequest&) override {
        return note(id, "playback_stop");
    }
    core::Status gather(const std::string& id, const core::ports::GatherRequest&) override {
        return note(id, "gather");
    }
    core::Status gather_using_speak(const std::string& id, const core::ports::GatherUsingSpeakRequest&) override {
        return note(id, "gather_using_speak");
    }
    core::Status gather_using_audio(const std::string& id, const core::ports::GatherUsingAudioRequest&) override {
        return note(id, "gather_using_audio");
    }
    core::Status transfer(const std::string& id, const core::ports::TransferRequest&) override {
        return note(id, "transfer");
    }
    core::Status bridge(const std::string& id, const core::ports::BridgeRequest&) override {
        return note(id, "bridge");
    }
    std::vector<core::ports::RecordStartRequest> recordings() const {
        std::lock_guard lock(mutex_);
        return recordings_;
    }
    core::Status record_start(const std::string& id, const core::ports::RecordStartRequest& request) override {
        {
            std::lock_guard lock(mutex_);
            recordings_.push_back(request);
        }
        return note(id, "record_start");
    }
    core::Status record_stop(const std::string& id, const core::ports::CommandOptions&) override {
        return note(id, "record_stop");
    }
    core::Status streaming_start(const std::string& id, const core::ports::StreamingStartRequest&) override {
        return note(id, "streaming_start");
    }
    core::Status streaming_stop(const std::string& id, const core::ports::CommandOptions&) override {
        return note(id, "streaming_stop");
    }
    core::Status send_dtmf(const std::string& id, const core::ports::SendDtmfRequest&) override {
        return note(id, "send_dtmf");
    }

  private:
    core::Status note(const std::string& id, std::string action) {
        std::lock_guard lock(mutex_);
        commands_.emplace_back(id, std::move(action));
        return {};
    }

    mutable std::mutex mutex_;
    std::vector<core::ports::DialRequest> dials_;
    std::vector<core::ports::RecordStartRequest> recordings_;
    std::vector<std::pair<std::string, std::string>> commands_;
};

}  // namespace crossvoice::testing
