#pragma once

#include <functional>

#include <optional>
#include <string>
#include <string_view>

#include "core/call.hpp"
#include "core/ivr/engine.hpp"
#include "core/platform.hpp"

namespace crossvoice::services {

class ShangoService;

// SHANGO on a call: what the IVR use-cases ask at an assistant node. The engine is pure, so the answer is
// fetched before the step and handed in with the caller's speech.
class IvrAssistant {
  public:
    explicit IvrAssistant(ShangoService& shango) : shango_(shango) {}

    std::string greeting(core::Platform platform, std::string_view persona) const;

    // SHANGO's answer to what the caller said at a node of `persona`, its turn on the call's session timeline;
    // nullopt (logged) when it could not be asked, which the engine treats as a hand-off to a person.
    std::optional<core::ivr::AssistantAnswer> answer(const core::Call& call, const std::string& persona,
                                                     const std::string& speech, const std::string& language);

    // The chat node: a message to the caller that continues the call's session by text (set by the runtime to
    // the messaging use-case). Without it, or when it fails (logged), the caller hears that chat is unavailable.
    using ChatSender = std::function<core::Status(const core::Call& call, core::Channel channel, std::string text)>;
    void set_chat(ChatSender chat) { chat_ = std::move(chat); }
    bool continue_by_chat(const core::Call& call, std::string_view channel, std::string_view text);

  private:
    ShangoService& shango_;
    ChatSender chat_;
};

}  // namespace crossvoice::services
