// The sandbox carrier reads Call Control requests from whoever connects to it (`crossvoice sandbox-carrier`
// listens on a socket): the first byte picks dial or one of the commands, the rest is the JSON body. Every
// input is accepted or refused with a Telnyx error naming a field; nothing throws or crashes.
#include <nlohmann/json.hpp>

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "core/client_state.hpp"
#include "fuzz_check.hpp"
#include "sandbox/command_request.hpp"
#include "sandbox/dial_request.hpp"

namespace {

constexpr crossvoice::sandbox::Action kActions[] = {
    crossvoice::sandbox::Action::kAnswer,
    crossvoice::sandbox::Action::kHangup,
    crossvoice::sandbox::Action::kReject,
    crossvoice::sandbox::Action::kSpeak,
    crossvoice::sandbox::Action::kPlaybackStart,
    crossvoice::sandbox::Action::kPlaybackStop,
    crossvoice::sandbox::Action::kGather,
    crossvoice::sandbox::Action::kGatherUsingSpeak,
    crossvoice::sandbox::Action::kGatherUsingAudio,
    crossvoice::sandbox::Action::kTransfer,
    crossvoice::sandbox::Action::kBridge,
    crossvoice::sandbox::Action::kRecordStart,
    crossvoice::sandbox::Action::kRecordStop,
    crossvoice::sandbox::Action::kStreamingStart,
    crossvoice::sandbox::Action::kStreamingStop,
    crossvoice::sandbox::Action::kSendDtmf,
    crossvoice::sandbox::Action::kTranscriptionStart,
    crossvoice::sandbox::Action::kTranscriptionStop,
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size == 0) return 0;
    const std::string_view text(reinterpret_cast<const char*>(data) + 1, size - 1);
    // Our own client_state codec reads the same untrusted bytes (echoed back by a carrier).
    if (auto state = crossvoice::core::decode_client_state(text)) {
        FUZZ_CHECK(crossvoice::core::encode_client_state(*state) == text);
    }
    const auto body = nlohmann::json::parse(text, nullptr, false);
    if (body.is_discarded()) return 0;
    const std::size_t choice = data[0] % (std::size(kActions) + 1);
    if (choice == std::size(kActions)) {
        crossvoice::sandbox::DialRequest dial;
        if (auto error = crossvoice::sandbox::read_dial_request(body, dial)) {
            FUZZ_CHECK(error->status >= 400 && error->status < 500);
        } else {
            FUZZ_CHECK(!dial.to.empty() && !dial.from.empty() && !dial.connection_id.empty());
        }
        return 0;
    }
    crossvoice::sandbox::CommandRequest command;
    if (auto error = crossvoice::sandbox::read_command_request(kActions[choice], body, command)) {
        FUZZ_CHECK(error->status >= 400 && error->status < 500);
    }
    return 0;
}
