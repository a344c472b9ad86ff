#include "services/callback_service.hpp"

#include <nlohmann/json.hpp>

#include "core/e164.hpp"
#include "services/job_runner.hpp"

namespace crossvoice::services {
namespace {

// Bad input no retry can cure: the job is dead at once.
core::Error final_error(core::Error error) { return std::move(error).with(kFinalFailureDetail, "true"); }

bool retryable(const core::Error& error) {
    return error.code == core::ErrorCode::kVendor || error.code == core::ErrorCode::kUnavailable ||
           error.code == core::ErrorCode::kTimeout || error.code == core::ErrorCode::kRateLimited ||
           error.code == core::ErrorCode::kInternal;
}

}  // namespace

core::Result<std::string> CallbackService::number_for(const core::Session& session) {
    if (session.phone_number && core::is_e164(*session.phone_number)) return *session.phone_number;
    for (const auto channel : {core::Channel::kSms, core::Channel::kWhatsapp}) {
        auto contact = messages_.contact_of_session(session.platform, session.id, channel);
        if (!contact) return std::move(contact).error();
        if (*contact && core::is_e164((*contact)->second)) return (*contact)->second;
    }
    return core::Error::validation("to", "no phone number is known for this session's customer; give 'to'");
}

core::Result<InitiatedCall> CallbackService::call_back(const core::Principal& caller, const std::string& session_id,
                                                       std::optional<std::string> to, std::optional<std::string> flow) {
    auto session = sessions_.get(caller, session_id);
    if (!session) return std::move(session).error();
    if (session->status != core::SessionStatus::kActive) {
        return core::Error::conflict("session " + session_id + " has ended; a call back needs an active session");
    }
    if (!to) {
        auto number = number_for(*session);
        if (!number) return std::move(number).error();
        to = std::move(number).value();
    }
    InitiateCall call;
    call.to = std::move(*to);
    call.session_id = session_id;
    call.flow = std::move(flow);
    return calls_.initiate(caller, std::move(call));
}

core::Status CallbackService::run_job(const core::Job& job) {
    const auto payload = nlohmann::json::parse(job.payload_json, nullptr, false);
    if (!payload.is_object() || !payload.contains("platform") || !payload.contains("sessionId") ||
        !payload["platform"].is_string() || !payload["sessionId"].is_string()) {
        return final_error(core::Error::validation("payload", "call.callback needs platform and sessionId"));
    }
    const auto platform = core::parse_platform(payload["platform"].get<std::string>());
    if (!platform) return final_error(core::Error::validation("platform", "unknown platform"));
    std::optional<std::string> to;
    if (payload.contains("to") && payload["to"].is_string()) to = payload["to"].get<std::string>();
    // The customer asked, on the platform's behalf: no key is involved, the key id says who.
    const core::Principal customer{*platform, "customer:callback"};
    auto placed = call_back(customer, payload["sessionId"].get<std::string>(), std::move(to), std::nullopt);
    if (!placed) {
        if (retryable(placed.error())) return std::move(placed).error();
        return final_error(std::move(placed).error());
    }
    return {};
}

}  // namespace crossvoice::services
